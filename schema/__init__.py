"""The GraphQL schema: types, inputs, enums, errors; ``api.root`` assembles it."""
