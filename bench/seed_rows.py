"""The rows of the benchmark data set, in COPY column order, generated deterministically.

One account (made through the services, see bench/seed.py) gets 5,000 requesters at 40 customers and
10,000 tickets over the last 400 days. Each ticket's history is written the way the services write it:
TICKET_CREATED, the assignment, tags and custom field values (with their activity rows), the conversation
(an activity row per comment), time entries (each with TIME_ENTRY_ADDED), the last status change (with its
SLA pause and resolution time), a survey for some closed tickets, and SLA due times and breaches worked out
by deskql's own SLA engine, so that the periodic breach check finds nothing left to log.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.demo_text import DEVICE_KINDS, JOB_TITLES, SCENARIOS
from bench.seed_text import (
    CUSTOMER_WORDS,
    DEPARTMENTS,
    EXTRA_TAGS,
    INDUSTRIES,
    pools,
)
from services.sla import calendar_from

TICKETS = int(os.environ.get("DESKQL_BENCH_TICKETS", "10000"))
"""10,000; DESKQL_BENCH_TICKETS builds a bigger data set (bench/dashboard.py --tickets 200000), at least 10,000."""
COMMENTS = 500_000 + 2 * max(0, TICKETS - 10_000)
"""500,000, and two more for every ticket beyond 10,000."""
REQUESTERS = 5_000
CUSTOMERS = 40
GIANT_COMMENTS = 5_000
GIANT_NUMBERS = (9_500, 9_600, 9_700, 9_800, 9_900)
"""Tickets with 5,000 comments each: long-running incidents of the last three weeks."""
PAGE_NUMBER = 9_960
"""The ticket of the ticket-page benchmark: waiting for parts, 64 comments, every panel filled."""
SMALL_NUMBER = 9_959
"""A ticket with 5 comments, to show that statement counts do not grow with the conversation."""
HISTORY_DAYS = 400

Row = tuple[Any, ...]

COLUMNS: dict[str, tuple[str, ...]] = {
    "customer": tuple(["id", "account_id", "name", "sla_policy_id", "created_at"]),
    "contract": tuple(["id", "account_id", "customer_id", "name", "contract_type", "starts_on", "ends_on"]),
    "site": tuple(["id", "account_id", "customer_id", "name", "address"]),
    "department": tuple(["id", "account_id", "name"]),
    "requester": tuple(
        [
            "id",
            "account_id",
            "name",
            "email",
            "job_title",
            "phone",
            "mobile",
            "customer_id",
            "site_id",
            "department_id",
            "password_hash",
            "created_at",
        ]
    ),
    "device": tuple(["id", "account_id", "requester_id", "name", "hostname", "os", "online", "last_seen_at"]),
    "tag": tuple(["id", "account_id", "name"]),
    "ticket": tuple(
        [
            "id",
            "account_id",
            "number",
            "title",
            "description",
            "status_id",
            "ticket_type",
            "priority",
            "impact",
            "activity_status",
            "assignee_id",
            "requester_id",
            "channel",
            "form_template_id",
            "sla_policy_id",
            "first_response_due_at",
            "first_responded_at",
            "resolution_due_at",
            "resolved_at",
            "first_response_seconds",
            "first_response_in_business_time",
            "resolution_seconds",
            "resolution_in_business_time",
            "next_sla_due_at",
            "first_response_breach_logged",
            "resolution_breach_logged",
            "is_spam",
            "created_at",
            "updated_at",
            "version",
        ]
    ),
    "ticket_tag": tuple(["id", "ticket_id", "tag_id", "source", "created_at"]),
    "ticket_field_value": tuple(["id", "ticket_id", "field_id", "value"]),
    "comment": tuple(
        [
            "id",
            "account_id",
            "ticket_id",
            "kind",
            "author_technician_id",
            "author_requester_id",
            "body",
            "text",
            "channel",
            "is_resolution",
            "truncated",
            "created_at",
        ]
    ),
    "attachment": tuple(
        [
            "id",
            "account_id",
            "comment_id",
            "uploaded_by_technician_id",
            "uploaded_by_requester_id",
            "filename",
            "content_type",
            "size",
            "sha256",
            "created_at",
        ]
    ),
    "activity": tuple(
        [
            "id",
            "account_id",
            "ticket_id",
            "kind",
            "actor_technician_id",
            "actor_requester_id",
            "field",
            "old_value",
            "new_value",
            "comment_id",
            "channel",
            "created_at",
        ]
    ),
    "time_entry": tuple(
        [
            "id",
            "account_id",
            "ticket_id",
            "technician_id",
            "source",
            "started_at",
            "ended_at",
            "duration_seconds",
            "description",
            "billable",
            "rate",
            "created_at",
            "updated_at",
        ]
    ),
    "satisfaction_survey": tuple(
        [
            "id",
            "account_id",
            "requester_id",
            "ticket_id",
            "support_quality",
            "technician_knowledge",
            "overall_helpfulness",
            "comment",
            "created_at",
        ]
    ),
    "sla_pause": tuple(["id", "ticket_id", "started_at", "ended_at"]),
}
"""The columns each table is copied with, in the order of the generated rows."""
ORGANISATION_TABLES = ("customer", "contract", "site", "department", "requester", "device", "tag")
TICKET_TABLES = (
    "ticket",
    "ticket_tag",
    "ticket_field_value",
    "comment",
    "attachment",
    "activity",
    "time_entry",
    "satisfaction_survey",
    "sla_pause",
)
"""In foreign-key order: a batch is copied table by table in this order."""


@dataclass(frozen=True)
class Status:
    id: int
    name: str
    category: str
    pauses_sla: bool

    @property
    def stops_clocks(self) -> bool:
        return self.category in ("PENDING", "RESOLVED", "CLOSED") or self.pauses_sla


@dataclass(frozen=True)
class FieldDefinition:
    id: int
    name: str
    type: str
    options: list[str]


@dataclass(frozen=True)
class Policy:
    id: int
    targets: dict[str, dict[str, int]]
    calendar: dict[str, Any] | None
    """timezone, weekly_hours, holidays of its business calendar; None: around the clock."""


@dataclass
class Setup:
    """What the services created before the bulk load."""

    account_id: int
    technicians: list[tuple[int, str]]
    statuses: dict[str, Status]
    """By name."""
    template_id: int
    fields: list[FieldDefinition]
    default_policy: Policy
    premium_policy: Policy


@dataclass
class Ids:
    counters: dict[str, int] = field(default_factory=dict)

    def next(self, table: str) -> int:
        self.counters[table] = self.counters.get(table, 0) + 1
        return self.counters[table]


@dataclass
class Person:
    id: int
    customer: int
    name: str


class DataSet:
    """Generates the organisation, then the tickets in batches (rows by table)."""

    def __init__(self, setup: Setup, now: datetime, seed: int = 11) -> None:
        self.setup = setup
        self.now = now
        self.rng = random.Random(seed)
        self.ids = Ids()
        self.texts = pools(self.rng)
        self.requesters: list[Person] = []
        self.customer_policy: dict[int, Policy] = {}
        self.tag_ids: dict[str, int] = {}
        self.calendars = {
            policy.id: calendar_from(
                policy.calendar["timezone"], policy.calendar["weekly_hours"], policy.calendar["holidays"]
            )
            if policy.calendar
            else None
            for policy in (setup.default_policy, setup.premium_policy)
        }
        self.comment_counts = self._comment_counts()
        self.requester_weights: list[float] = []

    def _comment_counts(self) -> dict[int, int]:
        rng = random.Random(5)
        fixed = {number: GIANT_COMMENTS for number in GIANT_NUMBERS}
        fixed[PAGE_NUMBER] = 64
        fixed[SMALL_NUMBER] = 5
        rest = [n for n in range(1, TICKETS + 1) if n not in fixed]
        budget = COMMENTS - sum(fixed.values())
        raw = [rng.lognormvariate(0, 0.9) for _ in rest]
        scale = budget / sum(raw)
        counts = {n: max(1, round(x * scale)) for n, x in zip(rest, raw, strict=True)}
        difference = budget - sum(counts.values())
        while difference:
            n = rng.choice(rest)
            if difference > 0:
                counts[n] += 1
                difference -= 1
            elif counts[n] > 1:
                counts[n] -= 1
                difference += 1
        return counts | fixed

    def organisation(self, requester_names: list[str]) -> dict[str, list[Row]]:
        rng, account = self.rng, self.setup.account_id
        rows: dict[str, list[Row]] = {table: [] for table in ORGANISATION_TABLES}
        today = self.now.date()
        departments = []
        for name in DEPARTMENTS:
            departments.append(self.ids.next("department"))
            rows["department"].append((departments[-1], account, name))
        customers: list[tuple[int, list[int], str]] = []
        for index in range(CUSTOMERS):
            word = CUSTOMER_WORDS[index % len(CUSTOMER_WORDS)]
            name = f"{word} {INDUSTRIES[(index // len(CUSTOMER_WORDS) + index * 3) % len(INDUSTRIES)]}"
            customer = self.ids.next("customer")
            policy = self.setup.premium_policy if index % 4 == 0 else None
            if policy:
                self.customer_policy[customer] = policy
            created = self.now - timedelta(days=700 - index * 5)
            rows["customer"].append((customer, account, name, policy.id if policy else None, created))
            for contract_name, kind, starts, ends in (
                (f"{name} managed services", "RETAINER", today - timedelta(days=500), None),
                (
                    "Project hours block",
                    "BLOCK_HOURS",
                    today - timedelta(days=90),
                    today + timedelta(days=270),
                ),
                (
                    "Hardware refresh 2023",
                    "FIXED_FEE",
                    today - timedelta(days=800),
                    today - timedelta(days=400),
                ),
            )[: 1 + index % 3]:
                rows["contract"].append(
                    (self.ids.next("contract"), account, customer, contract_name, kind, starts, ends)
                )
            sites = []
            for site_index in range(1 + index % 3):
                sites.append(self.ids.next("site"))
                rows["site"].append(
                    (
                        sites[-1],
                        account,
                        customer,
                        f"{word} site {site_index + 1}",
                        f"{10 + site_index} Harbour Road",
                    )
                )
            domain = word.lower().replace(" ", "").replace("'", "") + f"{index}.example"
            customers.append((customer, sites, domain))
        for index, name in enumerate(requester_names):
            customer, sites, domain = customers[index % CUSTOMERS]
            requester = self.ids.next("requester")
            self.requesters.append(Person(requester, customer, name))
            email = f"{name.lower().replace('. ', '.').replace(' ', '.')}.{index}@{domain}"
            rows["requester"].append(
                (
                    requester,
                    account,
                    name,
                    email,
                    rng.choice(JOB_TITLES),
                    f"+1 555 01{rng.randint(10, 99)}",
                    f"+1 555 02{rng.randint(10, 99)}" if rng.random() < 0.7 else "",
                    customer,
                    rng.choice(sites),
                    rng.choice(departments),
                    None,
                    self.now - timedelta(days=rng.uniform(400, 800)),
                )
            )
            for device_number in range(2 if index < 10 else rng.choice([0, 1, 1, 1, 2])):
                os_name, prefix = rng.choice(DEVICE_KINDS)
                hostname = f"{prefix}-{requester:05d}-{device_number}"
                online = rng.random() < 0.6
                seen = self.now - timedelta(minutes=rng.randint(1, 5) if online else rng.randint(60, 40_000))
                rows["device"].append(
                    (
                        self.ids.next("device"),
                        account,
                        requester,
                        hostname,
                        hostname.lower(),
                        os_name,
                        online,
                        seen,
                    )
                )
        names = sorted({tag for scenario in SCENARIOS for tag in scenario.tags} | set(EXTRA_TAGS))
        for name in names:
            self.tag_ids[name] = self.ids.next("tag")
            rows["tag"].append((self.tag_ids[name], account, name))
        # A few requesters open most tickets (office managers); the page's requester is one of them.
        self.requester_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(self.requesters))]
        return rows

    def batches(self, size: int = 250) -> Iterator[tuple[dict[str, list[Row]], int]]:
        """Rows of ``size`` tickets at a time, with the number of comments in them."""
        from bench.seed_history import History

        numbers = list(range(1, TICKETS + 1))
        for start in range(0, TICKETS, size):
            rows: dict[str, list[Row]] = {table: [] for table in TICKET_TABLES}
            for number in numbers[start : start + size]:
                History(self, number, rows).write()
            yield rows, len(rows["comment"])
