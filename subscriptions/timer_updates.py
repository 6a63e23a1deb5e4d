"""``timerState``: every change of the viewer's timers, to all their tabs and devices, across workers."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from schema.context import Info
from schema.ticket_fields import timer_of
from schema.types.time import TimerChange, TimerChangeKind
from subscriptions import channels
from subscriptions.stream import guarded, messages, realtime_of


@guarded
async def timer_state(info: Info) -> AsyncGenerator[TimerChange, None]:
    viewer = info.context.require_technician()
    assert viewer.technician_id is not None
    realtime = realtime_of(info)
    async with realtime.hub.subscribe(channels.technician(viewer.technician_id)) as subscriber:
        async for message in messages(info, subscriber, realtime.revalidate_seconds):
            if message is None or message.type != "timer.changed":
                continue
            loaders = info.context.fresh_loaders()
            timer = await loaders.timer_by_id.load(message.ids["timer"]) if "timer" in message.ids else None
            yield TimerChange(
                ticket_pk=message.ids["ticket"],
                kind=TimerChangeKind(message.changes[0]),
                timer=timer_of(timer) if timer is not None else None,
                time_entry=None,
            )
