"""The GraphQL schema: types, inputs, enums, errors; ``schema.root`` assembles it."""
