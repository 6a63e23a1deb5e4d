"""Metrics (DESKQL_METRICS) scraped and read with prometheus-client's own parser, after known operations:
in process, and from `deskql serve` with two workers, its metrics on a port of their own."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.database import Database
from app.settings import Settings
from models.clock import utcnow
from models.enums import AiFeature, MailKind, OutboundStatus
from models.mail import OutboundMail
from services import ai_calls
from services.ai_provider import ChatMessage
from tests.api import Api
from tests.conftest import POSTGRES_URL, PostgresDatabases, require
from tests.factories import as_viewer, make_world
from tests.mailroom import mailroom
from tests.openai_server import OpenAIServer
from tests.servers import admin_of_new_account, environment, free_port, migrate, serving
from tests.sql import recorded_statements
from tests.ws import WSClient

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]
WHO = "query WhoAmI { viewer { technician { name } } }"
BROKEN = "query Broken { noSuchField }"
TOUCH = "mutation Touch { markNotificationsRead(input: {all: true}) { __typename } }"
SECRET = "s" * 40


def parse(text: str) -> Samples:
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


async def test_each_operation_is_counted_with_its_outcome_time_statements_and_error_codes(
    db: Database,
) -> None:
    api = Api(db, metrics="on", rate_limit_mutations_per_minute=1)
    world = await make_world()
    async with api.client() as client:
        before = await scrape(client)
        with recorded_statements() as statements:
            assert "errors" not in (await api.post(WHO, token=world.technician_token)).json()
        assert (await api.post(BROKEN, token=world.technician_token)).status_code == 200
        assert (await api.post(TOUCH, token=world.technician_token)).status_code == 200
        assert (await api.post(TOUCH, token=world.technician_token)).status_code == 429
        after = await scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    operations = "deskql_graphql_operations_total"
    assert delta(operations, operation="WhoAmI", type="query", outcome="ok") == 1
    assert delta(operations, operation="Broken", type="query", outcome="error") == 1
    assert delta(operations, operation="Touch", type="mutation", outcome="ok") == 1
    assert delta(operations, operation="Touch", type="mutation", outcome="error") == 1
    assert delta("deskql_graphql_operation_seconds_count", operation="WhoAmI", type="query") == 1
    assert delta("deskql_graphql_operation_seconds_sum", operation="WhoAmI", type="query") > 0
    assert delta("deskql_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED") == 1
    assert delta("deskql_graphql_errors_total", code="RATE_LIMITED") == 1
    assert delta("deskql_rate_limit_refusals_total", limit="mutations") == 1
    # Both queries are observed; the one that ran sent statements (not those reading the token, which
    # happen before the operation), the one that failed validation none.
    assert delta("deskql_graphql_sql_statements_count", type="query") == 2
    assert 1 <= delta("deskql_graphql_sql_statements_sum", type="query") < len(statements)
    assert delta("deskql_http_requests_total", method="POST", path="graphql", status="200") == 3
    assert delta("deskql_http_requests_total", method="POST", path="graphql", status="429") == 1
    assert delta("deskql_http_request_seconds_count", path="graphql") == 4


async def test_the_outbox_is_read_when_scraped_and_inbound_mail_is_counted_by_outcome(
    db: Database, tmp_path: Path
) -> None:
    async with mailroom(db, tmp_path, metrics="on", mail_inbound_secret=SECRET) as room:
        world = room.world
        await world.ticket()
        old = await OutboundMail.filter(status=OutboundStatus.PENDING).first()
        assert old is not None, "a new ticket mails its requester"
        await OutboundMail.filter(id=old.id).update(created_at=utcnow() - timedelta(seconds=300))
        await OutboundMail.create(
            account_id=world.account.id,
            kind=MailKind.TICKET_CREATED,
            recipient="gone@client.test",
            message_id=make_msgid(domain="deskql.test"),
            reply_to="help@acme.test",
            subject="failed",
            text="",
            html="",
            status=OutboundStatus.FAILED,
        )
        answer = EmailMessage()
        answer["From"] = "stranger@elsewhere.test"
        answer["To"] = "help@acme.test"
        answer["Subject"] = "Printer"
        answer["Message-ID"] = make_msgid(domain="elsewhere.test")
        answer["Auto-Submitted"] = "auto-replied"
        answer.set_content("I am out of office.")
        async with room.api.client() as client:
            before = await scrape(client)
            taken = await client.post(
                "/mail/inbound", content=answer.as_bytes(), headers={"Authorization": f"Bearer {SECRET}"}
            )
            assert taken.status_code < 300, taken.text
            after = await scrape(client)
        pending = await OutboundMail.filter(status=OutboundStatus.PENDING).count()
        failed = await OutboundMail.filter(status=OutboundStatus.FAILED).count()
    assert value(after, "deskql_outbox_mails", status="PENDING") == pending >= 1
    assert value(after, "deskql_outbox_mails", status="FAILED") == failed >= 1
    assert 300 <= value(after, "deskql_outbox_oldest_pending_seconds") < 400
    inbound = "deskql_inbound_mails_total"
    assert value(after, inbound, outcome="AUTO_REPLY") - value(before, inbound, outcome="AUTO_REPLY") == 1


async def test_ai_calls_and_their_tokens_are_counted_by_feature(
    db: Database, openai_server: OpenAIServer
) -> None:
    api = Api(db, metrics="on", openai_base_url=openai_server.url)
    world = await make_world()
    openai_server.reply("The printer is out of toner.")
    feature = AiFeature.GENERATE_REPLY
    async with api.client() as client:
        before = await scrape(client)
        completion = await ai_calls.ask(
            as_viewer(world.technician), feature, [ChatMessage("user", "Summarise the ticket.")]
        )
        after = await scrape(client)
    calls = "deskql_ai_calls_total"
    assert (
        value(after, calls, feature=feature.value, outcome="ok")
        - value(before, calls, feature=feature.value, outcome="ok")
        == 1
    )
    tokens = "deskql_ai_tokens_total"
    for kind, used in (("prompt", completion.prompt_tokens), ("completion", completion.completion_tokens)):
        assert (
            value(after, tokens, feature=feature.value, kind=kind)
            - value(before, tokens, feature=feature.value, kind=kind)
            == used
        )


async def test_metrics_are_off_by_default_and_not_served(db: Database) -> None:
    api = Api(db)
    async with api.client() as client:
        response = await client.get("/metrics")
    assert "deskql_graphql_operations" not in response.text


@pytest.mark.parametrize("wrong", ["yes", "0", "70000", "8000"])
def test_a_wrong_metrics_setting_is_refused_naming_it(wrong: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=r"DESKQL_METRICS|off, on or a port"):
        Settings(metrics=wrong, port=8000)


PING = "query Ping { viewer { technician { name } } }"
UPDATES = "subscription($id: ID!) { ticketUpdated(ticketId: $id) { kind ticket { priority } } }"


async def _graphql(base: str, token: str, query: str, variables: dict[str, object] | None = None) -> Any:
    # A client (a connection) per request, so that the requests spread over the workers.
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _scraped(url: str, satisfied: Callable[[Samples], bool], within: float = 15) -> Samples:
    """Scrape until ``satisfied``; fail after ``within`` seconds with the last scrape."""
    deadline = time.monotonic() + within
    while True:
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            samples = await scrape(client)
        if satisfied(samples):
            return samples
        assert time.monotonic() < deadline, sorted(k for k in samples if k[0].startswith("deskql_"))
        await asyncio.sleep(0.1)


async def test_deskql_serve_with_two_workers_answers_for_both_on_a_metrics_port_and_logs_json(
    postgres_databases: PostgresDatabases | None, redis_url: str, tmp_path: Path
) -> None:
    require(POSTGRES_URL, "DESKQL_TEST_DATABASE_URL")
    assert postgres_databases is not None
    database_url = await postgres_databases.create(migrated=True)
    port, metrics_port = free_port(), free_port()
    env = environment(
        database_url=database_url,
        broadcast_url=redis_url,
        secret_key="m" * 40,
        workers="2",
        metrics=str(metrics_port),
        log_format="json",
    )
    env["PYTHONUNBUFFERED"] = "1"
    migrate(env, tmp_path)
    admin = admin_of_new_account(env, tmp_path)
    metrics_url = f"http://127.0.0.1:{metrics_port}"
    with serving(env, tmp_path, port) as base:
        people = await _graphql(
            base,
            admin,
            """mutation { createRequester(input: {name: "Rita Requester", email: "rita@client.test"}) {
              ... on CreateRequesterSuccess { requester { id } } } }""",
        )
        made = await _graphql(
            base,
            admin,
            """mutation($input: CreateTicketInput!) {
              createTicket(input: $input) { ... on CreateTicketSuccess { ticket { id } } } }""",
            {
                "input": {
                    "title": "Laptop overheats",
                    "requesterId": people["createRequester"]["requester"]["id"],
                }
            },
        )
        ticket = made["createTicket"]["ticket"]["id"]
        for _ in range(8):
            await _graphql(base, admin, PING)
        subscriber = await WSClient.open(f"ws://127.0.0.1:{port}/graphql", admin)
        await subscriber.subscribe(UPDATES, {"id": ticket})
        assert (await subscriber.next())["ticketUpdated"]["kind"] == "SNAPSHOT"
        await _graphql(
            base,
            admin,
            "mutation($id: ID!) { updateTicket(input: {id: $id, priority: CRITICAL}) { __typename } }",
            {"id": ticket},
        )
        await subscriber.next()
        live = await _scraped(
            metrics_url,
            lambda s: (
                value(s, "deskql_broadcast_delivered_total", channel="ticket") >= 1
                and value(s, "deskql_subscriptions_open", kind="ticketUpdated") == 1
            ),
        )
        await subscriber.close()
        closed = await _scraped(
            metrics_url,
            lambda s: (
                value(s, "deskql_subscriptions_open", kind="ticketUpdated") == 0
                and value(s, "deskql_websockets_open") == 0
            ),
        )
        log = (tmp_path / f"server-{port}.log").read_text()
    # Every worker's count, whichever answered the scrape.
    assert value(closed, "deskql_graphql_operations_total", operation="Ping", type="query", outcome="ok") == 8
    assert value(live, "deskql_websockets_open") == 1
    assert value(live, "deskql_broadcast_published_total", channel="ticket") >= 1
    assert value(live, "deskql_broadcast_lag_seconds_count", channel="ticket") >= 1
    assert 0 <= value(live, "deskql_broadcast_lag_seconds_sum", channel="ticket") < 5
    assert value(live, "deskql_outbox_mails", status="PENDING") >= 0
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert lines, log[-2000:]
    pings = [line for line in lines if line.get("operation") == "Ping"]
    assert len(pings) == 8
    assert len({line["request_id"] for line in pings}) == 8
    assert {line["role"] for line in pings} == {"ADMIN"}
    assert all(line["logger"] == "deskql.access" and line["outcome"] == "ok" for line in pings)
    for secret in (admin, "Rita", "rita@client.test"):
        assert secret not in log
    assert not [line for line in log.splitlines() if line.strip() and not line.startswith("{")], log[-2000:]
