"""DESKQL_LOG_FORMAT=json: one JSON line per request with its id, operation, outcome, the viewer's account and
role and its duration, never a token, a body or personal data; in process and from `deskql serve`."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest

from app.database import Database
from app.request_log import JsonFormatter
from tests.api import Api
from tests.factories import make_world

TICKET = "query Ticket($number: Int!) { ticketByNumber(number: $number) { title requester { name email } } }"


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "deskql.access"]


async def test_each_request_is_one_json_line_saying_who_asked_what_and_how_it_went(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    api = Api(db, log_format="json")
    world = await make_world()
    ticket = await world.ticket()
    caplog.set_level(logging.INFO, logger="deskql.access")
    answered = await api.post(
        TICKET,
        {"number": ticket.number},
        token=world.technician_token,
        headers={"X-Request-Id": "trace-0123456789"},
    )
    assert "errors" not in answered.json()
    await api.post("{ nope }", token=world.requester_token)
    async with api.client() as client:
        await client.get(f"/calendar/{'c' * 40}.ics")
    first, second, third = access_lines(caplog)
    assert first["request_id"] == "trace-0123456789"
    assert first["method"] == "POST"
    assert first["path"] == "/graphql"
    assert first["status"] == 200
    assert first["operation"] == "Ticket"
    assert first["operation_type"] == "query"
    assert first["outcome"] == "ok"
    assert first["account_id"] == world.account.id
    assert first["role"] == "TECHNICIAN"
    assert first["duration_ms"] > 0
    assert "error_codes" not in first
    assert second["operation"] == "anonymous"
    assert second["outcome"] == "error"
    assert second["error_codes"] == ["GRAPHQL_VALIDATION_FAILED"]
    assert second["role"] == "REQUESTER"
    assert third["path"] == "/calendar/{token}.ics", "the feed's token stays out of the log"
    text = "\n".join(json.dumps(line) for line in (first, second, third))
    for secret in (
        world.technician_token,
        world.requester_token,
        world.requester.email,
        world.requester.name,
        ticket.title,
        "c" * 40,
    ):
        assert secret not in text


async def test_plain_text_stays_the_default_and_logs_no_request_lines_of_its_own(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    api = Api(db)
    world = await make_world()
    caplog.set_level(logging.INFO, logger="deskql.access")
    await api.post("{ viewer { technician { name } } }", token=world.technician_token)
    assert access_lines(caplog) == []


def test_a_json_line_carries_the_exception_of_an_error() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.getLogger("deskql.test").makeRecord(
            "deskql.test", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "error"
    assert line["message"] == "failed here"
    assert "RuntimeError: boom" in line["exception"]
