"""The ticket page and ticket lists: reading, opening and editing tickets."""

from __future__ import annotations

import strawberry

from resolvers import mutations, queries, settings_queries, ticket_mutations
from schema.payloads.tickets import CreateTicketResult, UpdateTicketResult
from schema.types.common import Connection
from schema.types.tickets import TagSuggestion, Ticket, TicketStatus


@strawberry.type
class TicketQueries:
    ticket: Ticket | None = strawberry.field(
        resolver=queries.ticket,
        description="A ticket by ID: the ticket page. Null when missing or not visible.",
    )
    ticket_by_number: Ticket | None = strawberry.field(
        resolver=queries.ticket_by_number, description="A ticket by its number within the account."
    )
    tickets: Connection[Ticket] = strawberry.field(
        resolver=queries.tickets, description="Tickets for dashboards and lists, filtered and keyset-paged."
    )
    ticket_statuses: list[TicketStatus] = strawberry.field(
        resolver=queries.ticket_statuses, description="The status drop-down, in order."
    )
    tag_suggestions: list[TagSuggestion] = strawberry.field(
        resolver=settings_queries.tag_suggestions,
        description="Existing tags starting with a prefix, most used first (the tag input; technicians only).",
    )


@strawberry.type
class TicketMutations:
    create_ticket: CreateTicketResult = strawberry.field(
        resolver=mutations.create_ticket,
        description="Open a ticket: technicians for a requester, requesters for themselves.",
    )
    update_ticket: UpdateTicketResult = strawberry.field(
        resolver=ticket_mutations.update_ticket,
        description="Save changed details and properties (partial; each real change is logged). Technicians only.",
    )
    mark_ticket_read: UpdateTicketResult = strawberry.field(
        resolver=ticket_mutations.mark_ticket_read,
        description="The viewer opened the ticket: an UNREAD ticket becomes READ (technicians; its requester for "
        "a ticket someone else opened for them).",
    )
