"""An account's ticket settings (admins)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account
from models.enums import MailTrust, ReplyType


class TicketSettings(Model):
    """One row per account, created with defaults the first time they are changed."""

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation[Account] = fields.OneToOneField(
        "deskql.Account", related_name="ticket_settings", on_delete=fields.CASCADE
    )
    account_id: int
    default_reply_type = fields.CharEnumField(ReplyType, max_length=20, default=ReplyType.PUBLIC_REPLY)
    auto_start_timer = fields.BooleanField(default=True, db_default=True)
    default_time_entry_minutes = fields.SmallIntField(default=15, db_default=15)
    require_time_entry_on_close = fields.BooleanField(default=False, db_default=False)
    send_survey_on_close = fields.BooleanField(default=False, db_default=False)
    send_survey_on_resolve = fields.BooleanField(default=False, db_default=False)
    remote_connect_url_template = fields.CharField(max_length=500, default="", db_default="")
    ai_auto_tags = fields.BooleanField(default=True, db_default=True)
    copilot_enabled = fields.BooleanField(default=False, db_default=False)
    deleted_retention_days = fields.SmallIntField(default=30, db_default=30)
    auto_close_after_days = fields.SmallIntField(default=7, db_default=7)
    open_tickets_from_unknown_senders = fields.BooleanField(default=False, db_default=False)
    requester_mail_trust = fields.CharEnumField(
        MailTrust, max_length=20, default=MailTrust.SENDER_ADDRESS, db_default=MailTrust.SENDER_ADDRESS.value
    )

    class Meta:
        table = "ticket_settings"
