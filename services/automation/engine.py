"""Running the rules of a change: durable, in order, at most once per rule and original change.

- Before a change commits (``record``, a before-commit consumer), one AutomationWork row per ticket it
  touched and some rule may fire for is written in its own transaction, leased to this process: the change
  and its pending rules commit together, so a crash after the commit loses nothing. A change no rule wants
  (no trigger, or no conditions hold) costs the reading of the rules (services.automation.ruleset) only.
- Once it has committed (``run_recorded``), this process runs those rows: each enabled rule of the ticket's
  account, in position order, whose trigger matches the events and whose conditions match the ticket as it
  is now. A rule acts in one transaction that also writes its ledger row (AutomationRun, unique per rule
  and ``<origin>:<ticket>``): a run delivered twice finds the row and does nothing, and a rule never fires
  twice for one original change. The work row is deleted when every rule has had its turn.
- A process killed mid-run leaves its row leased; once the lease has run out the ``recover`` job of any
  process takes it over and runs it again (rules already done are skipped by the ledger).
- Loops: the changes a rule makes are changes like any other, so they trigger rules too, with the origin of
  the change that started it all and one more level of depth; past ``MAX_DEPTH`` nothing more is recorded.
  The rules' own changes wait in a queue until the rules of the current change have all had their turn.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Sequence
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from models.automation import AutomationRun, AutomationWork
from models.clock import utcnow
from models.conversation import Comment
from models.enums import RuleTrigger
from models.tickets import Ticket
from services.automation import actions, conditions, ruleset
from services.automation.ruleset import Rule
from services.errors import DomainError, ValidationFailed
from services.events import Event
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

log = logging.getLogger("deskql.automation")

MAX_DEPTH = 3
"""How many levels of rules' changes one original change may set off."""
LEASE = timedelta(seconds=60)
WORKER = f"{socket.gethostname()}:{os.getpid()}"
TRIGGERING = ("ticket.created", "ticket.updated", "comment.added")


@dataclass(frozen=True)
class _Acting:
    origin: str
    depth: int


_acting: ContextVar[_Acting | None] = ContextVar("deskql_rule_acting", default=None)
_recorded: ContextVar[tuple[int, list[int]] | None] = ContextVar("deskql_rule_work", default=None)
_queue: ContextVar[list[int] | None] = ContextVar("deskql_rule_queue", default=None)


def lease() -> timedelta:
    return LEASE


def set_lease(seconds: float) -> None:
    """How long a process holds a work row before another may take it over (settings, at start)."""
    global LEASE
    LEASE = timedelta(seconds=seconds)


def _events_of(events: Sequence[Event]) -> dict[int, list[Event]]:
    by_ticket: dict[int, list[Event]] = {}
    for event in events:
        if event.ticket_id is not None and event.type in TRIGGERING:
            by_ticket.setdefault(event.ticket_id, []).append(event)
    return by_ticket


async def _comments(ticket_events: list[dict[str, Any]]) -> dict[int, Comment]:
    ids = [e["ids"]["comment"] for e in ticket_events if e["type"] == "comment.added"]
    return {c.id: c for c in await Comment.filter(id__in=ids)} if ids else {}


async def _may_fire(rules: list[Rule], ticket_id: int, ticket_events: list[dict[str, Any]]) -> bool:
    """Whether any rule's trigger and conditions hold, read inside the change's own transaction (so a change
    that no rule wants costs no pending row); after commit they are evaluated again, in order."""
    comments = await _comments(ticket_events)
    triggered = [rule for rule in rules if _triggered(rule, ticket_events, comments)]
    ticket = await Ticket.get_or_none(id=ticket_id) if triggered else None
    if ticket is None:
        return False
    facts = conditions.Facts(ticket, comments[max(comments)] if comments else None)
    for rule in triggered:
        if not conditions.rejects(rule.compiled, facts) and await conditions.matches(rule.compiled, facts):
            return True
    return False


async def record(events: Sequence[Event]) -> None:
    """Before commit: the pending rules of this change, one row per ticket where a rule may fire."""
    by_ticket = _events_of(events)
    acting = _acting.get()
    if not by_ticket or (acting is not None and acting.depth >= MAX_DEPTH):
        return
    origin = acting.origin if acting is not None else uuid.uuid4().hex
    depth = acting.depth + 1 if acting is not None else 0
    ids = []
    for ticket_id, ticket_events in by_ticket.items():
        account_id = ticket_events[0].account_id
        rules = await ruleset.event_rules(account_id)
        serial = [{"type": e.type, "changes": list(e.changes), "ids": e.ids} for e in ticket_events]
        if not rules or not await _may_fire(rules, ticket_id, serial):
            continue
        row = await AutomationWork.create(
            account_id=account_id,
            ticket_id=ticket_id,
            origin=origin,
            depth=depth,
            events=serial,
            leased_by=WORKER,
            leased_until=utcnow() + LEASE,
        )
        ids.append(row.id)
    if ids:
        _recorded.set((id(events), ids))


async def run_recorded(events: Sequence[Event]) -> None:
    """After commit: run the rows ``record`` wrote for these events (queued while a rule is acting)."""
    recorded = _recorded.get()
    if recorded is None or recorded[0] != id(events):
        return
    _recorded.set(None)
    queue = _queue.get()
    if queue is not None:
        queue.extend(recorded[1])
        return
    await run(recorded[1])


async def run(work_ids: list[int]) -> None:
    """Run these work rows, and the rows their rules' changes add, in order."""
    queue = list(work_ids)
    token = _queue.set(queue)
    try:
        while queue:
            work = await AutomationWork.get_or_none(id=queue.pop(0))
            if work is not None:
                await _run(work)
    finally:
        _queue.reset(token)


def _triggered(rule: Rule, events: list[dict[str, Any]], comments: dict[int, Comment]) -> bool:
    options = rule.options
    for event in events:
        if rule.trigger is RuleTrigger.TICKET_CREATED and event["type"] == "ticket.created":
            return True
        if rule.trigger is RuleTrigger.TICKET_UPDATED and event["type"] == "ticket.updated":
            wanted = set(options.get("changedFields") or [])
            if not wanted or wanted & set(event["changes"]):
                return True
        if rule.trigger is RuleTrigger.COMMENT_ADDED and event["type"] == "comment.added":
            comment = comments.get(event["ids"].get("comment", 0))
            if comment is not None and _comment_fits(options, comment):
                return True
    return False


def _comment_fits(options: dict[str, Any], comment: Comment) -> bool:
    if options.get("commentKind") and comment.kind.value != options["commentKind"]:
        return False
    author = "REQUESTER" if comment.author_requester_id is not None else "TECHNICIAN"
    if options.get("author") and author != options["author"]:
        return False
    return not options.get("channels") or comment.channel.value in options["channels"]


async def _run(work: AutomationWork) -> None:
    key = f"{work.origin}:{work.ticket_id}"
    ticket = await Ticket.get_or_none(id=work.ticket_id, account_id=work.account_id, deleted_at__isnull=True)
    if ticket is not None:
        rules = await ruleset.event_rules(work.account_id)
        done = set(await AutomationRun.filter(event_key=key).values_list("rule_id", flat=True))
        comments = await _comments(work.events)
        comment = comments[max(comments)] if comments else None
        facts = conditions.Facts(ticket, comment)
        for rule in rules:
            if rule.id in done or not _triggered(rule, work.events, comments):
                continue
            if conditions.rejects(rule.compiled, facts) or not await conditions.matches(rule.compiled, facts):
                continue
            if await fire(rule, ticket, key, _Acting(work.origin, work.depth)):
                ticket = await Ticket.get(id=ticket.id)
                facts = conditions.Facts(ticket, comment)
    await AutomationWork.filter(id=work.id).delete()


async def fire(rule: Rule, ticket: Ticket, key: str, acting: _Acting | None = None) -> bool:
    """Carry out ``rule`` on ``ticket`` once for ``key``: False when it had already been done (or failed)."""
    viewer = Viewer.automation(rule.account_id, rule.id, rule.name)
    token = _acting.set(acting or _Acting(uuid.uuid4().hex, 0))
    try:
        async with unit_of_work():
            await _ledger(rule, key, ticket)
            await actions.perform(viewer, ticket, rule.actions)
        return True
    except IntegrityError:
        return False
    except DomainError as error:
        # The rule cannot act on this ticket (an archived status, a field not in its form): it is done.
        why = _why(error)
        log.warning("rule %s (%s) could not act on ticket %s: %s", rule.id, rule.name, ticket.id, why)
        with suppress(IntegrityError):
            await _ledger(rule, key, ticket, why)
        return False
    finally:
        _acting.reset(token)


async def _ledger(rule: Rule, key: str, ticket: Ticket, error: str | None = None) -> None:
    """The rule's ledger row for ``key``: done, or (``error``) found unable to act."""
    await AutomationRun.create(
        rule_id=rule.id,
        event_key=key,
        account_id=rule.account_id,
        ticket_id=ticket.id,
        error=None if error is None else error[:500],
    )


def _why(error: DomainError) -> str:
    """What an admin reads: each field with what is wrong with it, or the error's message."""
    if isinstance(error, ValidationFailed):
        return "; ".join(f"{field}: {message}" for field, message in error.fields.items())
    return error.message


async def recover(limit: int = 50) -> int:
    """Take over work rows whose lease ran out (their process died) and run them. Returns how many."""
    now = utcnow()
    stale: list[Any] = (
        await AutomationWork.filter(leased_until__lt=now)
        .order_by("id")
        .limit(limit)
        .values_list("id", flat=True)
    )
    taken = []
    for work_id in stale:
        claimed = await AutomationWork.filter(id=work_id, leased_until__lt=now).update(
            leased_by=WORKER, leased_until=now + LEASE
        )
        if claimed:
            taken.append(int(work_id))
    if taken:
        await run(taken)
    return len(taken)
