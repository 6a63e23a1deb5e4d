"""Writing the conversation through the API: a public reply and an internal note."""

from __future__ import annotations

from typing import Any

from models.tickets import Ticket
from schema.ids import encode
from tests.api import Api

REPLY = """mutation($input: AddPublicReplyInput!) { addPublicReply(input: $input) { __typename
  ... on AddCommentSuccess { comment { id kind body text channel truncated isResolution
      author { ... on Technician { name } ... on Requester { name } } cc { email } }
    ticket { activityStatus version status { name } ccRecipients { email } } }
  ... on Error { message } ... on ValidationError { fields { field message } } ... on NotFoundError { field } } }"""
NOTE = """mutation($input: AddInternalNoteInput!) { addInternalNote(input: $input) { __typename
  ... on AddCommentSuccess { comment { id kind text mentions { name } } ticket { followers { name } activityStatus } }
  ... on Error { message } ... on ValidationError { fields { field message } } ... on NotFoundError { field } } }"""


async def reply(api: Api, token: str, ticket: Ticket, **fields: Any) -> dict[str, Any]:
    variables = {"input": {"ticketId": encode("Ticket", ticket.id), "body": "<p>On it.</p>", **fields}}
    result: dict[str, Any] = (await api.data(REPLY, variables, token=token))["addPublicReply"]
    return result


async def note(api: Api, token: str, ticket: Ticket, **fields: Any) -> dict[str, Any]:
    variables = {"input": {"ticketId": encode("Ticket", ticket.id), "body": "Checked the logs.", **fields}}
    result: dict[str, Any] = (await api.data(NOTE, variables, token=token))["addInternalNote"]
    return result
