"""The demo data that `make run` loads."""

from __future__ import annotations

from app import demo
from app.database import Database
from models.accounts import Technician
from models.conversation import Comment
from models.enums import CommentKind, StatusCategory
from models.people import Customer, Device, Requester, SatisfactionSurvey
from models.teams import Team, TeamMember
from models.tickets import Ticket
from schema.ids import encode
from tests.api import Api


async def test_the_demo_account_has_people_customers_and_200_tickets_with_conversations(
    api: Api, db: Database
) -> None:
    assert not await demo.has_demo_data()
    await demo.load()
    assert await demo.has_demo_data()
    assert await Technician.all().count() == 6
    assert await Customer.all().count() == 3
    assert await Requester.all().count() == 30
    assert await Device.all().count() >= 30
    assert await SatisfactionSurvey.all().count() > 0
    assert await Ticket.all().count() == 200
    assert sorted(await Team.all().values_list("name", flat=True)) == ["Field services", "Service desk"]
    assert await Ticket.filter(team_id__isnull=True).count() == 0
    for team in await Team.all():
        members = set(await TeamMember.filter(team_id=team.id).values_list("technician_id", flat=True))
        assignees = set(await Ticket.filter(team_id=team.id).values_list("assignee_id", flat=True))
        assert assignees - {None} <= members
        assert len(members) == 3
    categories = set(await Ticket.all().values_list("status__category", flat=True))
    assert categories == set(StatusCategory)
    assert await Comment.filter(kind=CommentKind.INTERNAL_NOTE).count() > 50
    assert await Comment.filter(kind=CommentKind.PUBLIC_REPLY).count() > 200

    logins = await demo.issue_logins()
    ticket = await Ticket.get(number=200)
    data = await api.data(
        "query($id: ID!) { ticket(id: $id) { number conversation { totalCount } } }",
        {"id": encode("Ticket", ticket.id)},
        token=logins.technician_token,
    )
    assert data["ticket"]["number"] == 200
    assert data["ticket"]["conversation"]["totalCount"] >= 2
