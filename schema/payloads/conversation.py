"""Results of mutations. The conversation: comments, uploads, reply templates, notifications read, ticket settings."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.conversation import Attachment, Comment
from schema.types.replies import ReplyTemplate, TicketSettings
from schema.types.tickets import Ticket


@strawberry.type(description="The comment was added.")
class AddCommentSuccess:
    comment: Comment = strawberry.field(description="The new reply or note.")
    ticket: Ticket = strawberry.field(description="The ticket after it (status, activity status, version).")


@strawberry.type(description="The comment as saved.")
class CommentSuccess:
    comment: Comment = strawberry.field(description="The comment.")


@strawberry.type(description="The file was kept; attach it with attachmentIds.")
class UploadAttachmentSuccess:
    attachment: Attachment = strawberry.field(description="The upload, not attached yet.")


@strawberry.type(description="The template as saved.")
class ReplyTemplateSuccess:
    template: ReplyTemplate = strawberry.field(description="The template.")


@strawberry.type(description="Notifications marked read.")
class MarkNotificationsReadSuccess:
    count: int = strawberry.field(description="How many changed from unread to read.")


@strawberry.type(description="The settings as saved.")
class TicketSettingsSuccess:
    settings: TicketSettings = strawberry.field(description="The ticket settings.")


AddCommentResult = Annotated[
    AddCommentSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("AddCommentResult", description="The new comment, or why nothing was saved."),
]
CommentResult = Annotated[
    CommentSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CommentResult", description="The comment, or why not."),
]
UploadAttachmentResult = Annotated[
    UploadAttachmentSuccess | ValidationError,
    strawberry.union("UploadAttachmentResult", description="The upload, or why it was refused."),
]
ReplyTemplateResult = Annotated[
    ReplyTemplateSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("ReplyTemplateResult", description="The template, or why not."),
]
MarkNotificationsReadResult = Annotated[
    MarkNotificationsReadSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("MarkNotificationsReadResult", description="How many, or why not."),
]
TicketSettingsResult = Annotated[
    TicketSettingsSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("TicketSettingsResult", description="The settings, or why not."),
]
