"""What deskql serves to browsers besides the API: the reference ticket page at / and its own GraphiQL.

Both are built from ``web/`` with npm (``make`` runs ``npm ci`` and ``npm run build`` there) into
``DESKQL_WEB_DIR`` (``web/dist``). Where that folder is not built, / is not served and GraphiQL falls back
to strawberry's page, whose scripts come from a CDN; ``deskql serve`` says so in one log line.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path, PurePosixPath

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

log = logging.getLogger("deskql.web")

GRAPHIQL_PAGE = "graphiql/index.html"
IMMUTABLE = "public, max-age=31536000, immutable"
"""Vite names the files under assets/ by their content: a browser may keep them for good."""


def is_built(directory: Path) -> bool:
    return (directory / "index.html").is_file() and (directory / GRAPHIQL_PAGE).is_file()


def graphiql_page(directory: Path) -> str | None:
    """deskql's own GraphiQL page (web/graphiql: graphiql, React and graphql-ws bundled into files under
    /assets/), or None where it is not built."""
    return (directory / GRAPHIQL_PAGE).read_text(encoding="utf-8") if is_built(directory) else None


PAGE_ADDRESSES = re.compile(r"tickets/\d+/?")
"""The page's own addresses besides / (web/src/main.ts): index.html answers them, so that a reload or a
shared link opens the page. Any other missing path is a 404, as it would be without the page."""


class SinglePageApp(StaticFiles):
    """The built files, and index.html for the page's own addresses. GraphiQL's page is served on GET
    /graphql only, where ``DESKQL_GRAPHIQL`` allows it."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if PurePosixPath(path) == PurePosixPath(GRAPHIQL_PAGE).parent or path == GRAPHIQL_PAGE:
            return await super().get_response("index.html", scope)
        try:
            return await super().get_response(path, scope)
        except HTTPException as missing:
            if missing.status_code != 404 or not PAGE_ADDRESSES.fullmatch(path):
                raise
            return await super().get_response("index.html", scope)

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = IMMUTABLE if scope["path"].startswith("/assets/") else "no-cache"
        return response


def routes(directory: Path) -> list[BaseRoute]:
    """The page at / (after every other route), where it is built."""
    if not is_built(directory):
        return []
    return [Mount("/", app=SinglePageApp(directory=directory, html=True), name="web")]


def announce(directory: Path) -> None:
    """One line at start when the page and GraphiQL's assets are not built."""
    if not is_built(directory):
        log.warning(
            "%s is not built (npm was missing or its build failed; `make` builds it): / is not served, "
            "and GraphiQL on /graphql loads its scripts from a CDN",
            directory,
        )
