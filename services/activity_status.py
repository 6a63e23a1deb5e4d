"""Who a ticket is waiting on: the automatic rules, all in one place.

- A new ticket is UNREAD.
- A technician opening it (``markTicketRead``, ``openTicket``) turns UNREAD into READ; other states stay,
  since a ticket waiting for a technician still is after being read.
- Its requester opening it in the portal does the same ("read: the requester or the technician has read
  the ticket"), whoever opened it. See services.ticket_reads.
- A technician's public reply makes it WAITING_FOR_REQUESTER; a requester's reply (portal, email, chat)
  makes it WAITING_FOR_TECHNICIAN. Internal notes change nothing.
- A technician can set any state by hand with ``updateTicket(activityStatus:)``; the next rule applies
  from there.
"""

from __future__ import annotations

from models.enums import ActivityStatus, CommentKind


def on_create() -> ActivityStatus:
    return ActivityStatus.UNREAD


def on_read_by_technician(current: ActivityStatus) -> ActivityStatus:
    return ActivityStatus.READ if current is ActivityStatus.UNREAD else current


def on_read_by_requester(current: ActivityStatus) -> ActivityStatus:
    return ActivityStatus.READ if current is ActivityStatus.UNREAD else current


def on_comment(current: ActivityStatus, kind: CommentKind, *, by_technician: bool) -> ActivityStatus:
    if kind is CommentKind.INTERNAL_NOTE:
        return current
    return ActivityStatus.WAITING_FOR_REQUESTER if by_technician else ActivityStatus.WAITING_FOR_TECHNICIAN
