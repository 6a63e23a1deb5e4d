"""`make bench`: runs every benchmark of this folder in turn.

The ticket page over HTTP first (deskql, the hand-written baseline and PostGraphile; it seeds the
PostgreSQL data set of bench/seed.py, or reuses it), then
where its CPU goes against the floor of the stack (bench/stack_floor.py, on the same data set), the ticket
page in process on the SQLite demo data, then the realtime fan-out and a live view's (bench/view_fanout.py),
then the dashboard lists against their hand-written SQL (bench/dashboard.py, on a data set of its own).
"""

from __future__ import annotations

import asyncio

from bench import dashboard, fanout, stack_floor, ticket_page, ticket_page_in_process, view_fanout


def main() -> None:
    asyncio.run(ticket_page.main())
    asyncio.run(stack_floor.main())
    asyncio.run(ticket_page_in_process.main())
    asyncio.run(fanout.main())
    asyncio.run(view_fanout.main())
    asyncio.run(dashboard.main())


if __name__ == "__main__":
    main()
