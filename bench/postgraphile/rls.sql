-- Row-level security for PostGraphile over the benchmark's seeded database (bench/postgraphile.py runs this
-- before starting it; every statement is idempotent). deskql and the baseline connect as the tables' owner,
-- which row-level security does not apply to (no FORCE), so they read as before.
--
-- PostGraphile runs each request as deskql_bench_postgraphile, with the viewer its token names (checked by
-- graphile.config.mjs) in the settings `deskql.account_id` and `deskql.technician_id` or
-- `deskql.requester_id`; without them every policy shows nothing. The rules are services/visibility.py's
-- for what the ticket page reads: everything scoped to the viewer's account; deleted tickets gone; a
-- requester sees only tickets they requested or are copied on, public replies only (never internal notes),
-- the public activity kinds only, attachments of visible comments only, their own devices and surveys,
-- their own site, department and customer, and no contracts, SLA policies or form templates (staff only).

DO $$ BEGIN CREATE ROLE deskql_bench_postgraphile NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA IF NOT EXISTS bench_postgraphile;
GRANT USAGE ON SCHEMA public, bench_postgraphile TO deskql_bench_postgraphile;

-- Who is asking, from the settings graphile.config.mjs gives the request's transaction after checking its
-- token. Plain SQL expressions without FROM: PostgreSQL inlines them into the policies.
CREATE OR REPLACE FUNCTION bench_postgraphile.account() RETURNS int LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('deskql.account_id', true), '')::int $$;
CREATE OR REPLACE FUNCTION bench_postgraphile.is_technician() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('deskql.technician_id', true), '') <> '' $$;
CREATE OR REPLACE FUNCTION bench_postgraphile.requester() RETURNS int LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('deskql.requester_id', true), '')::int $$;
-- Tickets a requester is copied on (cc_recipient is not readable by the role).
CREATE OR REPLACE FUNCTION bench_postgraphile.copied_on() RETURNS SETOF int
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT ticket_id FROM cc_recipient
  WHERE requester_id = bench_postgraphile.requester() AND comment_id IS NULL
$$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bench_postgraphile TO deskql_bench_postgraphile;

-- A row of a visible ticket (a comment, an activity row) checks its ticket with a scalar subquery, which stays a per-row index lookup: written as EXISTS or IN, PostgreSQL turned it
-- into a semi-join over every ticket (a sequential scan of 10,000 rows, three times per page: 70 ms).
DO $$
DECLARE
  rules CONSTANT jsonb := jsonb_build_object(
    'ticket', $q$account_id = bench_postgraphile.account() AND deleted_at IS NULL
      AND (bench_postgraphile.is_technician() OR requester_id = bench_postgraphile.requester()
           OR id IN (SELECT bench_postgraphile.copied_on()))$q$,
    'comment', $q$account_id = bench_postgraphile.account()
      AND (bench_postgraphile.is_technician() OR kind = 'PUBLIC_REPLY')
      AND (SELECT true FROM ticket t WHERE t.id = comment.ticket_id)$q$,
    'attachment', $q$account_id = bench_postgraphile.account()
      AND (SELECT true FROM comment c WHERE c.id = attachment.comment_id)$q$,
    'activity', $q$account_id = bench_postgraphile.account()
      AND (bench_postgraphile.is_technician() OR kind IN ('TICKET_CREATED', 'STATUS_CHANGED',
           'PUBLIC_REPLY_ADDED', 'MERGED_INTO', 'UNMERGED', 'CHAT_STARTED', 'CHAT_ENDED'))
      AND (SELECT true FROM ticket t WHERE t.id = activity.ticket_id)$q$,
    'ticket_status', $q$account_id = bench_postgraphile.account()$q$,
    'tag', $q$account_id = bench_postgraphile.account()$q$,
    'ticket_tag', $q$(SELECT true FROM ticket t WHERE t.id = ticket_tag.ticket_id)$q$,
    'technician', $q$account_id = bench_postgraphile.account()$q$,
    'requester', $q$account_id = bench_postgraphile.account()
      AND (bench_postgraphile.is_technician() OR id = bench_postgraphile.requester()
           OR EXISTS (SELECT 1 FROM ticket t WHERE t.requester_id = requester.id))$q$,
    'site', $q$account_id = bench_postgraphile.account() AND (bench_postgraphile.is_technician()
      OR id = (SELECT r.site_id FROM requester r WHERE r.id = bench_postgraphile.requester()))$q$,
    'department', $q$account_id = bench_postgraphile.account() AND (bench_postgraphile.is_technician()
      OR id = (SELECT r.department_id FROM requester r WHERE r.id = bench_postgraphile.requester()))$q$,
    'customer', $q$account_id = bench_postgraphile.account() AND (bench_postgraphile.is_technician()
      OR id = (SELECT r.customer_id FROM requester r WHERE r.id = bench_postgraphile.requester()))$q$,
    'device', $q$account_id = bench_postgraphile.account()
      AND (bench_postgraphile.is_technician() OR requester_id = bench_postgraphile.requester())$q$,
    'satisfaction_survey', $q$account_id = bench_postgraphile.account()
      AND (bench_postgraphile.is_technician() OR requester_id = bench_postgraphile.requester())$q$,
    'contract', $q$account_id = bench_postgraphile.account() AND bench_postgraphile.is_technician()$q$,
    'sla_policy', $q$account_id = bench_postgraphile.account() AND bench_postgraphile.is_technician()$q$,
    'form_template', $q$account_id = bench_postgraphile.account() AND bench_postgraphile.is_technician()$q$
  );
  name text;
BEGIN
  FOR name IN SELECT jsonb_object_keys(rules) LOOP
    EXECUTE format('GRANT SELECT ON %I TO deskql_bench_postgraphile', name);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
    EXECUTE format('DROP POLICY IF EXISTS viewer ON %I', name);
    EXECUTE format('CREATE POLICY viewer ON %I FOR SELECT TO deskql_bench_postgraphile USING (%s)',
                   name, rules ->> name);
  END LOOP;
END $$;
