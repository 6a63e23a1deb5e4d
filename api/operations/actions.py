"""The ticket Actions menu: merge, spam, delete and restore, chat, products and expenses."""

from __future__ import annotations

import strawberry

from resolvers import action_mutations as m
from resolvers import action_queries as q
from schema.payloads.actions import (
    ChatMessageResult,
    ChatResult,
    MergeTicketsResult,
    TicketActionResult,
    TicketItemResult,
    UnmergeTicketResult,
)
from schema.payloads.common import DeleteResult
from schema.types.actions import DeletedTicket


@strawberry.type
class ActionQueries:
    deleted_tickets: list[DeletedTicket] = strawberry.field(
        resolver=q.deleted_tickets,
        description="Deleted tickets that can still be restored, latest first (admins).",
    )


@strawberry.type
class ActionMutations:
    merge_tickets: MergeTicketsResult = strawberry.field(
        resolver=m.merge_tickets,
        description="Move everything of the sources into the target and close them as merged (technicians).",
    )
    unmerge_ticket: UnmergeTicketResult = strawberry.field(
        resolver=m.unmerge_ticket, description="Undo a merge within 30 days, exactly (technicians)."
    )
    mark_ticket_as_spam: TicketActionResult = strawberry.field(
        resolver=m.mark_ticket_as_spam, description="Label the ticket spam, optionally blocking its sender."
    )
    unmark_ticket_as_spam: TicketActionResult = strawberry.field(
        resolver=m.unmark_ticket_as_spam, description="Remove the spam label (and the block it set)."
    )
    delete_ticket: DeleteResult = strawberry.field(
        resolver=m.delete_ticket, description="Delete the ticket; admins can restore it during the retention."
    )
    restore_ticket: TicketActionResult = strawberry.field(
        resolver=m.restore_ticket, description="Bring a deleted ticket back (admins)."
    )
    start_chat: ChatResult = strawberry.field(
        resolver=m.start_chat, description="Open a live chat with the ticket's requester (technicians)."
    )
    send_chat_message: ChatMessageResult = strawberry.field(
        resolver=m.send_chat_message, description="Write in an open chat (its technicians or requester)."
    )
    end_chat: ChatResult = strawberry.field(
        resolver=m.end_chat, description="End a chat; its transcript becomes a public reply (channel CHAT)."
    )
    add_ticket_item: TicketItemResult = strawberry.field(
        resolver=m.add_ticket_item, description="Add a product or expense to a ticket (technicians)."
    )
    update_ticket_item: TicketItemResult = strawberry.field(
        resolver=m.update_ticket_item, description="Change a product or expense (technicians)."
    )
    delete_ticket_item: DeleteResult = strawberry.field(
        resolver=m.delete_ticket_item, description="Delete a product or expense (technicians)."
    )
