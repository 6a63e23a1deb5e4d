"""Root fields by area; ``schema.root`` combines them into Query and Mutation."""
