"""The conversation: comments (public replies and internal notes) and their attachments."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Annotated, Any, cast

import strawberry

from fastpath.plain_leaves import NOT_READ, PRELOADED
from models import conversation
from schema import ids, links, planned
from schema.context import Info
from schema.enums import Channel, CommentKind
from schema.types.common import Node, asks_for
from schema.types.people import Requester, Technician

Author = Annotated[
    Technician | Requester,
    strawberry.union(
        "Author", description="Who wrote a comment or made a change: a technician or a requester."
    ),
]


PRELOADED_AUTHOR = {PRELOADED: "read_author"}
PRELOADED_ATTACHMENTS = {PRELOADED: "read_attachments"}


async def author(
    info: Info, technician_pk: int | None, requester_pk: int | None
) -> Technician | Requester | None:
    """The technician or requester behind a comment or change, as far as the viewer may see them."""
    return (await authors(info, [(technician_pk, requester_pk)]))[0]


async def authors(
    info: Info, pks: Sequence[tuple[int | None, int | None]]
) -> list[Technician | Requester | None]:
    """``author`` of each (technician pk, requester pk), read in one batch per kind of person."""
    loaders = info.context.loaders
    technicians, requesters = await asyncio.gather(
        loaders.technician_shown_by_id.load_many([t for t, _ in pks if t is not None]),
        loaders.requester_by_id.load_many([r for t, r in pks if t is None and r is not None]),
    )
    by_technician = {t.id: Technician.from_model(t) for t in technicians if t is not None}
    by_requester = {r.id: Requester.from_model(r) for r in requesters if r is not None}
    return [
        by_technician.get(t) if t is not None else by_requester.get(r) if r is not None else None
        for t, r in pks
    ]


def preloaded(value: Any, read: Callable[[], Awaitable[Any]]) -> Any:
    """A field's value when its page read it up front, else the awaitable that reads it. A page of rows
    whose people and files are values costs GraphQL execution far less than an awaitable per row."""
    return read() if value is NOT_READ else value


@strawberry.type(description="A file attached to a comment (or uploaded, waiting for one).")
class Attachment(Node):
    row: strawberry.Private[conversation.Attachment]
    filename: str = strawberry.field(description="Sanitised file name.")
    content_type: str = strawberry.field(description="MIME type, sniffed from the content.")
    size: int = strawberry.field(description="Size in bytes.")
    created_at: datetime = strawberry.field(description="When it was uploaded.")

    @classmethod
    def from_model(cls, row: conversation.Attachment) -> Attachment:
        return cls(
            id=strawberry.ID(ids.encode("Attachment", row.id)),
            row=row,
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            created_at=row.created_at,
        )

    @strawberry.field(
        description="A signed link that downloads the file for you, valid for about an hour and only while "
        "your token is: absolute when the server knows its public address, else relative to the API."
    )
    def download_url(self, info: Info) -> str:
        return links.download_url(info, self.row)


@strawberry.type(description="Someone copied on public updates.")
class CcRecipient:
    technician_pk: strawberry.Private[int | None]
    requester_pk: strawberry.Private[int | None]
    email: str = strawberry.field(description="The address mail goes to.")

    @classmethod
    def from_model(cls, row: conversation.CcRecipient) -> CcRecipient:
        return cls(technician_pk=row.technician_id, requester_pk=row.requester_id, email=row.email)

    @strawberry.field(
        description="The technician or requester with this address, if there is one (technicians are shown "
        "to technicians only)."
    )
    async def person(self, info: Info) -> Author | None:
        if self.technician_pk is not None:
            # Not the assignee or an author: an end user sees a cc'd technician as an address only.
            technician = await info.context.loaders.technician_by_id.load(self.technician_pk)
            return Technician.from_model(technician) if technician else None
        return await author(info, None, self.requester_pk)


@strawberry.type(description="One entry of the conversation: a public reply or an internal note.")
class Comment(Node):
    pk: strawberry.Private[int]
    author_technician_pk: strawberry.Private[int | None]
    author_requester_pk: strawberry.Private[int | None]
    kind: CommentKind = strawberry.field(description="PUBLIC_REPLY or INTERNAL_NOTE.")
    body: str = strawberry.field(description="Sanitised HTML.")
    text: str = strawberry.field(description="Plain-text rendering of the body.")
    channel: Channel = strawberry.field(description="Where it was written (WEB, EMAIL, PORTAL, ...).")
    is_resolution: bool = strawberry.field(description="Marked as (part of) the ticket's resolution.")
    truncated: bool = strawberry.field(description="The body was cut to 64,000 characters.")
    created_at: datetime = strawberry.field(description="When it was written.")
    read_author: strawberry.Private[Technician | Requester | None] = NOT_READ
    read_attachments: strawberry.Private[list[Attachment]] = NOT_READ

    @classmethod
    def from_model(cls, row: conversation.Comment) -> Comment:
        return cls(
            id=strawberry.ID(ids.encode("Comment", row.id)),
            pk=row.id,
            author_technician_pk=row.author_technician_id,
            author_requester_pk=row.author_requester_id,
            kind=row.kind,
            body=row.body,
            text=row.text,
            channel=row.channel,
            is_resolution=row.is_resolution,
            truncated=row.truncated,
            created_at=row.created_at,
        )

    @strawberry.field(
        description="Who wrote it; null when the author was deleted.", metadata=PRELOADED_AUTHOR
    )
    def author(self, info: Info) -> Author | None:
        read = partial(author, info, self.author_technician_pk, self.author_requester_pk)
        return cast("Author | None", preloaded(self.read_author, read))

    @strawberry.field(description="Attached files, in upload order.", metadata=PRELOADED_ATTACHMENTS)
    def attachments(self, info: Info) -> list[Attachment]:
        read = partial(attachments, info, self.pk)
        return cast("list[Attachment]", preloaded(self.read_attachments, read))

    @strawberry.field(description="Who a public reply was copied to.")
    async def cc(self, info: Info) -> list[CcRecipient]:
        return [CcRecipient.from_model(row) for row in await info.context.loaders.cc_by_comment.load(self.pk)]

    @strawberry.field(description="Technicians @mentioned in an internal note.")
    async def mentions(self, info: Info) -> list[Technician]:
        loaders = info.context.loaders
        rows = await loaders.mentions_by_comment.load(self.pk)
        found = await loaders.technician_shown_by_id.load_many([row.technician_id for row in rows])
        return [Technician.from_model(technician) for technician in found if technician is not None]


async def attachments(info: Info, comment_pk: int) -> list[Attachment]:
    return [
        Attachment.from_model(a) for a in await info.context.loaders.attachments_by_comment.load(comment_pk)
    ]


async def comments(
    info: Info, rows: Sequence[conversation.Comment]
) -> Callable[[conversation.Comment], Comment]:
    """The converter of a page of comments, with the authors and attachments the query asks for read up
    front for the whole page (both batches sent together)."""
    pks = [row.id for row in rows]
    files = None
    if asks_for(info, ("edges", "node", "attachments"), ("nodes", "attachments")):
        files = info.context.loaders.attachments_by_comment.load_many(pks)
    people: dict[int, Technician | Requester | None] = {}
    try:
        if asks_for(info, ("edges", "node", "author"), ("nodes", "author")):
            planned.prime_authors(info, rows, "author")
            pairs = [(row.author_technician_id, row.author_requester_id) for row in rows]
            people = dict(zip(pks, await authors(info, pairs), strict=True))
    finally:  # the files are awaited even when the authors failed, so their outcome is never left unread
        attached = dict(zip(pks, await files, strict=True)) if files is not None else {}

    def convert(row: conversation.Comment) -> Comment:
        comment = Comment.from_model(row)
        comment.read_author = people.get(row.id, NOT_READ)
        if row.id in attached:
            comment.read_attachments = [Attachment.from_model(a) for a in attached[row.id]]
        return comment

    return convert
