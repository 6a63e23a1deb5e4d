"""GET /calendar/{token}.ics: a technician's calendar feed, for calendar programs to subscribe to.

The secret token in the address is the only credential (calendar programs send no headers). A wrong,
replaced or revoked token, or one of a deactivated technician, gets the same 404 with nothing about why.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from integrations.calendar_feed import render_feed
from models.clock import utcnow
from services import calendar_feeds


def calendar_endpoint(app_url: str) -> Callable[[Request], Awaitable[Response]]:
    async def calendar_feed(request: Request) -> Response:
        feed = await calendar_feeds.read(request.path_params["token"], app_url)
        if feed is None:
            return PlainTextResponse("Not found.", status_code=404)
        return Response(
            render_feed(feed, utcnow()),
            media_type="text/calendar; charset=utf-8",
            headers={
                "Cache-Control": "private, max-age=300",
                "Content-Disposition": 'inline; filename="deskql.ics"',
                "Referrer-Policy": "no-referrer",
            },
        )

    return calendar_feed
