"""Finding resolved tickets like this one, by full-text search over their titles and resolutions.

PostgreSQL ranks with its own full-text search (``to_tsvector``/``ts_rank``, English stemming); SQLite
with FTS5 (porter stemming, bm25), over a temporary index of the account's resolutions built for the
search. Either way the words of the ticket's title and description are OR-ed, so a ticket that shares the
telling words ranks first. Only resolved or closed, live, unmerged tickets of the viewer's account with a
comment marked as resolution are candidates; the resolutions may be internal notes, so the results are for
technicians only.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from tortoise import connections
from tortoise.transactions import in_transaction

from models.conversation import Comment
from models.tickets import Ticket
from services.viewer import Viewer

_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
MAX_WORDS = 30
MAX_CANDIDATES = 5000
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "have",
        "has",
        "had",
        "not",
        "but",
        "are",
        "was",
        "were",
        "you",
        "your",
        "our",
        "can",
        "cannot",
        "when",
        "what",
        "there",
        "their",
        "they",
        "them",
        "then",
        "than",
        "into",
        "out",
        "about",
        "after",
        "before",
        "again",
        "still",
        "please",
        "thanks",
        "thank",
        "hello",
        "regards",
        "since",
        "also",
        "just",
        "does",
        "did",
        "doesn",
        "dont",
        "isn",
        "wasn",
    ]
)

_CANDIDATES = """
    FROM ticket t
    JOIN ticket_status s ON s.id = t.status_id
    JOIN comment c ON c.ticket_id = t.id AND c.is_resolution = {true}
    WHERE t.account_id = {p1} AND t.id <> {p2} AND t.deleted_at IS NULL AND t.merged_into_id IS NULL
      AND s.category IN ('RESOLVED', 'CLOSED')
"""


@dataclass(frozen=True)
class Match:
    ticket: Ticket
    resolution: str


def query_words(text: str) -> list[str]:
    words: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word not in _STOP and word not in words and not word.isdigit():
            words.append(word)
    return words[:MAX_WORDS]


async def _postgres(account_id: int, ticket_id: int, words: list[str], limit: int) -> list[int]:
    sql = (
        "SELECT t.id, max(ts_rank(to_tsvector('english', t.title || ' ' || c.text), to_tsquery('english', $3)))"
        " AS rank "
        + _CANDIDATES.format(true="TRUE", p1="$1", p2="$2")
        + " AND to_tsvector('english', t.title || ' ' || c.text) @@ to_tsquery('english', $3)"
        " GROUP BY t.id ORDER BY rank DESC, t.id DESC LIMIT $4"
    )
    rows = await connections.get("default").execute_query_dict(
        sql, [account_id, ticket_id, " | ".join(words), limit]
    )
    return [int(row["id"]) for row in rows]


async def _sqlite(account_id: int, ticket_id: int, words: list[str], limit: int) -> list[int]:
    table = f"solutions_{uuid.uuid4().hex}"
    async with in_transaction() as connection:
        await connection.execute_script(
            f"CREATE VIRTUAL TABLE temp.{table} USING fts5(ticket_id UNINDEXED, body, tokenize='porter')"
        )
        try:
            await connection.execute_query(
                f"INSERT INTO temp.{table} (ticket_id, body) SELECT t.id, t.title || ' ' || c.text "
                + _CANDIDATES.format(true="1", p1="?", p2="?")
                + f" ORDER BY t.id DESC LIMIT {MAX_CANDIDATES}",
                [account_id, ticket_id],
            )
            match = " OR ".join(f'"{word}"' for word in words)
            best_first = f"SELECT ticket_id FROM temp.{table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?"  # noqa: S608 (our uuid name)
            rows = await connection.execute_query_dict(best_first, [match, limit * 10])
        finally:
            await connection.execute_script(f"DROP TABLE temp.{table}")
    return list(dict.fromkeys(int(row["ticket_id"]) for row in rows))[:limit]


async def similar_resolved(viewer: Viewer, ticket: Ticket, limit: int = 5) -> list[Match]:
    """The most similar resolved tickets with their resolutions, best first."""
    words = query_words(f"{ticket.title} {ticket.description[:2000]}")
    if not words:
        return []
    dialect = connections.get("default").capabilities.dialect
    search = _postgres if dialect == "postgres" else _sqlite
    ids = await search(viewer.account_id, ticket.id, words, limit)
    found = {row.id: row for row in await Ticket.filter(id__in=ids, account_id=viewer.account_id)}
    resolutions: dict[int, list[str]] = {}
    for comment in await Comment.filter(ticket_id__in=ids, is_resolution=True).order_by("created_at", "id"):
        resolutions.setdefault(comment.ticket_id, []).append(comment.text)
    return [Match(found[i], "\n\n".join(resolutions.get(i, []))) for i in ids if i in found]
