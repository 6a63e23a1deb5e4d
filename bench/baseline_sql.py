"""The statements of bench/baseline.py: one per piece of the page, each scoped to the viewer's account."""

VIEWER = """
SELECT t.id, t.account_id, t.revoked_at, t.last_used_at, t.technician_id, tech.active
FROM api_token t LEFT JOIN technician tech ON tech.id = t.technician_id
WHERE t.token_hash = $1
"""
TICKET = """
SELECT t.id, t.number, t.title, t.description, t.ticket_type, t.priority, t.impact, t.activity_status,
       t.channel, t.created_at, t.updated_at, t.version, t.requester_id, t.assignee_id, t.form_template_id,
       t.sla_policy_id, t.first_responded_at, t.resolved_at,
       s.id AS status_id, s.name AS status_name, s.category AS status_category,
       a.name AS assignee_name, a.avatar_url AS assignee_avatar,
       (SELECT count(*) FROM ticket o JOIN ticket_status os ON os.id = o.status_id
         WHERE o.account_id = t.account_id AND o.deleted_at IS NULL AND o.assignee_id = t.assignee_id
           AND os.category IN ('OPEN', 'PENDING')) AS open_tickets,
       r.name AS requester_name, r.job_title, r.email, r.phone, r.mobile, r.customer_id,
       site.name AS site_name, d.name AS department_name, c.name AS customer_name,
       (SELECT json_build_array(count(*), sum(v.support_quality + v.technician_knowledge
                                              + v.overall_helpfulness))
          FROM satisfaction_survey v WHERE v.requester_id = r.id AND v.account_id = t.account_id)
         AS satisfaction,
       f.name AS template_name, p.name AS policy_name, p.targets, p.calendar_id,
       cal.timezone, cal.weekly_hours, cal.holidays,
       (SELECT count(*) FROM comment cm WHERE cm.ticket_id = t.id AND cm.account_id = t.account_id)
         AS comment_count
FROM ticket t
JOIN ticket_status s ON s.id = t.status_id
JOIN requester r ON r.id = t.requester_id AND r.account_id = t.account_id
LEFT JOIN technician a ON a.id = t.assignee_id AND a.account_id = t.account_id
LEFT JOIN site ON site.id = r.site_id AND site.account_id = t.account_id
LEFT JOIN department d ON d.id = r.department_id AND d.account_id = t.account_id
LEFT JOIN customer c ON c.id = r.customer_id AND c.account_id = t.account_id
LEFT JOIN form_template f ON f.id = t.form_template_id AND f.account_id = t.account_id
LEFT JOIN sla_policy p ON p.id = t.sla_policy_id AND p.account_id = t.account_id
LEFT JOIN business_calendar cal ON cal.id = p.calendar_id AND cal.account_id = t.account_id
WHERE t.id = $1 AND t.account_id = $2 AND t.deleted_at IS NULL
"""
TICKET_EXISTS = """
SELECT (SELECT count(*) FROM comment cm WHERE cm.ticket_id = t.id AND cm.account_id = t.account_id)
FROM ticket t WHERE t.id = $1 AND t.account_id = $2 AND t.deleted_at IS NULL
"""
TAGS = """
SELECT g.name, tt.source FROM ticket_tag tt JOIN tag g ON g.id = tt.tag_id
WHERE tt.ticket_id = $1 AND g.account_id = $2 ORDER BY g.name
"""
CONTRACTS = """
SELECT name, contract_type, starts_on, ends_on FROM contract
WHERE customer_id = $1 AND account_id = $2 ORDER BY starts_on, id
"""
DEVICES = """
SELECT name, os, online, last_seen_at FROM device
WHERE requester_id = $1 AND account_id = $2 ORDER BY name, id
"""
SURVEYS_OF = """
SELECT support_quality, comment FROM satisfaction_survey
WHERE requester_id = $1 AND account_id = $2 ORDER BY created_at DESC, id DESC LIMIT 10
"""
RECENT = """
SELECT t.number, t.title, s.name FROM ticket t JOIN ticket_status s ON s.id = t.status_id
WHERE t.requester_id = $1 AND t.account_id = $2 AND t.deleted_at IS NULL
ORDER BY t.created_at DESC, t.id DESC LIMIT 5
"""
COMMENTS = """
SELECT c.id, c.kind, c.body, c.text, c.channel, c.is_resolution, c.created_at,
       c.author_technician_id, at.name AS technician_name, c.author_requester_id, ar.name AS requester_name
FROM comment c
LEFT JOIN technician at ON at.id = c.author_technician_id AND at.account_id = c.account_id
LEFT JOIN requester ar ON ar.id = c.author_requester_id AND ar.account_id = c.account_id
WHERE c.ticket_id = $1 AND c.account_id = $2 AND (c.created_at, c.id) > ($3, $4)
ORDER BY c.created_at, c.id LIMIT $5
"""
ATTACHMENTS = """
SELECT comment_id, filename, content_type, size FROM attachment
WHERE comment_id = ANY($1::int[]) AND account_id = $2 ORDER BY comment_id, id
"""
RESOLUTION = """
SELECT id, text FROM comment WHERE ticket_id = $1 AND account_id = $2 AND is_resolution
ORDER BY created_at, id
"""
ACTIVITY = """
SELECT a.kind, a.field, a.old_value, a.new_value, a.channel, a.created_at,
       a.actor_technician_id, at.name AS technician_name, a.actor_requester_id, ar.name AS requester_name
FROM activity a
LEFT JOIN technician at ON at.id = a.actor_technician_id AND at.account_id = a.account_id
LEFT JOIN requester ar ON ar.id = a.actor_requester_id AND ar.account_id = a.account_id
WHERE a.ticket_id = $1 AND a.account_id = $2
ORDER BY a.created_at DESC, a.id DESC LIMIT 20
"""
TIME = "SELECT duration_seconds, billable, rate FROM time_entry WHERE ticket_id = $1 AND account_id = $2"
FIELDS = """
SELECT f.id, f.name, f.field_type, v.value
FROM form_template_field tf
JOIN form_template ft ON ft.id = tf.template_id
JOIN custom_field f ON f.id = tf.field_id
LEFT JOIN ticket_field_value v ON v.field_id = f.id AND v.ticket_id = $1
WHERE tf.template_id = $2 AND ft.account_id = $3
ORDER BY tf.position, tf.id
"""
PAUSES = "SELECT started_at, ended_at FROM sla_pause WHERE ticket_id = $1 ORDER BY started_at, id"
