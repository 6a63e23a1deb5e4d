// graphql-http's GraphQL-over-HTTP audits against a running server; prints one JSON array of results.
// Usage: node server-audit.mjs http://127.0.0.1:8000/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node server-audit.mjs URL');
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    entry.httpStatus = result.response.status;
    entry.contentType = result.response.headers.get('content-type');
    entry.body = await result.response.text().catch(() => '');
  }
  results.push(entry);
}
console.log(JSON.stringify(results, null, 2));
