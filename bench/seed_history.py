"""One ticket's history as bench/seed_rows.py generates it, in the order the services would write it."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.demo_text import SCENARIOS
from bench.seed_rows import (
    GIANT_NUMBERS,
    HISTORY_DAYS,
    PAGE_NUMBER,
    SMALL_NUMBER,
    TICKETS,
    FieldDefinition,
    Person,
    Policy,
    Row,
)
from bench.seed_text import EXTRA_TAGS, FILES, Text
from models.clock import NO_DUE_TIME
from services.field_values import display, dump
from services.sla import measure
from services.ticket_durations import duration

if TYPE_CHECKING:
    from bench.seed_rows import DataSet

OPEN_MIX = ["Open"] * 6 + ["Pending"] * 2 + ["Waiting for parts"] + ["Resolved"] * 2
OLD_MIX = ["Closed"] * 88 + ["Resolved"] * 8 + ["Open"] * 2 + ["Pending"] + ["Waiting for parts"]


class History:
    """One ticket's rows, written in the order the services would have written them."""

    def __init__(self, data: DataSet, number: int, rows: dict[str, list[Row]]) -> None:
        self.data, self.number, self.rows = data, number, rows
        self.rng = data.rng
        self.account = data.setup.account_id
        self.ticket = data.ids.next("ticket")
        self.changes = 0

    def activity(
        self,
        kind: str,
        at: datetime,
        *,
        technician: int | None = None,
        requester: int | None = None,
        field: str | None = None,
        old: str | None = None,
        new: str | None = None,
        comment: int | None = None,
        channel: str = "WEB",
    ) -> None:
        self.rows["activity"].append(
            (
                self.data.ids.next("activity"),
                self.account,
                self.ticket,
                kind,
                technician,
                requester,
                field,
                old,
                new,
                comment,
                channel,
                at,
            )
        )

    def write(self) -> None:
        data, rng, number = self.data, self.rng, self.number
        setup, now = data.setup, data.now
        special = number in (PAGE_NUMBER, SMALL_NUMBER)
        scenario = SCENARIOS[number % len(SCENARIOS)]
        age = timedelta(days=HISTORY_DAYS * (TICKETS - number) / TICKETS, minutes=rng.uniform(90, 600))
        opened = now - age
        status = setup.statuses[
            "Waiting for parts"
            if number == PAGE_NUMBER
            else "Open"
            if number in GIANT_NUMBERS or number == SMALL_NUMBER
            else rng.choice(OPEN_MIX if age < timedelta(days=30) else OLD_MIX)
        ]
        requester = (
            data.requesters[3] if special else rng.choices(data.requesters, weights=data.requester_weights)[0]
        )
        technicians = setup.technicians
        assignee = (
            technicians[7]
            if special
            else None
            if status.category == "OPEN" and rng.random() < 0.2
            else rng.choice(technicians)
        )
        worker = assignee or rng.choice(technicians)
        priority = (
            "HIGH" if special else rng.choice(["LOW", "MEDIUM", "MEDIUM", "MEDIUM", "HIGH", "CRITICAL"])
        )
        channel = rng.choice(["EMAIL", "EMAIL", "PORTAL", "WEB"])
        self.activity("TICKET_CREATED", opened, requester=requester.id, new=str(number), channel=channel)
        moment = opened + timedelta(minutes=rng.uniform(2, 40))
        if assignee:
            self.activity("ASSIGNEE_CHANGED", moment, technician=worker[0], field="assignee", new=assignee[1])
            self.changes += 1
        tags = list(scenario.tags) + (
            rng.sample(EXTRA_TAGS, rng.randint(0, 2)) if not special else ["vendor"]
        )
        for name in dict.fromkeys(tags):
            ai = not special and rng.random() < 0.1
            self.rows["ticket_tag"].append(
                (
                    data.ids.next("ticket_tag"),
                    self.ticket,
                    data.tag_ids[name],
                    "AI" if ai else "MANUAL",
                    moment,
                )
            )
            self.activity(
                "TAG_ADDED",
                moment,
                technician=None if ai else worker[0],
                field="tags",
                new=name,
                channel="SYSTEM" if ai else "WEB",
            )
            self.changes += 1
        for definition in setup.fields:
            if not special and rng.random() > (0.95 if definition.type == "DROPDOWN" else 0.35):
                continue
            value = _value(rng, definition)
            self.rows["ticket_field_value"].append(
                (data.ids.next("ticket_field_value"), self.ticket, definition.id, dump(value))
            )
            self.activity(
                "CUSTOM_FIELD_CHANGED",
                moment,
                technician=worker[0],
                field=definition.name,
                new=display(value),
            )
            self.changes += 1
        count = data.comment_counts[number]
        giant = number in GIANT_NUMBERS
        planned = timedelta(days=18) if giant else timedelta(minutes=count * rng.uniform(20, 240))
        available = (now - timedelta(hours=1) - moment) * 0.8
        span = min(planned, available, timedelta(days=12) if not giant else available)
        first_response, last_public_tech, last = self._conversation(count, moment, span, requester, worker)
        moment = max(moment + span, last)
        resolved_at: datetime | None = None
        pauses: list[tuple[datetime, datetime | None]] = []
        if status.name != "Open":
            moment = min(moment + timedelta(minutes=rng.uniform(1, 60)), now - timedelta(seconds=30))
            self.activity(
                "STATUS_CHANGED", moment, technician=worker[0], field="status", old="Open", new=status.name
            )
            self.changes += 1
            if status.stops_clocks:
                pauses.append((moment, None))
                self.rows["sla_pause"].append((data.ids.next("sla_pause"), self.ticket, moment, None))
            if status.category in ("RESOLVED", "CLOSED"):
                resolved_at = moment
                if last_public_tech is not None:
                    self.rows["comment"][last_public_tech] = (
                        *self.rows["comment"][last_public_tech][:9],
                        True,
                        *self.rows["comment"][last_public_tech][10:],
                    )
        if status.name == "Closed" and rng.random() < 0.35:
            self.rows["satisfaction_survey"].append(
                (
                    data.ids.next("satisfaction_survey"),
                    self.account,
                    requester.id,
                    self.ticket,
                    rng.randint(3, 5),
                    rng.randint(3, 5),
                    rng.randint(2, 5),
                    rng.choice(["", "", "Quick and friendly, thank you!", "Took a while but solved."]),
                    min(moment + timedelta(hours=rng.uniform(1, 30)), now - timedelta(minutes=5)),
                )
            )
        policy = data.customer_policy.get(requester.customer, setup.default_policy)
        sla = self._sla(policy, priority, opened, first_response, resolved_at, pauses)
        self.rows["ticket"].append(
            (
                self.ticket,
                self.account,
                number,
                f"{scenario.title}" if number % 3 else f"{scenario.title} (again)",
                scenario.description,
                status.id,
                scenario.ticket_type,
                priority,
                rng.choice(["NO_IMPACT", "MINOR", "MINOR", "MAJOR", "SITE_DOWN"]),
                rng.choice(["READ", "WAITING_FOR_REQUESTER", "WAITING_FOR_TECHNICIAN", "UNREAD"]),
                assignee[0] if assignee else None,
                requester.id,
                channel,
                setup.template_id,
                policy.id,
                *sla,
                False,
                opened,
                moment,
                1 + self.changes,
            )
        )

    def _conversation(
        self, count: int, start: datetime, span: timedelta, requester: Person, worker: tuple[int, str]
    ) -> tuple[datetime | None, int | None, datetime]:
        """The comments, their activity and attachments, and time entries; returns the first public reply
        of a technician, the index (in the batch) of the last one, and when the last comment was written."""
        data, rng = self.data, self.rng
        others = data.setup.technicians
        gap = span / count
        moment = start
        first_response: datetime | None = None
        last_public_tech: int | None = None
        for index in range(count):
            moment += gap * rng.uniform(0.5, 1.5) if index else gap * rng.uniform(0.1, 0.9)
            roll = rng.random()
            who = "requester" if index % 2 and roll < 0.8 else "note" if roll < 0.3 else "tech"
            by_requester = who == "requester"
            author = worker if rng.random() < 0.85 else rng.choice(others)
            kind = "INTERNAL_NOTE" if who == "note" else "PUBLIC_REPLY"
            channel = rng.choice(["EMAIL", "PORTAL"]) if by_requester else "WEB"
            text: Text = rng.choice(data.texts[who])
            comment = data.ids.next("comment")
            if kind == "PUBLIC_REPLY" and not by_requester:
                first_response = first_response or moment
                last_public_tech = len(self.rows["comment"])
            self.rows["comment"].append(
                (
                    comment,
                    self.account,
                    self.ticket,
                    kind,
                    None if by_requester else author[0],
                    requester.id if by_requester else None,
                    text.body,
                    text.text,
                    channel,
                    False,
                    False,
                    moment,
                )
            )
            self.activity(
                "INTERNAL_NOTE_ADDED" if kind == "INTERNAL_NOTE" else "PUBLIC_REPLY_ADDED",
                moment,
                technician=None if by_requester else author[0],
                requester=requester.id if by_requester else None,
                comment=comment,
                channel=channel,
            )
            files = 1 + (index % 3 == 0) if self.number == PAGE_NUMBER and index % 4 == 1 else 0
            if not files and rng.random() < 0.08:
                files = rng.choice([1, 1, 1, 2, 3])
            for _ in range(files):
                filename, content_type, low, high = rng.choice(FILES)
                self.rows["attachment"].append(
                    (
                        data.ids.next("attachment"),
                        self.account,
                        comment,
                        None if by_requester else author[0],
                        requester.id if by_requester else None,
                        filename,
                        content_type,
                        rng.randint(low, high),
                        f"{rng.getrandbits(256):064x}",
                        moment,
                    )
                )
            if not by_requester and (rng.random() < 0.06 or (self.number == PAGE_NUMBER and index % 16 == 2)):
                self._time_entry(author[0], moment)
        return first_response, last_public_tech, moment

    def _time_entry(self, technician: int, ended: datetime) -> None:
        rng = self.rng
        timer = rng.random() < 0.6
        seconds = rng.randint(120, 7200) if timer else 360 * rng.randint(1, 20)
        billable = rng.random() < 0.8
        rate = Decimal(rng.choice(["85.00", "95.00", "120.00", "150.00"])) if billable else None
        self.rows["time_entry"].append(
            (
                self.data.ids.next("time_entry"),
                self.account,
                self.ticket,
                technician,
                "TIMER" if timer else "MANUAL",
                ended - timedelta(seconds=seconds),
                ended,
                seconds,
                rng.choice(["", "Remote session", "Phone call with the user", "On site visit"]),
                billable,
                rate,
                ended,
                ended,
            )
        )
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        shown = " ".join(
            ([f"{hours} h"] if hours else [])
            + [f"{minutes:02d} min" if hours else f"{minutes} min"]
            + ([f"{secs:02d} s"] if secs else [])
        )
        self.activity("TIME_ENTRY_ADDED", ended, technician=technician, field="timeEntries", new=shown)

    def _sla(
        self,
        policy: Policy,
        priority: str,
        opened: datetime,
        first_response: datetime | None,
        resolved_at: datetime | None,
        pauses: list[tuple[datetime, datetime | None]],
    ) -> tuple[Any, ...]:
        """The ticket's SLA columns as services.sla stores them (due and met times, durations), with breach rows
        logged."""
        calendar = self.data.calendars[policy.id]
        states = []
        flags = []
        for clock, met in (("firstResponse", first_response), ("resolution", resolved_at)):
            target = int(policy.targets[priority][clock]) * 60
            state = measure(calendar, opened, target, met, pauses, self.data.now)
            states.append(state)
            flags.append(state.breached)
            if state.breached:
                assert state.due_at is not None
                logged = met or min(state.due_at + timedelta(seconds=self.rng.uniform(1, 30)), self.data.now)
                self.activity(
                    "SLA_BREACHED", logged, field=clock, new=state.due_at.isoformat(), channel="SYSTEM"
                )
        first, resolution = states
        running = [
            state.due_at
            for state in states
            if state.completed_at is None and not state.paused and state.due_at is not None
        ]
        return (
            first.due_at,
            first_response,
            resolution.due_at,
            resolved_at,
            duration(calendar, opened, first_response),
            first_response is not None and calendar is not None,
            duration(calendar, opened, resolved_at),
            resolved_at is not None and calendar is not None,
            min(running, default=NO_DUE_TIME),
            flags[0],
            flags[1],
        )


def _value(rng: random.Random, definition: FieldDefinition) -> Any:
    match definition.type:
        case "DROPDOWN":
            return rng.choice(definition.options)
        case "MULTI_SELECT":
            return rng.sample(definition.options, rng.randint(1, min(3, len(definition.options))))
        case "TEXT":
            return f"AT-{rng.randint(1000, 99999):06d}"
        case "NUMBER":
            return rng.randint(1, 250)
        case "CHECKBOX":
            return rng.random() < 0.2
        case "DATE":
            return (date(2025, 1, 1) + timedelta(days=rng.randint(0, 700))).isoformat()
        case "DECIMAL":
            return f"{rng.randint(20, 5000)}.{rng.randint(0, 99):02d}"
        case "URL":
            return f"https://kb.example/articles/{rng.randint(100, 999)}"
    return None
