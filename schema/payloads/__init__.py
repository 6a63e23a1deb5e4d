"""Results of mutations: a success type or one of the typed errors, as a union per mutation, one module
per domain."""
