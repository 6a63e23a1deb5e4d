"""Reading timers."""

from __future__ import annotations

from models.timekeeping import Timer
from resolvers.context import Info
from services import visibility


async def visibility_timers(info: Info) -> list[Timer]:
    """The viewer's timers, the running one first, then the most recently changed."""
    rows = await visibility.timers(info.context.viewer)
    return sorted(
        rows, key=lambda timer: (timer.running_since is None, -timer.updated_at.timestamp(), timer.id)
    )
