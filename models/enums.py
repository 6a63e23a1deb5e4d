"""Enumerations stored in the database; their values are the GraphQL enum values."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "ADMIN"
    TECHNICIAN = "TECHNICIAN"


class StatusCategory(StrEnum):
    OPEN = "OPEN"
    PENDING = "PENDING"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


class TicketType(StrEnum):
    INCIDENT = "INCIDENT"
    PROBLEM = "PROBLEM"
    REQUEST = "REQUEST"
    CHANGE = "CHANGE"


class Priority(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class Impact(StrEnum):
    NO_IMPACT = "NO_IMPACT"
    MINOR = "MINOR"
    MAJOR = "MAJOR"
    SITE_DOWN = "SITE_DOWN"
    SERVER_ISSUE = "SERVER_ISSUE"
    CRISIS = "CRISIS"


class ActivityStatus(StrEnum):
    UNREAD = "UNREAD"
    READ = "READ"
    WAITING_FOR_REQUESTER = "WAITING_FOR_REQUESTER"
    WAITING_FOR_TECHNICIAN = "WAITING_FOR_TECHNICIAN"


class Channel(StrEnum):
    WEB = "WEB"
    API = "API"
    EMAIL = "EMAIL"
    PORTAL = "PORTAL"
    CHAT = "CHAT"
    AUTOMATION = "AUTOMATION"
    SYSTEM = "SYSTEM"


class CommentKind(StrEnum):
    PUBLIC_REPLY = "PUBLIC_REPLY"
    INTERNAL_NOTE = "INTERNAL_NOTE"


class TagSource(StrEnum):
    MANUAL = "MANUAL"
    AI = "AI"


class ContractType(StrEnum):
    RETAINER = "RETAINER"
    HOURLY = "HOURLY"
    FIXED_FEE = "FIXED_FEE"
    BLOCK_HOURS = "BLOCK_HOURS"


class ActivityKind(StrEnum):
    """What an Activity row records. End users see only the kinds listed in services.visibility."""

    TICKET_CREATED = "TICKET_CREATED"
    FIELD_CHANGED = "FIELD_CHANGED"
    STATUS_CHANGED = "STATUS_CHANGED"
    ASSIGNEE_CHANGED = "ASSIGNEE_CHANGED"
    REQUESTER_CHANGED = "REQUESTER_CHANGED"
    ACTIVITY_STATUS_CHANGED = "ACTIVITY_STATUS_CHANGED"
    FORM_TEMPLATE_CHANGED = "FORM_TEMPLATE_CHANGED"
    CUSTOM_FIELD_CHANGED = "CUSTOM_FIELD_CHANGED"
    TAG_ADDED = "TAG_ADDED"
    TAG_REMOVED = "TAG_REMOVED"
    SLA_BREACHED = "SLA_BREACHED"
    PUBLIC_REPLY_ADDED = "PUBLIC_REPLY_ADDED"
    INTERNAL_NOTE_ADDED = "INTERNAL_NOTE_ADDED"
    RESOLUTION_MARKED = "RESOLUTION_MARKED"
    RESOLUTION_UNMARKED = "RESOLUTION_UNMARKED"
    CC_ADDED = "CC_ADDED"
    FOLLOWER_ADDED = "FOLLOWER_ADDED"
    TIME_ENTRY_ADDED = "TIME_ENTRY_ADDED"
    TIME_ENTRY_UPDATED = "TIME_ENTRY_UPDATED"
    TIME_ENTRY_DELETED = "TIME_ENTRY_DELETED"


class CustomFieldType(StrEnum):
    TEXT = "TEXT"
    TEXTAREA = "TEXTAREA"
    NUMBER = "NUMBER"
    DECIMAL = "DECIMAL"
    DATE = "DATE"
    DATETIME = "DATETIME"
    DROPDOWN = "DROPDOWN"
    MULTI_SELECT = "MULTI_SELECT"
    CHECKBOX = "CHECKBOX"
    URL = "URL"


class BuiltInField(StrEnum):
    PRODUCT_FAMILY = "PRODUCT_FAMILY"


class NotificationKind(StrEnum):
    MENTION = "MENTION"
    NOTE_ON_FOLLOWED_TICKET = "NOTE_ON_FOLLOWED_TICKET"


class ReplyType(StrEnum):
    PUBLIC_REPLY = "PUBLIC_REPLY"
    INTERNAL_NOTE = "INTERNAL_NOTE"


class TimeEntrySource(StrEnum):
    TIMER = "TIMER"
    MANUAL = "MANUAL"


class MailKind(StrEnum):
    """Which template an outgoing email was written from."""

    TICKET_CREATED = "TICKET_CREATED"
    PUBLIC_REPLY = "PUBLIC_REPLY"
    INTERNAL_NOTE = "INTERNAL_NOTE"
    TICKET_RESOLVED = "TICKET_RESOLVED"
    TICKET_CLOSED = "TICKET_CLOSED"


class OutboundStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"


class InboundOutcome(StrEnum):
    """What became of a received email."""

    REPLY_POSTED = "REPLY_POSTED"
    TICKET_CREATED = "TICKET_CREATED"
    DUPLICATE = "DUPLICATE"
    AUTO_REPLY = "AUTO_REPLY"
    LOOP = "LOOP"
    STORM = "STORM"
    UNKNOWN_SENDER = "UNKNOWN_SENDER"
    NO_MAILBOX = "NO_MAILBOX"
    EMPTY = "EMPTY"
    MALFORMED = "MALFORMED"
    FAILED = "FAILED"
