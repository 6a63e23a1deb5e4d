"""The text search of ticket filters answers by document: every word in the ticket's title and description,
or every word in one comment the viewer may read. Each ticket is listed and counted once however many of
its documents match, and the answer follows every change made through the services (a new title, a redacted
comment, a merge and its undoing, deletion, spam)."""

from __future__ import annotations

from models.enums import CommentKind
from services import merges, person_erasure, ticket_lifecycle, ticket_update
from services.ticket_update import TicketChanges
from tests.api import Api
from tests.factories import add_comment, as_viewer, make_world

SEARCH = """query($text: String!, $order: TicketOrder) {
  tickets(first: 100, filter: {text: $text}, orderBy: $order) { totalCount nodes { title } } }"""


async def found(api: Api, token: str, text: str, order: str = "OLDEST_FIRST") -> list[str]:
    """The titles found, after checking that the total counts them and that no ticket is listed twice."""
    data = (await api.data(SEARCH, {"text": text, "order": order}, token=token))["tickets"]
    titles = [node["title"] for node in data["nodes"]]
    assert data["totalCount"] == len(titles) == len(set(titles)), data
    return titles


async def test_a_ticket_matches_when_one_of_its_documents_holds_every_word(api: Api) -> None:
    world = await make_world()
    split = await world.ticket("Quokka printer", description="nothing else")
    await add_comment(split, world.requester, body="the wombat is fine")
    both = await world.ticket("Quokka wombat", description="title and comments all match")
    await add_comment(both, world.requester, body="quokka and wombat again")
    await add_comment(both, world.technician, body="one more quokka wombat")
    await add_comment(both, world.technician, kind=CommentKind.INTERNAL_NOTE, body="wombat quokka note")
    noted = await world.ticket("Laptop slow")
    await add_comment(noted, world.technician, kind=CommentKind.INTERNAL_NOTE, body="a wombat quokka note")
    await add_comment(noted, world.technician, body="the quokka reply")
    for order in ("OLDEST_FIRST", "NEWEST_FIRST", "RELEVANCE"):
        assert sorted(await found(api, world.technician_token, "quokka wombat", order)) == [
            "Laptop slow",
            "Quokka wombat",
        ]
        assert await found(api, world.requester_token, "quokka wombat", order) == ["Quokka wombat"]
        assert sorted(await found(api, world.requester_token, "quokka", order)) == [
            "Laptop slow",
            "Quokka printer",
            "Quokka wombat",
        ]
        assert await found(api, world.requester_token, "note", order) == []
    assert await found(api, world.technician_token, "note") == ["Quokka wombat", "Laptop slow"]
    stranger = await make_world()
    assert await found(api, stranger.technician_token, "quokka") == []
    assert await found(api, world.other_requester_token, "quokka") == []


async def test_the_search_follows_titles_redactions_merges_deletion_and_spam(api: Api) -> None:
    world = await make_world()
    admin, token = as_viewer(world.admin), world.technician_token
    renamed = await world.ticket("Toaster smokes")
    await ticket_update.update(admin, renamed.id, TicketChanges(title="Kettle smokes"))
    assert await found(api, token, "toaster") == []
    assert await found(api, token, "kettle") == ["Kettle smokes"]

    source = await world.ticket("Duplicate report", requester_id=world.other_requester.id)
    await add_comment(source, world.other_requester, body="the gramophone hums")
    target = await world.ticket("Original report")
    await merges.merge(admin, [source.id], target.id)
    assert await found(api, token, "gramophone") == ["Original report"]
    assert await found(api, world.requester_token, "gramophone") == ["Original report"]
    assert await found(api, token, "duplicate") == ["Duplicate report"]
    await merges.unmerge(admin, source.id)
    assert await found(api, token, "gramophone") == ["Duplicate report"]
    assert await found(api, world.requester_token, "gramophone") == []

    await person_erasure.erase_requester(admin, world.other_requester.id, redact_comments=True)
    assert await found(api, token, "gramophone") == []

    spam = await world.ticket("Zeppelin offer")
    await ticket_lifecycle.mark_spam(admin, spam.id, block_sender=False)
    deleted = await world.ticket("Zeppelin crash")
    await ticket_lifecycle.delete(admin, deleted.id)
    assert await found(api, token, "zeppelin") == []
    await ticket_lifecycle.restore(admin, deleted.id)
    assert await found(api, token, "zeppelin") == ["Zeppelin crash"]
    data = await api.data(
        '{ tickets(first: 10, filter: {text: "zeppelin", isSpam: true}) { totalCount nodes { title } } }',
        token=token,
    )
    assert data["tickets"] == {"totalCount": 1, "nodes": [{"title": "Zeppelin offer"}]}
