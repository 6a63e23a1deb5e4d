"""Results of mutations. The ticket Actions menu: merges, spam, deletion, chat, products and expenses."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from schema.types.actions import Chat, ChatMessage, TicketItem
from schema.types.tickets import Ticket


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
