"""Quick-reply templates and the account's ticket settings."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import conversation, settings
from schema import ids
from schema.enums import MailTrust, ReplyType
from schema.types.common import Node


@strawberry.type(description="A quick-reply text with placeholders such as {{requester.firstName}}.")
class ReplyTemplate(Node):
    name: str = strawberry.field(description="Shown in the template picker.")
    body: str = strawberry.field(description="Sanitised HTML with placeholders.")
    shared: bool = strawberry.field(description="Shared with the account (else personal).")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @classmethod
    def from_model(cls, row: conversation.ReplyTemplate) -> ReplyTemplate:
        return cls(
            id=strawberry.ID(ids.encode("ReplyTemplate", row.id)),
            name=row.name,
            body=row.body,
            shared=row.owner_id is None,
            updated_at=row.updated_at,
        )


@strawberry.type(description="A template filled in for one ticket, ready for the reply box.")
class RenderedReply:
    body: str = strawberry.field(description="Sanitised HTML.")
    text: str = strawberry.field(description="Plain text.")


@strawberry.type(description="How the account's ticket pages behave (admins change them).")
class TicketSettings:
    default_reply_type: ReplyType = strawberry.field(description="Which reply box the page preselects.")
    auto_start_timer: bool = strawberry.field(description="openTicket starts the technician's timer.")
    default_time_entry_minutes: int = strawberry.field(description="Duration of a manual entry given none.")
    require_time_entry_on_close: bool = strawberry.field(
        description="Closing needs a time entry on the ticket."
    )
    send_survey_on_close: bool = strawberry.field(description="Closing emails the requester the survey.")
    send_survey_on_resolve: bool = strawberry.field(description="Resolving emails the requester the survey.")
    remote_connect_url_template: str = strawberry.field(
        description="Template of device.remoteConnectUrl, e.g. rdp://{device.hostname}; empty: no link."
    )
    ai_auto_tags: bool = strawberry.field(description="New tickets get suggested tags (source AI).")
    copilot_enabled: bool = strawberry.field(
        description="The copilot beta (summaries, solutions, scripts) is on."
    )
    deleted_retention_days: int = strawberry.field(description="Days a deleted ticket stays restorable.")
    auto_close_after_days: int = strawberry.field(
        description="The default rule 'Close tickets resolved for a while' closes a ticket resolved this "
        "many days unless the requester replied since (turn the rule off to keep tickets resolved)."
    )
    open_tickets_from_unknown_senders: bool = strawberry.field(
        description="Mail from strangers opens tickets (each becomes a requester)."
    )
    requester_mail_trust: MailTrust = strawberry.field(
        description="What a requester's mail needs to be posted as theirs: SENDER_ADDRESS (the From address) "
        "or REPLY_ADDRESS (their own reply address; other mail is held as UNVERIFIED_SENDER)."
    )

    @classmethod
    def from_model(cls, row: settings.TicketSettings) -> TicketSettings:
        return cls(
            default_reply_type=row.default_reply_type,
            auto_start_timer=row.auto_start_timer,
            default_time_entry_minutes=row.default_time_entry_minutes,
            require_time_entry_on_close=row.require_time_entry_on_close,
            send_survey_on_close=row.send_survey_on_close,
            send_survey_on_resolve=row.send_survey_on_resolve,
            remote_connect_url_template=row.remote_connect_url_template,
            ai_auto_tags=row.ai_auto_tags,
            copilot_enabled=row.copilot_enabled,
            deleted_retention_days=row.deleted_retention_days,
            auto_close_after_days=row.auto_close_after_days,
            open_tickets_from_unknown_senders=row.open_tickets_from_unknown_senders,
            requester_mail_trust=row.requester_mail_trust,
        )
