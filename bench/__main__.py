"""`make bench`: runs every benchmark of this folder in turn."""

from __future__ import annotations

import asyncio

from bench import fanout, ticket_page_in_process


def main() -> None:
    asyncio.run(ticket_page_in_process.main())
    asyncio.run(fanout.main())


if __name__ == "__main__":
    main()
