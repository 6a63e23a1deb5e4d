"""Picking a team member for a ticket: round robin with a cursor every process shares, and fewest open."""

from __future__ import annotations

import asyncio
from collections import Counter

from app.database import Database
from models.accounts import Technician
from models.clock import utcnow
from models.enums import StatusCategory
from models.teams import Team
from models.tickets import Ticket, TicketStatus
from services import people, teams, ticket_update
from services.ticket_update import TicketChanges
from tests.factories import World, as_viewer, make_world


async def team_of(world: World, *names: str) -> tuple[Team, list[Technician]]:
    admin = as_viewer(world.admin)
    members = [
        await people.create_technician(admin, name=name, email=f"{name.lower()}{world.account.id}@acme.test")
        for name in names
    ]
    team = await teams.create_team(admin, name="Network", member_ids=[m.id for m in members])
    return team, members


async def test_round_robin_goes_round_the_active_members_and_resumes_where_it_stopped(db: Database) -> None:
    world = await make_world()
    team, (ann, ben, cat) = await team_of(world, "Ann", "Ben", "Cat")
    picks = [await teams.next_member_round_robin(team) for _ in range(4)]
    assert picks == [ann, ben, cat, ann]
    await Technician.filter(id=ben.id).update(active=False)
    assert await teams.members_of(team.id) == [ann, cat]
    assert [await teams.next_member_round_robin(team) for _ in range(2)] == [cat, ann]
    # the cursor lives in the team's row: a fresh copy of the team (another process) continues from it
    assert (await Team.get(id=team.id)).round_robin_last_id == ann.id
    assert await teams.next_member_round_robin(await Team.get(id=team.id)) == cat
    # a member taken out is skipped; a team with nobody active picks nobody
    await teams.remove_member(as_viewer(world.admin), team.id, ann.id)
    assert await teams.next_member_round_robin(team) == cat
    await Technician.filter(id=cat.id).update(active=False)
    assert await teams.next_member_round_robin(team) is None
    assert await teams.member_with_fewest_open(team) is None


async def test_concurrent_picks_never_choose_the_same_member_twice_in_a_row(db: Database) -> None:
    world = await make_world()
    team, members = await team_of(world, "Ann", "Ben", "Cat")
    rounds = [
        await asyncio.gather(*(teams.next_member_round_robin(team) for _ in range(2))) for _ in range(6)
    ]
    for first, second in rounds:
        assert first is not None
        assert second is not None
        assert first.id != second.id, rounds
    assert Counter(pick.id for pair in rounds for pick in pair if pick) == {m.id: 4 for m in members}


async def test_fewest_open_counts_open_and_pending_tickets_and_breaks_ties_by_id(db: Database) -> None:
    world = await make_world()
    other = await make_world("Globex")
    team, (ann, ben, cat) = await team_of(world, "Ann", "Ben", "Cat")
    technician = as_viewer(world.admin)
    statuses = {
        s.category: s.id for s in await TicketStatus.filter(account_id=world.account.id, built_in=True)
    }

    async def assign(who: Technician, category: StatusCategory = StatusCategory.OPEN) -> Ticket:
        ticket = await world.ticket()
        changes = TicketChanges(assignee_id=who.id, status_id=statuses[category])
        return await ticket_update.update(technician, ticket.id, changes)

    assert await teams.member_with_fewest_open(team) == ann  # all at 0: the lowest id
    await assign(ann)
    await assign(ann, StatusCategory.PENDING)
    await assign(ben)
    for category in (StatusCategory.RESOLVED, StatusCategory.CLOSED):
        await assign(cat, category)
    assert await teams.member_with_fewest_open(team) == cat  # resolved and closed do not count
    await assign(cat)
    await assign(cat)
    assert await teams.member_with_fewest_open(team) == ben
    deleted = await assign(ben)
    assert await teams.member_with_fewest_open(team) == ann  # 2 each: the lowest id
    await Ticket.filter(id=deleted.id).update(deleted_at=utcnow())
    assert await teams.member_with_fewest_open(team) == ben  # the deleted ticket left out
    # another account's tickets and teams are another world
    other_team, (dan,) = await team_of(other, "Dan")
    await Technician.filter(id=ben.id).update(active=False)
    assert await teams.member_with_fewest_open(team) == ann
    assert await teams.member_with_fewest_open(other_team) == dan
