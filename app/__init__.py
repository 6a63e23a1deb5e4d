"""The composition root: settings, the ASGI application, the CLI, demo data."""
