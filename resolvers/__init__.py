"""Root-field resolvers: read the input, call a service, map the result. No business rules here."""
