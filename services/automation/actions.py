"""Carrying out a rule's actions on one ticket, through the same services a person's change goes through,
as the rule (``Viewer.automation``: channel AUTOMATION, activity rows 'by rule <name>'); and describing
them for a dry run without changing anything.

The actions that edit the ticket's properties are gathered into one ``ticket_update.update`` (one version,
one ``ticket.updated`` event); the note, the mails and the notifications follow, in the rule's order.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from models.accounts import Technician
from models.enums import AssignStrategy, MailKind, NotificationKind, Priority, RuleActionKind, TicketType
from models.enums import Impact as ImpactLevel
from models.forms import CustomField
from models.teams import Team
from models.tickets import Ticket, TicketStatus
from services import attachments, conversation, mail_out, notifications, teams, ticket_update
from services.reply_tokens import TECHNICIAN
from services.unit_of_work import current
from services.unset import UNSET
from services.viewer import Viewer

K = RuleActionKind
NOTE_LIMITS = attachments.Limits(max_file_bytes=0, max_comment_bytes=0)


@dataclass(frozen=True)
class Planned:
    """What one action would do, for a dry run."""

    path: str
    kind: str
    description: str


async def _member(ticket: Ticket, team_id: int | None, strategy: str | None) -> int | None:
    """A member of the team (the ticket's own when none is named, as it is after this rule's SET_TEAM)."""
    team = await Team.get_or_none(id=team_id, account_id=ticket.account_id) if team_id is not None else None
    if team is None:
        return None
    if strategy == AssignStrategy.FEWEST_OPEN:
        member = await teams.member_with_fewest_open(team)
    else:
        member = await teams.next_member_round_robin(team)
    return member.id if member is not None else None


async def _changes(ticket: Ticket, actions: list[dict[str, Any]]) -> ticket_update.TicketChanges:
    changes = ticket_update.TicketChanges()
    for action in actions:
        kind = action["kind"]
        if kind == K.SET_STATUS:
            changes.status_id = action["statusId"]
        elif kind == K.SET_PRIORITY:
            changes.priority = Priority(action["priority"])
        elif kind == K.SET_TYPE:
            changes.ticket_type = TicketType(action["type"])
        elif kind == K.SET_IMPACT:
            changes.impact = ImpactLevel(action["impact"])
        elif kind == K.SET_TEAM:
            changes.team_id = action.get("teamId")
        elif kind == K.ADD_TAGS:
            changes.add_tags = [*(changes.add_tags or []), *action["tags"]]
        elif kind == K.REMOVE_TAGS:
            changes.remove_tags = [*(changes.remove_tags or []), *action["tags"]]
        elif kind == K.SET_CUSTOM_FIELD:
            changes.custom_fields = {
                **(changes.custom_fields or {}),
                action["customFieldId"]: action.get("value"),
            }
        elif kind == K.ASSIGN_TECHNICIAN:
            changes.assignee_id = action.get("technicianId")
        elif kind == K.ASSIGN_TEAM_MEMBER:
            team_id = action.get("teamId") or (
                ticket.team_id if changes.team_id is UNSET else changes.team_id
            )
            member = await _member(ticket, team_id, action.get("strategy"))
            if member is not None:
                changes.assignee_id = member
    return changes


async def _team_recipients(ticket: Ticket) -> list[mail_out.Recipient]:
    if ticket.team_id is None:
        return []
    return [
        mail_out.Recipient(t.email, t.name, TECHNICIAN, t.id) for t in await teams.members_of(ticket.team_id)
    ]


async def perform(viewer: Viewer, ticket: Ticket, actions: list[dict[str, Any]]) -> None:
    """Carry out ``actions`` inside the caller's unit of work. Raises what the services raise."""
    changes = await _changes(ticket, actions)
    if any(value is not UNSET for value in vars(changes).values()):
        await ticket_update.update(viewer, ticket.id, changes)
    for action in actions:
        kind = action["kind"]
        if kind == K.ADD_NOTE:
            body = "".join(f"<p>{html.escape(line)}</p>" for line in action["text"].splitlines() if line)
            await conversation.add_internal_note(
                viewer, ticket.id, conversation.Draft(body=body), NOTE_LIMITS
            )
        elif kind == K.SEND_MAIL:
            fresh = await Ticket.get(id=ticket.id)
            team = await _team_recipients(fresh) if "TEAM" in action["recipients"] else []
            await mail_out.send_template(
                ticket.id, MailKind(action["mailTemplate"]), action["recipients"], team
            )
        elif kind == K.NOTIFY_TECHNICIANS:
            active: list[Any] = await Technician.filter(
                id__in=action["technicianIds"], account_id=viewer.account_id, active=True
            ).values_list("id", flat=True)
            work = current()
            assert work is not None, "rules act inside a unit of work"
            await notifications.notify(
                work,
                viewer.account_id,
                [int(i) for i in active],
                NotificationKind.AUTOMATION,
                ticket.id,
                None,
            )


async def _name(model: Any, pk: Any) -> str:
    row = await model.get_or_none(id=pk) if pk is not None else None
    return str(row.name) if row is not None else "(none)"


async def describe(ticket: Ticket, actions: list[dict[str, Any]]) -> list[Planned]:
    """What each action would change on ``ticket``, changing nothing."""
    planned: list[Planned] = []
    for i, action in enumerate(actions):
        kind = action["kind"]
        text = ""
        if kind == K.SET_STATUS:
            text = f"status: {await _name(TicketStatus, ticket.status_id)} -> {await _name(TicketStatus, action['statusId'])}"
        elif kind == K.SET_PRIORITY:
            text = f"priority: {ticket.priority.value} -> {action['priority']}"
        elif kind == K.SET_TYPE:
            text = f"type: {ticket.ticket_type.value} -> {action['type']}"
        elif kind == K.SET_IMPACT:
            text = f"impact: {ticket.impact.value} -> {action['impact']}"
        elif kind == K.SET_TEAM:
            text = f"team: {await _name(Team, ticket.team_id)} -> {await _name(Team, action.get('teamId'))}"
        elif kind in (K.ADD_TAGS, K.REMOVE_TAGS):
            sign = "+" if kind == K.ADD_TAGS else "-"
            text = "tags: " + ", ".join(f"{sign}{name}" for name in action["tags"])
        elif kind == K.SET_CUSTOM_FIELD:
            text = f"{await _name(CustomField, action['customFieldId'])} -> {action.get('value')!r}"
        elif kind == K.ASSIGN_TECHNICIAN:
            text = (
                f"assignee: {await _name(Technician, ticket.assignee_id)} -> "
                f"{await _name(Technician, action.get('technicianId'))}"
            )
        elif kind == K.ASSIGN_TEAM_MEMBER:
            team = await _name(Team, action.get("teamId") or ticket.team_id)
            text = f"assignee: a member of team {team} by {action.get('strategy') or 'ROUND_ROBIN'}"
        elif kind == K.ADD_NOTE:
            text = f"internal note: {action['text'][:200]}"
        elif kind == K.SEND_MAIL:
            text = f"mail {action['mailTemplate']} to {', '.join(action['recipients'])}"
        elif kind == K.NOTIFY_TECHNICIANS:
            names = [await _name(Technician, pk) for pk in action["technicianIds"]]
            text = f"notify {', '.join(names)}"
        planned.append(Planned(f"actions[{i}]", kind, text))
    return planned
