"""Comparing the models with the migrations on disk."""

from __future__ import annotations

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from app.database import tortoise_config


async def _detector() -> tuple[TortoiseContext, MigrationAutodetector]:
    context = TortoiseContext()
    config = tortoise_config("sqlite://:memory:")
    with context:
        await context.init(config=config, init_connections=False)
    assert context.apps is not None
    return context, MigrationAutodetector(context.apps, config["apps"])


async def pending_operations() -> list[str]:
    """Descriptions of the operations a new migration would need; empty when models and migrations agree."""
    context, detector = await _detector()
    with context:
        writers = await detector.changes()
    return [str(operation.describe()) for writer in writers for operation in writer.operations]


async def write_migrations(name: str | None) -> list[str]:
    context, detector = await _detector()
    with context:
        writers = await detector.changes()
        paths = []
        for writer in writers:
            if name:
                writer.name = f"{writer.name.split('_', 1)[0]}_{name}"
            paths.append(str(writer.write()))
    return paths
