"""What tracing costs: the ticket page in process on the SQLite demo data, tracing off against tracing on.

Both apps serve the same database in one process; rounds alternate (off, on, off, on, ...) so that a
busy machine weighs on both alike. A round is ``PAGES`` ticket pages; its cost is the process's CPU time
(the span processor's export thread included). Spans go through the SDK's batch processor to an exporter
that drops them: what an OTLP exporter adds on top is its own thread's encoding and sending.

    .venv/bin/python -m bench.tracing_cost
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

from app import demo
from app.database import Database, migrate
from app.main import create_app
from app.settings import Settings
from app.tracing import Tracing
from models.tickets import Ticket
from schema.ids import encode
from tests.api import TEST_SECRET_KEY, Api

ROUNDS = 30
PAGES = 20
TICKET_PAGE = (Path(__file__).parent / "ticket_page.graphql").read_text()


class Dropped(SpanExporter):
    """Counts the spans and keeps none."""

    def __init__(self) -> None:
        self.count = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.count += len(spans)
        return SpanExportResult.SUCCESS


async def _round_ms(api: Api, variables: dict[str, str], token: str) -> float:
    started = time.process_time()
    for _ in range(PAGES):
        body = await api.run(TICKET_PAGE, variables, token=token)
        assert "errors" not in body, body
    return (time.process_time() - started) * 1000 / PAGES


async def main() -> None:
    dropped = Dropped()
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(dropped))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{Path(folder)}/bench.sqlite3"
        await migrate(url)
        database = Database(url)
        await database.open()
        try:
            await demo.load()
            logins = await demo.issue_logins()
            token = logins.technician_token
            off = Api(database)
            on = Api(database)
            settings = Settings(database_url=url, secret_key=TEST_SECRET_KEY)
            on.app = create_app(settings, database=database, tracing=Tracing(provider))
            ticket = await Ticket.get(number=200)
            variables = {"id": encode("Ticket", ticket.id)}
            for api in (off, on):  # warm both
                await _round_ms(api, variables, token)
            provider.force_flush()
            dropped.count = 0
            timings: dict[str, list[float]] = {"off": [], "on": []}
            for _ in range(ROUNDS):
                timings["off"].append(await _round_ms(off, variables, token))
                timings["on"].append(await _round_ms(on, variables, token))
            provider.force_flush()
        finally:
            await database.close()
            provider.shutdown()
    untraced, traced = statistics.median(timings["off"]), statistics.median(timings["on"])
    spans = dropped.count / (ROUNDS * PAGES)
    print(f"ticket page in process, CPU per page (SQLite, demo ticket #200, median of {ROUNDS} rounds):")
    print(f"  tracing off  {untraced:7.2f} ms")
    print(
        f"  tracing on   {traced:7.2f} ms   +{(traced / untraced - 1) * 100:5.1f}%   {spans:.0f} spans a page"
    )


if __name__ == "__main__":
    asyncio.run(main())
