// PostGraphile 5 over the benchmark's seeded database (bench/postgraphile.py starts it; see docs/performance.md).
//
// Each request is authenticated as deskql and the baseline do it (services/authentication.py): the SHA-256
// of the bearer token looked up with its technician in one statement, refused when revoked or when the
// technician is inactive, `last_used_at` written when older than 5 minutes. The viewer goes to PostgreSQL as
// settings of the request's transaction (`deskql.account_id`, `deskql.technician_id`, `deskql.requester_id`)
// and the request runs as the role deskql_bench_postgraphile, whose row-level security policies
// (rls.sql) apply services/visibility.py's rules to what the ticket page reads. A request without a valid
// token gets a 401, as from the other two.
import { createHash } from "node:crypto";
import pg from "pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { pgSmartTags } from "postgraphile/utils";
import { SafeError } from "postgraphile/grafast";

export const ROLE = "deskql_bench_postgraphile";

/** The tables the ticket page reads (each with a policy in rls.sql); the others stay out of the schema. */
export const PAGE_TABLES = new Set([
  "ticket", "ticket_status", "ticket_tag", "tag", "requester", "technician", "site", "department",
  "customer", "contract", "device", "satisfaction_survey", "comment", "attachment", "activity",
  "form_template", "sla_policy",
]);

const VIEWER = `
SELECT t.id, t.account_id, t.revoked_at, t.last_used_at, t.technician_id, t.requester_id, tech.active
FROM api_token t LEFT JOIN technician tech ON tech.id = t.technician_id
WHERE t.token_hash = $1`;
const LAST_USED_RESOLUTION_MS = 5 * 60 * 1000;

/** One pool per process for PostGraphile's statements and the token's: 5, as each uvicorn worker has. */
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? 5),
});

/** The bearer token's hash, or null when the header holds no deskql token. */
export function tokenHash(authorization) {
  const [scheme, token] = (authorization ?? "").split(" ", 2);
  if (scheme?.toLowerCase() !== "bearer" || !token?.startsWith("dq_")) return null;
  return createHash("sha256").update(token).digest("hex");
}

function refused() {
  return new SafeError("bad token", { statusCode: 401 });
}

/** The viewer of the token in the Authorization header, as settings of the request's transaction. */
async function viewerSettings(authorization) {
  const hash = tokenHash(authorization);
  if (hash === null) throw refused();
  const { rows } = await pool.query({ name: "viewer", text: VIEWER, values: [hash] });
  const token = rows[0];
  if (!token || token.revoked_at !== null) throw refused();
  if (token.technician_id !== null ? !token.active : token.requester_id === null) throw refused();
  const now = new Date();
  if (token.last_used_at === null || now - token.last_used_at > LAST_USED_RESOLUTION_MS) {
    await pool.query("UPDATE api_token SET last_used_at = $1 WHERE id = $2", [now, token.id]);
  }
  return {
    "deskql.account_id": String(token.account_id),
    "deskql.technician_id": token.technician_id === null ? "" : String(token.technician_id),
    "deskql.requester_id": token.requester_id === null ? "" : String(token.requester_id),
  };
}

const onlyPageTables = pgSmartTags([
  {
    kind: "class",
    match: (table) => !PAGE_TABLES.has(table.relname),
    tags: { behavior: "-*" },
  },
  // The page's resolution: comments marked as such (a partial index; PostGraphile offers conditions on
  // indexed columns only unless told).
  { kind: "attribute", match: "comment.is_resolution", tags: { behavior: "+filterBy" } },
]);

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [onlyPageTables],
  schema: { defaultBehavior: "-insert -update -delete" },
  pgServices: [makePgService({ pool, schemas: ["public"], pubsub: false })],
  grafserv: { graphqlPath: "/graphql", graphiql: false, watch: false },
  grafast: {
    explain: false,
    async context(requestContext) {
      const headers = requestContext.node?.req?.headers ?? {};
      const settings = await viewerSettings(headers.authorization);
      // RLS=0: as the tables' owner, whom row-level security does not apply to (what the rules cost).
      return { pgSettings: process.env.RLS === "0" ? settings : { role: ROLE, ...settings } };
    },
  },
};

export default preset;
