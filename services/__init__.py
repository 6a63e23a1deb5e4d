"""The domain: one async function per operation. Knows nothing of GraphQL, HTTP or SMTP."""
