"""The fast path (fastpath/) changes the work done, never the answer: the ticket page of a technician and
of its requester are the same with DESKQL_FAST_PATH on and off."""

from __future__ import annotations

from app.database import Database
from fastpath import statements
from models.enums import CommentKind
from schema.ids import encode
from tests.api import Api
from tests.factories import add_comment, fill_requester_panel, make_world
from tests.support.ticket_page import TICKET_PAGE


async def test_the_ticket_page_answers_the_same_with_and_without_the_fast_path(db: Database) -> None:
    world = await make_world()
    await fill_requester_panel(world)
    ticket = await world.ticket()
    await add_comment(ticket, world.requester, body="It jams again", attachments=2)
    await add_comment(ticket, world.technician, CommentKind.INTERNAL_NOTE, body="Secret note: toner")
    await add_comment(ticket, world.technician, body="Replaced the roller", is_resolution=True)
    variables = {"id": encode("Ticket", ticket.id)}
    answers = {}
    for fast in (False, True):
        statements._kept.clear()
        api = Api(db, fast_path=fast)
        answers[fast] = [
            await api.data(TICKET_PAGE, variables, token=token)
            for token in (world.technician_token, world.requester_token)
        ]
        assert bool(statements._kept) is fast  # statements were kept only with the fast path on
    assert answers[False] == answers[True]
    technician, requester = answers[True]
    assert len(technician["ticket"]["conversation"]["edges"]) == 3
    assert "Secret note" not in str(requester)
