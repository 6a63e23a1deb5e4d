"""The JSON a request carries to /graphql (a POST body, GET's ``variables`` and ``extensions``, multipart
``operations`` and ``map``), decoded with a bound on how deeply arrays and objects nest.

Python's decoder gives up with a RecursionError somewhere near 1,000 levels, and what it does decode
below that is walked recursively again later (re-encoding a persisted query, coercing variables, orjson,
which stops at 255). No GraphQL request needs more than a few levels: past ``MAX_DEPTH`` the request is
refused (HTTP 400, ``BAD_REQUEST``) before anything reads it.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 100
TOO_DEEP = f"The request's JSON is nested more than {MAX_DEPTH} levels deep."


class TooDeep(ValueError):
    """JSON nested more than ``MAX_DEPTH`` levels deep. A ValueError, as malformed JSON is."""

    def __init__(self) -> None:
        super().__init__(TOO_DEEP)


def loads(data: str | bytes) -> Any:
    """``json.loads``, refusing (TooDeep) JSON nested more than ``MAX_DEPTH`` levels deep."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise TooDeep from None
    if _deeper_than(value, MAX_DEPTH):
        raise TooDeep
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels deep; one level at a time, no recursion."""
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [
            child
            for container in level
            for child in (container.values() if isinstance(container, dict) else container)
            if isinstance(child, dict | list)
        ]
    return False
