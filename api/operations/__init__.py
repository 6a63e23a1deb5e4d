"""Root fields by area; ``api.root`` combines them into Query and Mutation."""
