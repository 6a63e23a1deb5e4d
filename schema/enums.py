"""GraphQL enums. The stored enums (models.enums) are registered as they are, so there is one list of each."""

from enum import StrEnum

import strawberry

from models.enums import (
    ActivityKind,
    ActivityStatus,
    AiFeature,
    AlertSeverity,
    AlertStatus,
    ArticleSource,
    ArticleStatus,
    AssignStrategy,
    BuiltInField,
    Channel,
    CommentAuthor,
    CommentKind,
    ContractType,
    CustomFieldType,
    Impact,
    InboundOutcome,
    ItemKind,
    MailKind,
    MailRecipientKind,
    MailTrust,
    NotificationKind,
    OutboundStatus,
    Priority,
    ReplyType,
    RewriteTone,
    Role,
    RuleActionKind,
    RuleField,
    RuleOperator,
    RuleTrigger,
    ScriptLanguage,
    SentimentLabel,
    StatusCategory,
    TagSource,
    TicketType,
    TimeEntrySource,
)
from services.ticket_counts import CountDimension

strawberry.enum(Role, description="What a technician may do: ADMIN manages the account.")
strawberry.enum(
    StatusCategory, description="The lifecycle stage a status belongs to; custom statuses map to one."
)
strawberry.enum(TicketType, description="ITIL category of a ticket.")
strawberry.enum(Priority, description="How urgent a ticket is.")
strawberry.enum(Impact, description="How much of the business a ticket's problem affects.")
strawberry.enum(ActivityStatus, description="Who the ticket is waiting on (not its lifecycle status).")
strawberry.enum(Channel, description="Where a ticket, comment or change came from.")
strawberry.enum(
    CommentKind, description="PUBLIC_REPLY is seen by the requester; INTERNAL_NOTE by technicians only."
)
strawberry.enum(TagSource, description="Who put a tag on a ticket.")
strawberry.enum(ContractType, description="How a customer's contract is billed.")
strawberry.enum(
    CustomFieldType, description="What a custom field holds; see the README for the value of each."
)
strawberry.enum(BuiltInField, description="A field every account has, which admins customise.")
strawberry.enum(
    CustomFieldType, description="What a custom field holds; see the README for the value of each."
)
strawberry.enum(BuiltInField, description="A field every account has, which admins customise.")
strawberry.enum(
    NotificationKind,
    description="Why a technician is notified: a MENTION, a NOTE_ON_FOLLOWED_TICKET, MAIL_HELD (a mail "
    "from your address into the ticket was held, as it did not come through your reply address), or "
    "AUTOMATION (an automation rule's notify action).",
)
strawberry.enum(ReplyType, description="A public reply or an internal note.")
strawberry.enum(
    RuleTrigger,
    description="When a rule is considered: TICKET_CREATED, TICKET_UPDATED, COMMENT_ADDED (after the change "
    "commits), or by the periodic job: PENDING_FOR / RESOLVED_FOR (hours in the status), SLA_DUE_WITHIN "
    "(minutes before an SLA target), SLA_BREACHED.",
)
strawberry.enum(RuleField, description="What a rule's condition looks at (docs/automation.md lists values).")
strawberry.enum(RuleOperator, description="How a condition compares the ticket's value with the rule's.")
strawberry.enum(RuleActionKind, description="What a rule's action does to the ticket.")
strawberry.enum(MailRecipientKind, description="Who a rule's mail goes to.")
strawberry.enum(AssignStrategy, description="How a rule picks a team member: in turn, or the least loaded.")
strawberry.enum(CommentAuthor, description="Who wrote a comment: the requester (or a cc) or a technician.")
strawberry.enum(TimeEntrySource, description="Where a time entry came from.")
strawberry.enum(AiFeature, description="What a language-model call was made for.")
strawberry.enum(ArticleSource, description="What a knowledge-base article is written from.")
strawberry.enum(ArticleStatus, description="DRAFT (technicians only) or PUBLISHED (end users read it).")
strawberry.enum(RewriteTone, description="How rewritten text should read.")
strawberry.enum(ScriptLanguage, description="The language of a generated script.")
strawberry.enum(SentimentLabel, description="How a requester's messages sound.")
strawberry.enum(AlertSeverity, description="How serious a monitoring alert is.")
strawberry.enum(AlertStatus, description="OPEN until monitoring (or a technician) resolves the alert.")
strawberry.enum(ItemKind, description="PRODUCT (hardware, licences) or EXPENSE (travel, purchases).")
strawberry.enum(MailKind, description="Which template an email is written from.")
strawberry.enum(OutboundStatus, description="Where an outgoing email stands: PENDING, SENT or FAILED.")
strawberry.enum(
    InboundOutcome,
    description="What became of a received email. UNVERIFIED_SENDER: held, nothing posted: from a "
    "participant's address but not through their own reply address (always needed for technicians).",
)
strawberry.enum(
    MailTrust,
    description="What makes a mail a requester's: SENDER_ADDRESS (their From address) or REPLY_ADDRESS "
    "(their own signed reply address, or the trusted mail server's authentication).",
)
strawberry.enum(ActivityKind, description="What an activity-log row records.")


@strawberry.enum(description="Order of a conversation.")
class ConversationOrder(StrEnum):
    OLDEST_FIRST = "OLDEST_FIRST"
    NEWEST_FIRST = "NEWEST_FIRST"


@strawberry.enum(description="Which comments of a conversation to list.")
class ConversationFilter(StrEnum):
    ALL = "ALL"
    PUBLIC_REPLIES = "PUBLIC_REPLIES"
    INTERNAL_NOTES = "INTERNAL_NOTES"


@strawberry.enum(description="Order of a ticket list.")
class TicketOrder(StrEnum):
    NEWEST_FIRST = "NEWEST_FIRST"
    OLDEST_FIRST = "OLDEST_FIRST"
    RECENTLY_UPDATED = "RECENTLY_UPDATED"
    SLA_DUE = "SLA_DUE"
    RELEVANCE = "RELEVANCE"


@strawberry.enum(description="A day of the week of a business calendar.")
class Weekday(StrEnum):
    MONDAY = "MONDAY"
    TUESDAY = "TUESDAY"
    WEDNESDAY = "WEDNESDAY"
    THURSDAY = "THURSDAY"
    FRIDAY = "FRIDAY"
    SATURDAY = "SATURDAY"
    SUNDAY = "SUNDAY"


__all__ = [
    "ActivityKind",
    "ActivityStatus",
    "AiFeature",
    "AlertSeverity",
    "AlertStatus",
    "ArticleSource",
    "ArticleStatus",
    "AssignStrategy",
    "BuiltInField",
    "Channel",
    "CommentAuthor",
    "CommentKind",
    "ContractType",
    "ConversationFilter",
    "ConversationOrder",
    "CustomFieldType",
    "Impact",
    "InboundOutcome",
    "ItemKind",
    "MailKind",
    "MailRecipientKind",
    "MailTrust",
    "NotificationKind",
    "OutboundStatus",
    "Priority",
    "ReplyType",
    "RewriteTone",
    "Role",
    "RuleActionKind",
    "RuleField",
    "RuleOperator",
    "RuleTrigger",
    "ScriptLanguage",
    "SentimentLabel",
    "StatusCategory",
    "TagSource",
    "TicketOrder",
    "TicketType",
    "TimeEntrySource",
    "Weekday",
]

strawberry.enum(
    CountDimension,
    description="What ticketCounts groups by: a property of the ticket, of its requester (CUSTOMER, SITE, "
    "DEPARTMENT), a tag, or a UTC day.",
)
