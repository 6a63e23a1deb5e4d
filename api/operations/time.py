"""Time tracking: the live timer and time entries."""

from __future__ import annotations

import strawberry

from resolvers import time_mutations as m
from schema.payloads.common import DeleteResult
from schema.payloads.time import OpenTicketResult, TimeEntryResult, TimerResult


@strawberry.type
class TimeMutations:
    open_ticket: OpenTicketResult = strawberry.field(
        resolver=m.open_ticket,
        description="The page opened a ticket: mark it read and, with autoStartTimer, start your timer.",
    )
    start_timer: TimerResult = strawberry.field(
        resolver=m.start_timer,
        description="Start (or resume) your timer on a ticket; the running one pauses.",
    )
    pause_timer: TimerResult = strawberry.field(
        resolver=m.pause_timer, description="Pause your running timer."
    )
    resume_timer: TimerResult = strawberry.field(
        resolver=m.resume_timer, description="Resume your paused timer; the running one pauses."
    )
    stop_timer: TimerResult = strawberry.field(
        resolver=m.stop_timer, description="Stop your timer and record its time as an entry (source TIMER)."
    )
    adjust_timer: TimerResult = strawberry.field(
        resolver=m.adjust_timer, description="Add or remove whole seconds (forgot to stop, under-counted)."
    )
    discard_timer: TimerResult = strawberry.field(
        resolver=m.discard_timer, description="Throw your timer away without recording anything."
    )
    add_time_entry: TimeEntryResult = strawberry.field(
        resolver=m.add_time_entry, description="Record time by hand (admins: also for other technicians)."
    )
    update_time_entry: TimeEntryResult = strawberry.field(
        resolver=m.update_time_entry, description="Change your entry (admins: anyone's)."
    )
    delete_time_entry: DeleteResult = strawberry.field(
        resolver=m.delete_time_entry, description="Delete your entry (admins: anyone's)."
    )
