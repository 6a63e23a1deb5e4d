"""Teams of technicians (admins manage them) and what routing reads of them.

A team belongs to one account; its members are technicians of that account, and a technician may be in
several teams. Names are unique (case-insensitively) among the account's teams that are not archived; an
archived team stays on the tickets that have it but cannot be chosen for a ticket any more. A ticket's
team is set through ``services.ticket_update`` (``TicketChanges.team_id``), like every other field.

Routing (automation rules) picks among ``members_of`` a team, its active technicians: by round robin
(``next_member_round_robin``) or by load (``member_with_fewest_open``), then assigns through
services.ticket_update like a person.
"""

from __future__ import annotations

from collections.abc import Iterable

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Count

from models.accounts import Technician
from models.clock import utcnow
from models.enums import StatusCategory
from models.teams import Team, TeamMember
from models.tickets import Ticket
from services import validation
from services.admin import require_admin
from services.errors import Conflict, NotFound, Problems, ValidationFailed
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

MAX_NAME = 100
TAKEN = "A team with this name already exists."


def _key(name: str) -> str:
    """What names are compared by: casefolded, cut to the column (casefolding may lengthen a name: ß)."""
    return name.casefold()[:MAX_NAME]


def _name(problems: Problems, value: str) -> str:
    return validation.text(problems, "name", value, max_length=MAX_NAME, one_line=True)


async def _technicians(viewer: Viewer, field: str, technician_ids: Iterable[int]) -> list[int]:
    """The ids, deduplicated in order, each a technician of the viewer's account (others fail ``field``)."""
    wanted = list(dict.fromkeys(technician_ids))
    found = set(
        await Technician.filter(account_id=viewer.account_id, id__in=wanted).values_list("id", flat=True)
    )
    missing = [technician_id for technician_id in wanted if technician_id not in found]
    if missing:
        raise ValidationFailed.one(field, f"{len(missing)} of these are not technicians of this account.")
    return wanted


async def _team(viewer: Viewer, team_id: int) -> Team:
    team = await Team.get_or_none(id=team_id, account_id=viewer.account_id)
    if team is None:
        raise NotFound("id")
    return team


async def _team_and_name(viewer: Viewer, team_id: int, name: str) -> tuple[Team, str]:
    """Admins only: the team of the viewer's account, and ``name`` checked when given (UNSET stays)."""
    require_admin(viewer)
    team = await _team(viewer, team_id)
    problems = Problems()
    if name is not UNSET:
        name = _name(problems, name)
    problems.raise_if_any()
    return team, name


async def _add(team_id: int, technician_ids: Iterable[int]) -> None:
    present = set(await TeamMember.filter(team_id=team_id).values_list("technician_id", flat=True))
    for technician_id in technician_ids:
        if technician_id not in present:
            await TeamMember.create(team_id=team_id, technician_id=technician_id)


async def create_team(viewer: Viewer, *, name: str, member_ids: Iterable[int] = ()) -> Team:
    """A new team with these members. Raises PermissionDenied, ValidationFailed (name, memberIds)."""
    require_admin(viewer)
    problems = Problems()
    name = _name(problems, name)
    problems.raise_if_any()
    members = await _technicians(viewer, "memberIds", member_ids)
    try:
        async with unit_of_work():
            team = await Team.create(account_id=viewer.account_id, name=name, name_key=_key(name))
            await _add(team.id, members)
    except IntegrityError as error:  # the unique key (account, name_key): also against a concurrent save
        raise ValidationFailed.one("name", TAKEN) from error
    return team


async def update_team(
    viewer: Viewer,
    team_id: int,
    *,
    name: str = UNSET,
    member_ids: list[int] = UNSET,
    add_member_ids: list[int] = UNSET,
    remove_member_ids: list[int] = UNSET,
) -> Team:
    """Rename, set the members (``member_ids``) or add and remove some. An archived team can be renamed
    and staffed but keeps its archived name free for others.

    Raises PermissionDenied, NotFound (id), ValidationFailed (name, memberIds, addMemberIds,
    removeMemberIds), Conflict (a concurrent save added the same member).
    """
    team, name = await _team_and_name(viewer, team_id, name)
    members = None if member_ids is UNSET else await _technicians(viewer, "memberIds", member_ids)
    added = [] if add_member_ids is UNSET else await _technicians(viewer, "addMemberIds", add_member_ids)
    removed = [] if remove_member_ids is UNSET else list(remove_member_ids)
    try:
        async with unit_of_work():
            if name is not UNSET and name != team.name:
                key = None if team.archived_at is not None else _key(name)
                await Team.filter(id=team.id).update(name=name, name_key=key)
            if members is not None:
                await TeamMember.filter(team_id=team.id).exclude(technician_id__in=members).delete()
                await _add(team.id, members)
            await _add(team.id, added)
            if removed:
                await TeamMember.filter(team_id=team.id, technician_id__in=removed).delete()
    except IntegrityError as error:  # the name's unique key, or a member added at the same moment
        if name is not UNSET and name != team.name:
            raise ValidationFailed.one("name", TAKEN) from error
        raise Conflict("The team's members changed at the same moment; try again.") from error
    return await Team.get(id=team.id)


async def add_member(viewer: Viewer, team_id: int, technician_id: int) -> Team:
    """Put a technician into a team (admins). See ``update_team``."""
    return await update_team(viewer, team_id, add_member_ids=[technician_id])


async def remove_member(viewer: Viewer, team_id: int, technician_id: int) -> Team:
    """Take a technician out of a team (admins). See ``update_team``."""
    return await update_team(viewer, team_id, remove_member_ids=[technician_id])


async def archive_team(viewer: Viewer, team_id: int) -> Team:
    """Archive a team: it stays on its tickets, cannot be chosen for one, and its name is free again.
    Archiving an archived team changes nothing. Raises PermissionDenied, NotFound (id)."""
    require_admin(viewer)
    team = await _team(viewer, team_id)
    if team.archived_at is None:
        async with unit_of_work():
            await Team.filter(id=team.id).update(archived_at=utcnow(), name_key=None)
    return await Team.get(id=team.id)


async def restore_team(viewer: Viewer, team_id: int, *, name: str = UNSET) -> Team:
    """Put an archived team back in use, under its name or ``name``: it can be chosen for tickets again.
    Restoring a team in use changes nothing (but a ``name`` renames it, as ``update_team`` does).

    Raises PermissionDenied, NotFound (id), ValidationFailed (name: bad, or used by a team in use meanwhile).
    """
    team, name = await _team_and_name(viewer, team_id, name)
    if team.archived_at is None:
        return team if name is UNSET else await update_team(viewer, team_id, name=name)
    name = team.name if name is UNSET else name
    try:
        async with unit_of_work():
            await Team.filter(id=team.id).update(archived_at=None, name=name, name_key=_key(name))
    except IntegrityError as error:  # the name's unique key among teams in use
        raise ValidationFailed.one(
            "name", f"A team in use is called {name!r}: restore this one under another name."
        ) from error
    return await Team.get(id=team.id)


async def for_ticket(viewer: Viewer, team_id: int) -> Team:
    """The team a ticket of the viewer's account may be given: of the account and not archived.

    Raises ValidationFailed (teamId) otherwise, for another account's team as for an unknown one.
    """
    team = await Team.get_or_none(id=team_id, account_id=viewer.account_id)
    if team is None:
        raise ValidationFailed.one("teamId", "No such team in this account.")
    if team.archived_at is not None:
        raise ValidationFailed.one("teamId", f"The team {team.name!r} is archived.")
    return team


async def name_of(team_id: int | None) -> str | None:
    if team_id is None:
        return None
    return (await Team.get(id=team_id)).name


async def members_of(team_id: int) -> list[Technician]:
    """The team's active technicians, by id (the order routing goes round in)."""
    return await Technician.filter(team_memberships__team_id=team_id, active=True).order_by("id")


async def _lock(team_id: int) -> None:
    """Hold the team row until the transaction ends, so that concurrent picks queue up: SELECT ... FOR
    UPDATE on PostgreSQL; on SQLite, which has no row locks, a write that takes the database's write lock
    before anything is read (a deferred transaction that only reads could not see another one's pick)."""
    if connections.get("default").capabilities.dialect == "postgres":
        await Team.filter(id=team_id).select_for_update().only("id")
    else:
        await Team.filter(id=team_id).update(round_robin_last_id=F("round_robin_last_id"))


async def next_member_round_robin(team: Team) -> Technician | None:
    """The active member after the one the previous pick chose (by id, going round), remembered in the
    team's row so that every worker process continues from it; None for a team without active members.

    Picks are serialised by a lock on the team's row, so two at the same moment never choose the same
    member twice in a row. Inside a caller's unit of work, the lock is held until that commits.
    """
    async with unit_of_work():
        await _lock(team.id)
        last = await Team.filter(id=team.id).first().values_list("round_robin_last_id", flat=True)
        members = await members_of(team.id)
        if not members:
            return None
        chosen = next((m for m in members if isinstance(last, int) and m.id > last), members[0])
        await Team.filter(id=team.id).update(round_robin_last_id=chosen.id)
        return chosen


async def member_with_fewest_open(team: Team) -> Technician | None:
    """The active member with the fewest assigned tickets in an OPEN or PENDING status (deleted tickets
    left out), the lowest id among equals; None for a team without active members."""
    members = await members_of(team.id)
    if not members:
        return None
    counts = dict(
        await Ticket.filter(
            account_id=team.account_id,
            deleted_at__isnull=True,
            assignee_id__in=[member.id for member in members],
            status__category__in=[StatusCategory.OPEN, StatusCategory.PENDING],
        )
        .group_by("assignee_id")
        .annotate(count=Count("id"))
        .values_list("assignee_id", "count")
    )
    return min(members, key=lambda member: (counts.get(member.id, 0), member.id))
