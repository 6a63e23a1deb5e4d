"""Writing the conversation, quick-reply templates, notifications read marks, ticket settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from models.conversation import Comment as CommentRow
from models.tickets import Ticket as TicketRow
from resolvers.results import attempt, given, optional_pk, pk
from schema.context import Info
from schema.conversation_inputs import (
    AddInternalNoteInput,
    AddPublicReplyInput,
    CreateReplyTemplateInput,
    DeleteReplyTemplateInput,
    MarkNotificationsReadInput,
    SetCommentResolutionInput,
    UpdateReplyTemplateInput,
    UpdateTicketSettingsInput,
)
from schema.payloads.common import DeleteResult, DeleteSuccess
from schema.payloads.conversation import (
    AddCommentResult,
    AddCommentSuccess,
    CommentResult,
    CommentSuccess,
    MarkNotificationsReadResult,
    MarkNotificationsReadSuccess,
    ReplyTemplateResult,
    ReplyTemplateSuccess,
    TicketSettingsResult,
    TicketSettingsSuccess,
    UploadAttachmentResult,
    UploadAttachmentSuccess,
)
from schema.types.conversation import Attachment, Comment
from schema.types.replies import ReplyTemplate, TicketSettings
from schema.types.tickets import Ticket
from services import attachments, conversation, notifications, reply_templates, ticket_settings
from services.admin import require_technician
from services.errors import ValidationFailed

Described = strawberry.argument(description="What to write or change.")
CHUNK = 1024 * 1024


def _ids(values: list[strawberry.ID], type_name: str, field: str) -> list[int]:
    return [pk(value, type_name, field) for value in values]


async def _added(comment: CommentRow) -> AddCommentSuccess:
    return AddCommentSuccess(
        comment=Comment.from_model(comment),
        ticket=Ticket.from_model(await TicketRow.get(id=comment.ticket_id)),
    )


async def add_public_reply(info: Info, input: Annotated[AddPublicReplyInput, Described]) -> AddCommentResult:
    async def call() -> AddCommentSuccess:
        draft = conversation.Draft(
            body=input.body,
            cc=input.cc,
            attachment_ids=_ids(input.attachment_ids, "Attachment", "attachmentIds"),
            set_status_id=optional_pk(input.set_status_id, "TicketStatus", "setStatusId"),
            mark_as_resolution=input.mark_as_resolution,
        )
        viewer = info.context.viewer
        comment = await conversation.add_public_reply(
            viewer,
            pk(input.ticket_id, "Ticket", "ticketId"),
            draft,
            info.context.environment.attachment_limits,
        )
        return await _added(comment)

    return await attempt(call, lambda success: success)


async def add_internal_note(
    info: Info, input: Annotated[AddInternalNoteInput, Described]
) -> AddCommentResult:
    async def call() -> AddCommentSuccess:
        draft = conversation.Draft(
            body=input.body,
            mention_ids=_ids(input.mention_technician_ids, "Technician", "mentionTechnicianIds"),
            attachment_ids=_ids(input.attachment_ids, "Attachment", "attachmentIds"),
            set_status_id=optional_pk(input.set_status_id, "TicketStatus", "setStatusId"),
            mark_as_resolution=input.mark_as_resolution,
        )
        comment = await conversation.add_internal_note(
            info.context.viewer,
            pk(input.ticket_id, "Ticket", "ticketId"),
            draft,
            info.context.environment.attachment_limits,
        )
        return await _added(comment)

    return await attempt(call, lambda success: success)


async def set_comment_resolution(
    info: Info, input: Annotated[SetCommentResolutionInput, Described]
) -> CommentResult:
    return await attempt(
        lambda: conversation.set_resolution(
            info.context.viewer, pk(input.comment_id, "Comment", "commentId"), input.is_resolution
        ),
        lambda row: CommentSuccess(comment=Comment.from_model(row)),
    )


async def _chunks(file: Any) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK):
        yield chunk


async def upload_attachment(
    info: Info,
    file: Annotated[Upload, strawberry.argument(description="The file (GraphQL multipart request).")],
) -> UploadAttachmentResult:
    viewer = info.context.viewer

    async def call() -> Any:
        if not callable(getattr(file, "read", None)):  # a value in JSON, not a file of a multipart request
            raise ValidationFailed.one("file", "Send a file, in a GraphQL multipart request.")
        return await attachments.upload(
            viewer,
            getattr(file, "filename", None) or "attachment",
            _chunks(file),
            info.context.environment.attachment_limits,
        )

    return await attempt(call, lambda row: UploadAttachmentSuccess(attachment=Attachment.from_model(row)))


def _template(row: Any) -> ReplyTemplateSuccess:
    return ReplyTemplateSuccess(template=ReplyTemplate.from_model(row))


async def create_reply_template(
    info: Info, input: Annotated[CreateReplyTemplateInput, Described]
) -> ReplyTemplateResult:
    return await attempt(
        lambda: reply_templates.create(
            info.context.viewer, name=input.name, body=input.body, shared=input.shared
        ),
        _template,
    )


async def update_reply_template(
    info: Info, input: Annotated[UpdateReplyTemplateInput, Described]
) -> ReplyTemplateResult:
    return await attempt(
        lambda: reply_templates.update(
            info.context.viewer,
            pk(input.id, "ReplyTemplate", "id"),
            name=given(input.name, "name"),
            body=given(input.body, "body"),
        ),
        _template,
    )


async def delete_reply_template(
    info: Info, input: Annotated[DeleteReplyTemplateInput, Described]
) -> DeleteResult:
    return await attempt(
        lambda: reply_templates.delete(info.context.viewer, pk(input.id, "ReplyTemplate", "id")),
        lambda _: DeleteSuccess(deleted_id=input.id),
    )


async def mark_notifications_read(
    info: Info, input: Annotated[MarkNotificationsReadInput, Described]
) -> MarkNotificationsReadResult:
    async def call() -> int:
        viewer = info.context.viewer
        require_technician(viewer)
        if input.all == (input.ids is not None):
            raise ValidationFailed.one("ids", "Give either ids or all: true.")
        ids = None if input.all else _ids(input.ids or [], "Notification", "ids")
        return await notifications.mark_read(viewer, ids)

    return await attempt(call, lambda count: MarkNotificationsReadSuccess(count=count))


async def update_ticket_settings(
    info: Info, input: Annotated[UpdateTicketSettingsInput, Described]
) -> TicketSettingsResult:
    return await attempt(
        lambda: ticket_settings.update(
            info.context.viewer,
            default_reply_type=given(input.default_reply_type, "defaultReplyType"),
            auto_start_timer=given(input.auto_start_timer, "autoStartTimer"),
            default_time_entry_minutes=given(input.default_time_entry_minutes, "defaultTimeEntryMinutes"),
            require_time_entry_on_close=given(input.require_time_entry_on_close, "requireTimeEntryOnClose"),
            send_survey_on_close=given(input.send_survey_on_close, "sendSurveyOnClose"),
            send_survey_on_resolve=given(input.send_survey_on_resolve, "sendSurveyOnResolve"),
            remote_connect_url_template=given(input.remote_connect_url_template, "remoteConnectUrlTemplate"),
            ai_auto_tags=given(input.ai_auto_tags, "aiAutoTags"),
            copilot_enabled=given(input.copilot_enabled, "copilotEnabled"),
            deleted_retention_days=given(input.deleted_retention_days, "deletedRetentionDays"),
            auto_close_after_days=given(input.auto_close_after_days, "autoCloseAfterDays"),
            open_tickets_from_unknown_senders=given(
                input.open_tickets_from_unknown_senders, "openTicketsFromUnknownSenders"
            ),
            requester_mail_trust=given(input.requester_mail_trust, "requesterMailTrust"),
        ),
        lambda row: TicketSettingsSuccess(settings=TicketSettings.from_model(row)),
    )
