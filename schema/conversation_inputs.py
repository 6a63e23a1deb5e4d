"""Inputs for writing the conversation, quick-reply templates, notifications and ticket settings."""

from __future__ import annotations

import strawberry

from schema.enums import MailTrust, ReplyType


@strawberry.input(description="A public reply: the requester and everyone cc'd sees it.")
class AddPublicReplyInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    body: str = strawberry.field(description="HTML (sanitised) or plain text; cut to 64,000 characters.")
    cc: list[str] = strawberry.field(
        default_factory=list, description="Email addresses to copy (kept on the ticket)."
    )
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Your uploads (uploadAttachment) to attach."
    )
    set_status_id: strawberry.ID | None = strawberry.field(
        default=None, description="A status to apply with the reply, in the same save (technicians)."
    )
    mark_as_resolution: bool = strawberry.field(
        default=False, description="Mark it as the resolution (technicians)."
    )


@strawberry.input(description="An internal note: technicians only, never sent to the requester.")
class AddInternalNoteInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    body: str = strawberry.field(description="HTML (sanitised) or plain text; cut to 64,000 characters.")
    mention_technician_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Technicians to @mention: they follow the ticket and are notified."
    )
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Your uploads to attach."
    )
    set_status_id: strawberry.ID | None = strawberry.field(
        default=None, description="A status to apply with the note."
    )
    mark_as_resolution: bool = strawberry.field(default=False, description="Mark it as the resolution.")


@strawberry.input(description="Mark or unmark a comment as (part of) the resolution.")
class SetCommentResolutionInput:
    comment_id: strawberry.ID = strawberry.field(description="The comment.")
    is_resolution: bool = strawberry.field(description="true marks it, false unmarks it.")


@strawberry.input(description="A new quick-reply template.")
class CreateReplyTemplateInput:
    name: str = strawberry.field(description="Shown in the template picker.")
    body: str = strawberry.field(
        description="HTML or text with placeholders such as {{requester.firstName}}."
    )
    shared: bool = strawberry.field(
        default=False, description="Share with the account (admins); else personal."
    )


@strawberry.input(description="Changes to a quick-reply template; fields left out are untouched.")
class UpdateReplyTemplateInput:
    id: strawberry.ID = strawberry.field(description="The template.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="New name.")
    body: str | None = strawberry.field(default=strawberry.UNSET, description="New text.")


@strawberry.input(description="A quick-reply template to delete.")
class DeleteReplyTemplateInput:
    id: strawberry.ID = strawberry.field(description="The template.")


@strawberry.input(description="Which of your notifications to mark read: some ids, or all.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="These notifications.")
    all: bool = strawberry.field(default=False, description="Every unread notification of yours.")


@strawberry.input(description="Changes to the ticket settings; fields left out are untouched.")
class UpdateTicketSettingsInput:
    default_reply_type: ReplyType | None = strawberry.field(
        default=strawberry.UNSET, description="Which reply box the ticket page preselects."
    )
    auto_start_timer: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether openTicket starts the technician's timer."
    )
    default_time_entry_minutes: int | None = strawberry.field(
        default=strawberry.UNSET, description="Duration of a manual time entry given none (1..1440)."
    )
    require_time_entry_on_close: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Closing a ticket needs at least one time entry on it."
    )
    send_survey_on_close: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Email the requester the satisfaction survey when a ticket closes.",
    )
    send_survey_on_resolve: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Email the requester the satisfaction survey when a ticket is resolved.",
    )
    remote_connect_url_template: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Link to a device, with {device.hostname}, {device.name} or {device.id} "
        "(e.g. rdp://{device.hostname}); rdp, vnc, ssh, http(s) and remote-tool schemes; empty turns it off.",
    )
    ai_auto_tags: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Suggest tags for new tickets (source AI)."
    )
    copilot_enabled: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Turn the copilot beta (summaries, solutions, scripts) on or off.",
    )
    deleted_retention_days: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Days a deleted ticket can be restored before it is purged (1..365).",
    )
    auto_close_after_days: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Days a resolved ticket waits before the default auto-close rule closes it (1..365).",
    )
    open_tickets_from_unknown_senders: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Mail from an address that is no requester of the account opens a ticket (a new requester).",
    )
    requester_mail_trust: MailTrust | None = strawberry.field(
        default=strawberry.UNSET,
        description="SENDER_ADDRESS: a requester's mail is theirs by its From address; REPLY_ADDRESS: only "
        "through their own reply address (other mail into a ticket is held as UNVERIFIED_SENDER).",
    )
