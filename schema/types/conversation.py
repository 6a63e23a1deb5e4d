"""The conversation: comments (public replies and internal notes) and their attachments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models import conversation
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


@strawberry.type(description="A file attached to a comment.")
class Attachment(Node):
    filename: str = strawberry.field(description="Sanitised file name.")
    content_type: str = strawberry.field(description="MIME type, sniffed from the content.")
    size: int = strawberry.field(description="Size in bytes.")
    created_at: datetime = strawberry.field(description="When it was uploaded.")

    @classmethod
    def from_model(cls, row: conversation.Attachment) -> Attachment:
        return cls(
            id=strawberry.ID(ids.encode("Attachment", row.id)),
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            created_at=row.created_at,
        )


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
