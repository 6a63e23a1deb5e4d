"""Text search of ticket filters: the words of the ticket's title and description and of its conversation.

A ticket matches when every word of the search is found (stemmed: "printers" finds "printer") in its title
and description or in one of its comments the viewer may read: public replies for everyone, internal notes
too for technicians (``visibility.comment_kinds``), so an end user's search can never tell what a note says.

PostgreSQL matches with its full-text search over two expression indexes (``to_tsvector('english', ...)``
on ticket and comment, migration 0013) and ranks with ``ts_rank``; SQLite with FTS5 tables kept by
triggers (porter stemming) and ranks with bm25. The relevance of a ticket is the rank of its title and
description (see ``relevance``).

The words are taken from the search text as runs of letters and digits only, so they are written into the
SQL as literals without any quoting to escape (the rest of the statement keeps its parameters).
"""

from __future__ import annotations

import re
from typing import Any

from tortoise import connections
from tortoise.expressions import Q, RawSQL

from models.enums import CommentKind
from services.errors import ValidationFailed

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 16
MAX_WORD = 60
MAX_TEXT = 500


def words(text: str) -> list[str]:
    """The distinct words of a search, lower-cased; raises ValidationFailed on ``text`` when there are none
    or too many."""
    if len(text) > MAX_TEXT:
        raise ValidationFailed.one("text", f"At most {MAX_TEXT} characters (got {len(text)}).")
    found = list(dict.fromkeys(word[:MAX_WORD] for word in _WORD.findall(text.lower())))
    if not found:
        raise ValidationFailed.one("text", "Give at least one word (letters or digits).")
    if len(found) > MAX_WORDS:
        raise ValidationFailed.one("text", f"At most {MAX_WORDS} words (got {len(found)}).")
    return found


def _postgres() -> bool:
    return bool(connections.get("default").capabilities.dialect == "postgres")


def _kinds(kinds: frozenset[CommentKind]) -> str:
    return ", ".join(f"'{kind.value}'" for kind in sorted(kinds))


def _literal_words(found: list[str]) -> list[str]:
    """The words, each proven to be letters and digits only, so that it is safe as a SQL literal."""
    if not all(_WORD.fullmatch(word) for word in found):
        raise ValueError("search words must be letters and digits")
    return found


def _tsquery(found: list[str]) -> str:
    found = _literal_words(found)
    return "to_tsquery('english', '" + " & ".join(found) + "')"


def _fts5(found: list[str]) -> str:
    found = _literal_words(found)
    return "'" + " ".join(f'"{word}"' for word in found) + "'"


def matching(found: list[str], kinds: frozenset[CommentKind], account_id: int) -> Q:
    """Tickets of the account whose title and description, or one comment of these kinds, hold every word."""
    if _postgres():
        query, account = _tsquery(found), int(account_id)
        sql = (
            f"(SELECT t.id FROM ticket t WHERE to_tsvector('english', t.title || ' ' || t.description) @@ {query}"  # noqa: S608 - literals: _literal_words
            f" AND t.account_id = {account}"
            f" UNION SELECT c.ticket_id FROM comment c WHERE to_tsvector('english', c.text) @@ {query}"
            f" AND c.kind IN ({_kinds(kinds)}) AND c.account_id = {account})"
        )
    else:
        query = _fts5(found)
        sql = (
            f"(SELECT rowid FROM ticket_search WHERE ticket_search MATCH {query}"  # noqa: S608 - literals: _literal_words
            f" UNION SELECT ticket_id FROM comment_search WHERE comment_search MATCH {query}"
            f" AND kind IN ({_kinds(kinds)}))"
        )
    return Q(id__in=RawSQL(sql))


def relevance(found: list[str]) -> Any:
    """An expression over ``ticket`` (an annotation): the rank of the ticket's title and description, higher
    first; 0 for a ticket matched through its conversation alone. Ranking the conversation too would read
    every matching comment of every matching ticket (60,000 comments for a two-word search of the 10,000
    ticket bench data set, seconds), where the title and description are one document per ticket."""
    if _postgres():
        query = _tsquery(found)
        sql = f'(ts_rank(to_tsvector(\'english\', "ticket"."title" || \' \' || "ticket"."description"), {query}))::float8'
    else:
        query = _fts5(found)
        sql = (
            f"COALESCE((SELECT -bm25(ticket_search) FROM ticket_search WHERE ticket_search MATCH {query}"  # noqa: S608 - literals: _literal_words
            f' AND rowid = "ticket"."id"), 0)'
        )
    return RawSQL(sql)
