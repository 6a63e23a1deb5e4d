"""The full ticket-page query in process on the demo data, against `{ __typename }` in the same run.

The baseline is the cost of the GraphQL machinery itself (HTTP in process, parsing, validation,
authentication), so the ratio shows what reading the page adds. Figures are medians over many runs.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from app import demo
from app.database import Database, migrate
from models.tickets import Ticket
from schema.ids import encode
from tests.api import Api

ROUNDS = 200
TICKET_PAGE = (Path(__file__).parent / "ticket_page.graphql").read_text()


async def _median_ms(api: Api, query: str, variables: dict, token: str) -> float:
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        body = await api.run(query, variables, token=token)
        timings.append((time.perf_counter() - started) * 1000)
        assert "errors" not in body, body
    return statistics.median(timings)


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{Path(folder)}/bench.sqlite3"
        await migrate(url)
        database = Database(url)
        await database.open()
        try:
            await demo.load()
            logins = await demo.issue_logins()
            api = Api(database)
            ticket = await Ticket.get(number=200)
            variables = {"id": encode("Ticket", ticket.id)}
            baseline = await _median_ms(api, "{ __typename }", {}, logins.technician_token)
            page = await _median_ms(api, TICKET_PAGE, variables, logins.technician_token)
        finally:
            await database.close()
    print(f"ticket page in process (SQLite, demo ticket #200, median of {ROUNDS}):")
    print(f"  baseline {{ __typename }}  {baseline:7.2f} ms")
    print(f"  full ticket page          {page:7.2f} ms   ratio {page / baseline:5.1f}x")
