"""``notificationAdded``: the viewer's new notifications (mentions, notes on followed tickets)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from schema.context import Info
from schema.types.notifications import Notification
from subscriptions import channels
from subscriptions.stream import guarded, messages, realtime_of


@guarded
async def notification_added(info: Info) -> AsyncGenerator[Notification, None]:
    viewer = info.context.require_technician()
    assert viewer.technician_id is not None
    realtime = realtime_of(info)
    async with realtime.hub.subscribe(channels.technician(viewer.technician_id)) as subscriber:
        async for message in messages(info, subscriber, realtime.revalidate_seconds):
            if message is None or message.type != "notification.added":
                continue
            row = await info.context.fresh_loaders().notification_by_id.load(message.ids["notification"])
            if row is not None:
                yield Notification.from_model(row)
