"""The assembly of the API: the root types, the one schema and the extensions that run every operation."""
