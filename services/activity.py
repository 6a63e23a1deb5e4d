"""Writing the ticket's audit log. Rows are created, never edited."""

from __future__ import annotations

from models.activity import Activity
from models.enums import ActivityKind
from services.events import Event
from services.unit_of_work import current
from services.viewer import Viewer
from services.visibility import PUBLIC_ACTIVITY_KINDS


async def record(
    viewer: Viewer,
    ticket_id: int,
    kind: ActivityKind,
    *,
    field: str | None = None,
    old: str | None = None,
    new: str | None = None,
    comment_id: int | None = None,
) -> Activity:
    """Append one row: who (the viewer), what, old -> new, through the viewer's channel, now.

    Inside a unit of work, emits ``activity.added`` (marked internal unless end users may see the kind).
    """
    row = await Activity.create(
        account_id=viewer.account_id,
        ticket_id=ticket_id,
        kind=kind,
        actor_technician_id=viewer.technician_id,
        actor_requester_id=viewer.requester_id,
        field=field,
        old_value=old,
        new_value=new,
        comment_id=comment_id,
        channel=viewer.channel,
        rule_id=viewer.rule_id,
        rule_name=viewer.rule_name,
    )
    work = current()
    if work is not None:
        work.emit(
            Event(
                "activity.added",
                viewer.account_id,
                ticket_id,
                ids={"activity": row.id},
                internal=kind not in PUBLIC_ACTIVITY_KINDS,
            )
        )
    return row
