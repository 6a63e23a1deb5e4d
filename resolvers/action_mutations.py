"""The ticket Actions menu: merge and unmerge, spam, delete and restore, chat, products and expenses."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.results import attempt, given, pk
from schema.action_inputs import (
    AddTicketItemInput,
    DeleteTicketItemInput,
    EndChatInput,
    MarkTicketAsSpamInput,
    MergeTicketsInput,
    SendChatMessageInput,
    TicketActionInput,
    UnmergeTicketInput,
    UpdateTicketItemInput,
)
from schema.context import Info
from schema.payloads.actions import (
    ChatMessageResult,
    ChatMessageSuccess,
    ChatResult,
    ChatSuccess,
    MergeTicketsResult,
    MergeTicketsSuccess,
    TicketActionResult,
    TicketActionSuccess,
    TicketItemResult,
    TicketItemSuccess,
    UnmergeTicketResult,
    UnmergeTicketSuccess,
)
from schema.payloads.common import DeleteResult, DeleteSuccess
from schema.types.actions import Chat, ChatMessage, TicketItem
from schema.types.tickets import Ticket
from services import chats, merges, ticket_items, ticket_lifecycle
from services.unset import UNSET

Described = strawberry.argument(description="What to act on.")


def _ticket(row: Any) -> TicketActionSuccess:
    return TicketActionSuccess(ticket=Ticket.from_model(row))


async def merge_tickets(info: Info, input: Annotated[MergeTicketsInput, Described]) -> MergeTicketsResult:
    async def call() -> Any:
        sources = [pk(value, "Ticket", "sourceTicketIds") for value in input.source_ticket_ids]
        return await merges.merge(
            info.context.viewer, sources, pk(input.target_ticket_id, "Ticket", "targetTicketId")
        )

    return await attempt(
        call,
        lambda done: MergeTicketsSuccess(
            target=Ticket.from_model(done[0]), sources=[Ticket.from_model(row) for row in done[1]]
        ),
    )


async def unmerge_ticket(info: Info, input: Annotated[UnmergeTicketInput, Described]) -> UnmergeTicketResult:
    async def call() -> Any:
        return await merges.unmerge(
            info.context.viewer, pk(input.source_ticket_id, "Ticket", "sourceTicketId")
        )

    return await attempt(
        call,
        lambda done: UnmergeTicketSuccess(
            source=Ticket.from_model(done[0]), target=Ticket.from_model(done[1])
        ),
    )


async def mark_ticket_as_spam(
    info: Info, input: Annotated[MarkTicketAsSpamInput, Described]
) -> TicketActionResult:
    async def call() -> Any:
        ticket_id = pk(input.ticket_id, "Ticket", "ticketId")
        return await ticket_lifecycle.mark_spam(
            info.context.viewer, ticket_id, block_sender=input.block_sender
        )

    return await attempt(call, _ticket)


async def unmark_ticket_as_spam(
    info: Info, input: Annotated[TicketActionInput, Described]
) -> TicketActionResult:
    async def call() -> Any:
        return await ticket_lifecycle.unmark_spam(
            info.context.viewer, pk(input.ticket_id, "Ticket", "ticketId")
        )

    return await attempt(call, _ticket)


async def delete_ticket(info: Info, input: Annotated[TicketActionInput, Described]) -> DeleteResult:
    async def call() -> Any:
        return await ticket_lifecycle.delete(info.context.viewer, pk(input.ticket_id, "Ticket", "ticketId"))

    return await attempt(call, lambda _: DeleteSuccess(deleted_id=input.ticket_id))


async def restore_ticket(info: Info, input: Annotated[TicketActionInput, Described]) -> TicketActionResult:
    async def call() -> Any:
        return await ticket_lifecycle.restore(info.context.viewer, pk(input.ticket_id, "Ticket", "ticketId"))

    return await attempt(call, _ticket)


async def start_chat(info: Info, input: Annotated[TicketActionInput, Described]) -> ChatResult:
    async def call() -> Any:
        return await chats.start(info.context.viewer, pk(input.ticket_id, "Ticket", "ticketId"))

    return await attempt(call, lambda row: ChatSuccess(chat=Chat.from_model(row)))


async def send_chat_message(
    info: Info, input: Annotated[SendChatMessageInput, Described]
) -> ChatMessageResult:
    async def call() -> Any:
        return await chats.send_message(info.context.viewer, pk(input.chat_id, "Chat", "chatId"), input.text)

    return await attempt(call, lambda row: ChatMessageSuccess(message=ChatMessage.from_model(row)))


async def end_chat(info: Info, input: Annotated[EndChatInput, Described]) -> ChatResult:
    async def call() -> Any:
        return await chats.end(info.context.viewer, pk(input.chat_id, "Chat", "chatId"))

    return await attempt(call, lambda row: ChatSuccess(chat=Chat.from_model(row)))


def _item(row: Any) -> TicketItemSuccess:
    return TicketItemSuccess(item=TicketItem.from_model(row))


async def add_ticket_item(info: Info, input: Annotated[AddTicketItemInput, Described]) -> TicketItemResult:
    async def call() -> Any:
        fields = ticket_items.ItemFields(
            kind=input.kind,
            name=input.name,
            quantity=input.quantity,
            unit_price=input.unit_price,
            billable=input.billable,
            date=input.date if input.date is not None else UNSET,
            notes=input.notes,
        )
        return await ticket_items.add(info.context.viewer, pk(input.ticket_id, "Ticket", "ticketId"), fields)

    return await attempt(call, _item)


async def update_ticket_item(
    info: Info, input: Annotated[UpdateTicketItemInput, Described]
) -> TicketItemResult:
    async def call() -> Any:
        fields = ticket_items.ItemFields(
            kind=given(input.kind, "kind"),
            name=given(input.name, "name"),
            quantity=given(input.quantity, "quantity"),
            unit_price=given(input.unit_price, "unitPrice"),
            billable=given(input.billable, "billable"),
            date=given(input.date, "date"),
            notes=given(input.notes, "notes"),
        )
        return await ticket_items.update(info.context.viewer, pk(input.id, "TicketItem", "id"), fields)

    return await attempt(call, _item)


async def delete_ticket_item(info: Info, input: Annotated[DeleteTicketItemInput, Described]) -> DeleteResult:
    async def call() -> Any:
        return await ticket_items.delete(info.context.viewer, pk(input.id, "TicketItem", "id"))

    return await attempt(call, lambda _: DeleteSuccess(deleted_id=input.id))
