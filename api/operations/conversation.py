"""The conversation: replies, notes, attachments, templates, notifications, ticket settings."""

from __future__ import annotations

import strawberry

from resolvers import conversation_mutations as m
from resolvers import conversation_queries as q
from schema.payloads.common import DeleteResult
from schema.payloads.conversation import (
    AddCommentResult,
    CommentResult,
    MarkNotificationsReadResult,
    ReplyTemplateResult,
    TicketSettingsResult,
    UploadAttachmentResult,
)
from schema.types.common import Connection
from schema.types.conversation import Author
from schema.types.notifications import Notification
from schema.types.replies import RenderedReply, ReplyTemplate, TicketSettings


@strawberry.type
class ConversationQueries:
    cc_suggestions: list[Author] = strawberry.field(
        resolver=q.cc_suggestions,
        description="Technicians and requesters whose name or email contains the text (the cc type-ahead).",
    )
    reply_templates: list[ReplyTemplate] = strawberry.field(
        resolver=q.reply_templates_list,
        description="Shared templates and your own, by name (technicians only).",
    )
    render_reply_template: RenderedReply | None = strawberry.field(
        resolver=q.render_reply_template,
        description="A template with its placeholders filled for a ticket; null when either is not found.",
    )
    notifications: Connection[Notification] = strawberry.field(
        resolver=q.notifications_list, description="Your notifications of the last 7 days, newest first."
    )
    ticket_settings: TicketSettings = strawberry.field(
        resolver=q.ticket_settings_of, description="The account's ticket settings."
    )


@strawberry.type
class ConversationMutations:
    add_public_reply: AddCommentResult = strawberry.field(
        resolver=m.add_public_reply,
        description="Reply to the requester (and cc), optionally with files, a status and the resolution mark.",
    )
    add_internal_note: AddCommentResult = strawberry.field(
        resolver=m.add_internal_note,
        description="Add a note for technicians only, optionally @mentioning some.",
    )
    set_comment_resolution: CommentResult = strawberry.field(
        resolver=m.set_comment_resolution, description="Mark or unmark a comment as the resolution."
    )
    upload_attachment: UploadAttachmentResult = strawberry.field(
        resolver=m.upload_attachment,
        description="Upload a file (multipart request, with a GraphQL-Preflight header) to attach to a comment.",
    )
    create_reply_template: ReplyTemplateResult = strawberry.field(
        resolver=m.create_reply_template, description="Save a quick-reply template (shared ones: admins)."
    )
    update_reply_template: ReplyTemplateResult = strawberry.field(
        resolver=m.update_reply_template,
        description="Change a template (your own, or a shared one as admin).",
    )
    delete_reply_template: DeleteResult = strawberry.field(
        resolver=m.delete_reply_template,
        description="Delete a template (your own, or a shared one as admin).",
    )
    mark_notifications_read: MarkNotificationsReadResult = strawberry.field(
        resolver=m.mark_notifications_read, description="Mark some or all of your notifications read."
    )
    update_ticket_settings: TicketSettingsResult = strawberry.field(
        resolver=m.update_ticket_settings, description="Change the ticket settings (admins)."
    )
