"""What a change sets off: the unit of work hands its events to the consumers registered at start."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.database import Database
from app.main import install_consumers
from app.realtime import build_realtime
from app.settings import Settings
from models.tickets import Ticket
from services import consumers, mail_out, unit_of_work
from services.automation import engine
from services.events import Event
from subscriptions.broadcast import BroadcastPublisher
from tests.api import TEST_SECRET_KEY
from tests.factories import make_world


class Boom(Exception):
    pass


@pytest.fixture(autouse=True)
def own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no consumer and leaves the application's as they were."""
    monkeypatch.setattr(consumers, "_registered", {})


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str], bool]] = []

    def consumer(self, name: str) -> consumers.Consumer:
        async def consume(events: Sequence[Event]) -> None:
            in_transaction = unit_of_work.current() is not None
            self.calls.append((name, [event.type for event in events], in_transaction))

        return consume


async def test_before_commit_consumers_run_inside_the_transaction_and_after_commit_ones_after_it(
    db: Database,
) -> None:
    world = await make_world()
    recorder = Recorder()
    consumers.register("first", before_commit=recorder.consumer("first"), after_commit=recorder.consumer("1"))
    consumers.register(
        "second", after_commit=recorder.consumer("2"), before_commit=recorder.consumer("second")
    )
    recorder.calls.clear()
    await world.ticket()
    created = ["activity.added", "ticket.created"]
    assert recorder.calls == [
        ("first", created, True),
        ("second", created, True),
        ("1", created, False),
        ("2", created, False),
    ]


async def test_a_unit_inside_another_hands_its_events_over_once_with_the_outer_one(db: Database) -> None:
    world = await make_world()
    recorder = Recorder()
    consumers.register(
        "recorder", before_commit=recorder.consumer("before"), after_commit=recorder.consumer("after")
    )
    recorder.calls.clear()
    async with unit_of_work.unit_of_work():
        await world.ticket("One")
        await world.ticket("Two")
        assert recorder.calls == []
    both = ["activity.added", "ticket.created"] * 2
    assert recorder.calls == [("before", both, True), ("after", both, False)]


async def test_a_before_commit_consumer_that_fails_rolls_the_change_back_and_nothing_goes_out(
    db: Database,
) -> None:
    world = await make_world()
    recorder = Recorder()

    async def fail(events: Sequence[Event]) -> None:
        raise Boom

    consumers.register("failing", before_commit=fail)
    consumers.register("recorder", after_commit=recorder.consumer("after"))
    with pytest.raises(Boom):
        await world.ticket("Never stored")
    assert not await Ticket.exists(title="Never stored")
    assert recorder.calls == []


async def test_registering_a_name_again_replaces_its_consumers_in_their_place(db: Database) -> None:
    world = await make_world()
    recorder = Recorder()
    consumers.register("a", after_commit=recorder.consumer("a"))
    consumers.register("b", after_commit=recorder.consumer("b"))
    consumers.register("a", after_commit=recorder.consumer("a again"))
    recorder.calls.clear()
    await world.ticket()
    assert [name for name, _, _ in recorder.calls] == ["a again", "b"]


def test_the_application_registers_mail_before_commit_and_the_broadcast_after_it() -> None:
    install_consumers()
    assert list(consumers._registered) == ["mail", "broadcast", "automation"]
    assert consumers._registered["broadcast"].after_commit is None  # no realtime hub: nothing to publish to
    realtime = build_realtime(Settings(secret_key=TEST_SECRET_KEY))
    install_consumers(realtime)
    mail, broadcast = consumers._registered["mail"], consumers._registered["broadcast"]
    automation = consumers._registered["automation"]
    assert list(consumers._registered) == ["mail", "broadcast", "automation"]
    assert (mail.before_commit, mail.after_commit) == (mail_out.compose, None)
    assert broadcast.before_commit is None
    assert isinstance(getattr(broadcast.after_commit, "__self__", None), BroadcastPublisher)
    assert (automation.before_commit, automation.after_commit) == (engine.record, engine.run_recorded)
