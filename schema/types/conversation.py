"""The conversation: comments (public replies and internal notes) and their attachments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models import conversation
from resolvers import links
from resolvers.context import Info
from schema import ids
from schema.enums import Channel, CommentKind
from schema.types.common import Node
from schema.types.people import Requester, Technician

Author = Annotated[
    Technician | Requester,
    strawberry.union(
        "Author", description="Who wrote a comment or made a change: a technician or a requester."
    ),
]


async def author(
    info: Info, technician_pk: int | None, requester_pk: int | None
) -> Technician | Requester | None:
    """The technician or requester behind a comment or change, as far as the viewer may see them."""
    loaders = info.context.loaders
    if technician_pk is not None:
        technician = await loaders.technician_shown_by_id.load(technician_pk)
        return Technician.from_model(technician) if technician else None
    if requester_pk is not None:
        requester = await loaders.requester_by_id.load(requester_pk)
        return Requester.from_model(requester) if requester else None
    return None


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
        description="A signed link (relative to the API) that downloads the file for you, valid for about "
        "an hour and only while your token is."
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

    @strawberry.field(description="Who wrote it; null when the author was deleted.")
    async def author(self, info: Info) -> Author | None:
        return await author(info, self.author_technician_pk, self.author_requester_pk)

    @strawberry.field(description="Attached files, in upload order.")
    async def attachments(self, info: Info) -> list[Attachment]:
        return [
            Attachment.from_model(a) for a in await info.context.loaders.attachments_by_comment.load(self.pk)
        ]

    @strawberry.field(description="Who a public reply was copied to.")
    async def cc(self, info: Info) -> list[CcRecipient]:
        return [CcRecipient.from_model(row) for row in await info.context.loaders.cc_by_comment.load(self.pk)]

    @strawberry.field(description="Technicians @mentioned in an internal note.")
    async def mentions(self, info: Info) -> list[Technician]:
        loaders = info.context.loaders
        rows = await loaders.mentions_by_comment.load(self.pk)
        found = await loaders.technician_shown_by_id.load_many([row.technician_id for row in rows])
        return [Technician.from_model(technician) for technician in found if technician is not None]
