"""Changing a ticket through the API (updateTicket), and the activity rows a change writes."""

from __future__ import annotations

from typing import Any

from models.activity import Activity
from models.tickets import Ticket
from schema.ids import encode
from tests.api import Api

UPDATE = """mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { __typename
  ... on UpdateTicketSuccess { ticket { version title type priority impact activityStatus status { name }
      assignee { name } requester { name } tags { name source } } }
  ... on Error { message code }
  ... on ValidationError { fields { field message } }
  ... on NotFoundError { field }
  ... on ConflictError { current { ... on Ticket { version title priority } } } } }"""


async def update(api: Api, token: str, ticket: Ticket, **fields: Any) -> dict[str, Any]:
    data = await api.data(UPDATE, {"input": {"id": encode("Ticket", ticket.id), **fields}}, token=token)
    result: dict[str, Any] = data["updateTicket"]
    return result


async def activity_of(ticket: Ticket) -> list[tuple[str, str | None, str | None, str | None]]:
    rows = await Activity.filter(ticket_id=ticket.id).order_by("id")
    return [(row.kind.value, row.field, row.old_value, row.new_value) for row in rows][
        1:
    ]  # after TICKET_CREATED
