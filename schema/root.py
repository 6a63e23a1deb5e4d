"""The one schema: Query, Mutation (and later Subscription), with the limits of the API."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from resolvers import mutations, queries
from schema.errors import (
    ConflictError,
    InvalidCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from schema.limits import NodeBudget
from schema.masking import MaskUnexpectedErrors
from schema.payloads import (
    CreateRequesterResult,
    CreateTechnicianResult,
    CreateTicketResult,
    LoginResult,
    LogoutSuccess,
)
from schema.types.activity import Activity
from schema.types.common import Connection, Node
from schema.types.conversation import Attachment, Comment
from schema.types.people import (
    Account,
    Contract,
    Customer,
    Department,
    Device,
    SatisfactionSurvey,
    Site,
    Technician,
)
from schema.types.tickets import Ticket, TicketStatus
from schema.types.viewer import Viewer


@strawberry.type(description="Everything that can be read.")
class Query:
    viewer: Viewer = strawberry.field(resolver=queries.viewer, description="Who is asking.")
    node: Node | None = strawberry.field(
        resolver=queries.node, description="Any object by its global ID; null when missing or not visible."
    )
    nodes: list[Node | None] = strawberry.field(
        resolver=queries.nodes, description="Up to 100 objects by global ID, in the order asked."
    )
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
    technicians: list[Technician] = strawberry.field(
        resolver=queries.technicians,
        description="The account's technicians by name, with their open ticket counts (technicians only).",
    )
    ticket_statuses: list[TicketStatus] = strawberry.field(
        resolver=queries.ticket_statuses, description="The status drop-down, in order."
    )


@strawberry.type(
    description="Everything that can be changed. Each takes one `input` and returns a result union."
)
class Mutation:
    login: LoginResult = strawberry.field(
        resolver=mutations.login,
        description="Exchange email and password for a bearer token (no token needed).",
    )
    logout: LogoutSuccess = strawberry.field(
        resolver=mutations.logout,
        description="Revoke the token of this request (and optionally all sessions).",
    )
    create_ticket: CreateTicketResult = strawberry.field(
        resolver=mutations.create_ticket,
        description="Open a ticket: technicians for a requester, requesters for themselves.",
    )
    create_technician: CreateTechnicianResult = strawberry.field(
        resolver=mutations.create_technician, description="Add a technician (admins only)."
    )
    create_requester: CreateRequesterResult = strawberry.field(
        resolver=mutations.create_requester, description="Add a requester (admins only)."
    )


@dataclass(frozen=True)
class Limits:
    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 5000
    max_page_size: int = 100
    max_nodes: int = 10_000


EXTRA_TYPES = [
    Account,
    Activity,
    Attachment,
    Comment,
    Contract,
    Customer,
    Department,
    Device,
    SatisfactionSurvey,
    Site,
    ConflictError,
    InvalidCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
]


def build_schema(limits: Limits = Limits()) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=EXTRA_TYPES,
        extensions=[
            partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
            partial(QueryDepthLimiter, max_depth=limits.max_depth),
            partial(MaxAliasesLimiter, max_alias_count=limits.max_aliases),
            partial(NodeBudget, max_page=limits.max_page_size, max_nodes=limits.max_nodes),
            MaskUnexpectedErrors,
        ],
    )
