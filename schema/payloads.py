"""Results of mutations: a success type or one of the typed errors, as a union per mutation."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from schema.errors import (
    AiUnavailableError,
    ConflictError,
    InvalidCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ValidationError,
)
from schema.types.actions import Chat, ChatMessage, TicketItem
from schema.types.ai import AiDraft, CopilotAnswer, GeneratedScript, KbArticle, SolutionSuggestions
from schema.types.context import Alert, CalendarEvent, CalendarFeed
from schema.types.conversation import Attachment, Comment
from schema.types.forms import CustomField, FormTemplate
from schema.types.mail import Mailbox, MailTemplate, OutboundMail
from schema.types.people import Customer, Device, Requester, SatisfactionSurvey, Technician
from schema.types.replies import ReplyTemplate, TicketSettings
from schema.types.sla import BusinessCalendar, SlaPolicy
from schema.types.tickets import Ticket, TicketStatus
from schema.types.time import TimeEntry, Timer, TimerChange
from schema.types.viewer import Viewer


@strawberry.type(description="A session token; send it as `Authorization: Bearer <token>`.")
class LoginSuccess:
    token: str = strawberry.field(description="The bearer token. It is shown only once.")
    viewer: Viewer = strawberry.field(description="Who the token stands for.")


@strawberry.type(description="The token (or tokens) no longer work.")
class LogoutSuccess:
    revoked: int = strawberry.field(description="How many tokens were revoked.")


@strawberry.type(description="The ticket was created.")
class CreateTicketSuccess:
    ticket: Ticket = strawberry.field(description="The new ticket.")


@strawberry.type(description="The technician was created.")
class CreateTechnicianSuccess:
    technician: Technician = strawberry.field(description="The new technician.")


@strawberry.type(description="The requester was created.")
class CreateRequesterSuccess:
    requester: Requester = strawberry.field(description="The new requester.")


LoginResult = Annotated[
    LoginSuccess | ValidationError | InvalidCredentialsError | RateLimitedError,
    strawberry.union("LoginResult", description="A token, or why not."),
]
CreateTicketResult = Annotated[
    CreateTicketSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CreateTicketResult", description="The new ticket, or why not."),
]
CreateTechnicianResult = Annotated[
    CreateTechnicianSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("CreateTechnicianResult", description="The new technician, or why not."),
]
CreateRequesterResult = Annotated[
    CreateRequesterSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CreateRequesterResult", description="The new requester, or why not."),
]


@strawberry.type(description="Everything deskql holds about the people with one email, as one JSON document.")
class ExportPersonSuccess:
    email: str = strawberry.field(description="The email exported, as stored.")
    document: JSON = strawberry.field(
        description=(
            "The export: {email, exportedAt, people: [{kind, account, profile, tickets, comments, "
            "attachments, surveys, timeEntries}]}; see docs/operations.md, Personal data."
        )
    )


ExportPersonResult = Annotated[
    ExportPersonSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("ExportPersonResult", description="The export, or why not."),
]


@strawberry.type(description="The requester was erased: name and contact replaced, tickets kept.")
class ErasePersonSuccess:
    requester: Requester = strawberry.field(description="The anonymised requester.")


ErasePersonResult = Annotated[
    ErasePersonSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("ErasePersonResult", description="The erased requester, or why not."),
]


@strawberry.type(description="The ticket after the change.")
class UpdateTicketSuccess:
    ticket: Ticket = strawberry.field(description="The ticket as saved, with its new version.")


UpdateTicketResult = Annotated[
    UpdateTicketSuccess | ValidationError | NotFoundError | PermissionDeniedError | ConflictError,
    strawberry.union("UpdateTicketResult", description="The saved ticket, or why nothing was saved."),
]


@strawberry.type(description="The status as saved.")
class TicketStatusSuccess:
    status: TicketStatus = strawberry.field(description="The status.")


@strawberry.type(description="The statuses in their new order.")
class TicketStatusesSuccess:
    statuses: list[TicketStatus] = strawberry.field(description="Every status of the account, in order.")


@strawberry.type(description="The status is gone.")
class DeleteSuccess:
    deleted_id: strawberry.ID = strawberry.field(description="The ID that no longer exists.")


@strawberry.type(description="The custom field as saved.")
class CustomFieldSuccess:
    custom_field: CustomField = strawberry.field(description="The field.")


@strawberry.type(description="The form template as saved.")
class FormTemplateSuccess:
    template: FormTemplate = strawberry.field(description="The template.")


@strawberry.type(description="The business calendar as saved.")
class BusinessCalendarSuccess:
    calendar: BusinessCalendar = strawberry.field(description="The calendar.")


@strawberry.type(description="The SLA policy as saved.")
class SlaPolicySuccess:
    policy: SlaPolicy = strawberry.field(description="The policy.")


@strawberry.type(description="The customer as saved.")
class CustomerSuccess:
    customer: Customer = strawberry.field(description="The customer.")


TicketStatusResult = Annotated[
    TicketStatusSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("TicketStatusResult", description="The status, or why not."),
]
TicketStatusesResult = Annotated[
    TicketStatusesSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("TicketStatusesResult", description="The statuses, or why not."),
]
DeleteResult = Annotated[
    DeleteSuccess | ValidationError | NotFoundError | PermissionDeniedError | ConflictError,
    strawberry.union("DeleteResult", description="Deleted, or why not."),
]
CustomFieldResult = Annotated[
    CustomFieldSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CustomFieldResult", description="The custom field, or why not."),
]
FormTemplateResult = Annotated[
    FormTemplateSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("FormTemplateResult", description="The form template, or why not."),
]
BusinessCalendarResult = Annotated[
    BusinessCalendarSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("BusinessCalendarResult", description="The business calendar, or why not."),
]
SlaPolicyResult = Annotated[
    SlaPolicySuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("SlaPolicyResult", description="The SLA policy, or why not."),
]
CustomerResult = Annotated[
    CustomerSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CustomerResult", description="The customer, or why not."),
]


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


@strawberry.type(description="The timer change that happened.")
class TimerSuccess:
    change: TimerChange = strawberry.field(
        description="What changed, the timer now, and for a stop the entry."
    )


@strawberry.type(description="The ticket was opened: read, and with autoStartTimer the timer running.")
class OpenTicketSuccess:
    ticket: Ticket = strawberry.field(description="The ticket, read.")
    timer: Timer | None = strawberry.field(description="Your timer on it when it was started.")


@strawberry.type(description="The time entry as saved.")
class TimeEntrySuccess:
    time_entry: TimeEntry = strawberry.field(description="The entry.")


TimerResult = Annotated[
    TimerSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("TimerResult", description="The timer change, or why not."),
]
OpenTicketResult = Annotated[
    OpenTicketSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("OpenTicketResult", description="The opened ticket, or why not."),
]
TimeEntryResult = Annotated[
    TimeEntrySuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("TimeEntryResult", description="The entry, or why not."),
]


@strawberry.type(description="The mailbox as saved.")
class MailboxSuccess:
    mailbox: Mailbox = strawberry.field(description="The mailbox.")


@strawberry.type(description="The template as it now is.")
class MailTemplateSuccess:
    template: MailTemplate = strawberry.field(description="The template.")


@strawberry.type(description="The email is queued again.")
class OutboundMailSuccess:
    mail: OutboundMail = strawberry.field(description="The email.")


MailboxResult = Annotated[
    MailboxSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("MailboxResult", description="The mailbox, or why not."),
]
MailTemplateResult = Annotated[
    MailTemplateSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("MailTemplateResult", description="The template, or why not."),
]
OutboundMailResult = Annotated[
    OutboundMailSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("OutboundMailResult", description="The email, or why not."),
]


@strawberry.type(description="The tickets were merged.")
class MergeTicketsSuccess:
    target: Ticket = strawberry.field(description="The ticket that received everything.")
    sources: list[Ticket] = strawberry.field(description="The merged tickets, now closed.")


@strawberry.type(description="The merge was undone.")
class UnmergeTicketSuccess:
    source: Ticket = strawberry.field(description="The ticket, back as it was.")
    target: Ticket = strawberry.field(description="The ticket it had been merged into.")


@strawberry.type(description="The ticket after the action.")
class TicketActionSuccess:
    ticket: Ticket = strawberry.field(description="The ticket.")


@strawberry.type(description="The chat.")
class ChatSuccess:
    chat: Chat = strawberry.field(description="The chat.")


@strawberry.type(description="The message was sent.")
class ChatMessageSuccess:
    message: ChatMessage = strawberry.field(description="The message.")


@strawberry.type(description="The product or expense as saved.")
class TicketItemSuccess:
    item: TicketItem = strawberry.field(description="The item.")


MergeTicketsResult = Annotated[
    MergeTicketsSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("MergeTicketsResult", description="The merged tickets, or why nothing changed."),
]
UnmergeTicketResult = Annotated[
    UnmergeTicketSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("UnmergeTicketResult", description="The restored tickets, or why not."),
]
TicketActionResult = Annotated[
    TicketActionSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("TicketActionResult", description="The ticket, or why not."),
]
ChatResult = Annotated[
    ChatSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("ChatResult", description="The chat, or why not."),
]
ChatMessageResult = Annotated[
    ChatMessageSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("ChatMessageResult", description="The message, or why not."),
]
TicketItemResult = Annotated[
    TicketItemSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("TicketItemResult", description="The item, or why not."),
]


@strawberry.type(description="The device as saved.")
class DeviceSuccess:
    device: Device = strawberry.field(description="The device.")


@strawberry.type(description="The survey was recorded. Thank you!")
class SatisfactionSurveySuccess:
    survey: SatisfactionSurvey = strawberry.field(description="The survey.")


@strawberry.type(description="The event as saved.")
class CalendarEventSuccess:
    event: CalendarEvent = strawberry.field(description="The event.")


@strawberry.type(description="Your new calendar feed address; the previous one no longer works.")
class CalendarFeedSuccess:
    feed: CalendarFeed = strawberry.field(description="The feed, with its address (shown only now).")


@strawberry.type(description="Your calendar feed address no longer works.")
class CalendarFeedRevokedSuccess:
    revoked: bool = strawberry.field(description="False when there was no feed.")


@strawberry.type(description="The alert as saved.")
class AlertSuccess:
    alert: Alert = strawberry.field(description="The alert.")


@strawberry.type(description="The ticket opened from the alert, which is now related to it.")
class CreateTicketFromAlertSuccess:
    ticket: Ticket = strawberry.field(description="The new ticket.")
    alert: Alert = strawberry.field(description="The alert.")


DeviceResult = Annotated[
    DeviceSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("DeviceResult", description="The device, or why not."),
]
SatisfactionSurveyResult = Annotated[
    SatisfactionSurveySuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("SatisfactionSurveyResult", description="The survey, or why it was not recorded."),
]
CalendarEventResult = Annotated[
    CalendarEventSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CalendarEventResult", description="The event, or why not."),
]
CalendarFeedResult = Annotated[
    CalendarFeedSuccess | PermissionDeniedError,
    strawberry.union("CalendarFeedResult", description="The feed, or why not."),
]
CalendarFeedRevokedResult = Annotated[
    CalendarFeedRevokedSuccess | PermissionDeniedError,
    strawberry.union("CalendarFeedRevokedResult", description="Whether a feed was turned off, or why not."),
]
AlertResult = Annotated[
    AlertSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("AlertResult", description="The alert, or why not."),
]
CreateTicketFromAlertResult = Annotated[
    CreateTicketFromAlertSuccess | ValidationError | NotFoundError | PermissionDeniedError,
    strawberry.union("CreateTicketFromAlertResult", description="The ticket and the alert, or why not."),
]


@strawberry.type(description="A draft; nothing was sent or saved.")
class AiDraftSuccess:
    draft: AiDraft = strawberry.field(description="The draft.")


@strawberry.type(description="The copilot's answer.")
class CopilotAnswerSuccess:
    answer: CopilotAnswer = strawberry.field(description="The answer.")


@strawberry.type(description="Suggested solutions and the tickets they rely on.")
class SolutionSuggestionsSuccess:
    suggestions: SolutionSuggestions = strawberry.field(description="The suggestions.")


@strawberry.type(description="A script to review before running it.")
class GeneratedScriptSuccess:
    script: GeneratedScript = strawberry.field(description="The script.")


@strawberry.type(description="The article as saved.")
class KbArticleSuccess:
    article: KbArticle = strawberry.field(description="The article.")


AiDraftResult = Annotated[
    AiDraftSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("AiDraftResult", description="The draft, or why there is none."),
]
CopilotAnswerResult = Annotated[
    CopilotAnswerSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("CopilotAnswerResult", description="The answer, or why there is none."),
]
SolutionSuggestionsResult = Annotated[
    SolutionSuggestionsSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("SolutionSuggestionsResult", description="The suggestions, or why there are none."),
]
GeneratedScriptResult = Annotated[
    GeneratedScriptSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("GeneratedScriptResult", description="The script, or why there is none."),
]
KbArticleResult = Annotated[
    KbArticleSuccess | ValidationError | NotFoundError | PermissionDeniedError | AiUnavailableError,
    strawberry.union("KbArticleResult", description="The article, or why not."),
]
