"""Root mutation fields: decode the input, call the service, map its result or its typed error."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.context import Info
from schema.errors import from_domain
from schema.ids import InvalidId, decode_as
from schema.inputs import (
    CreateRequesterInput,
    CreateTechnicianInput,
    CreateTicketInput,
    LoginInput,
    LogoutInput,
)
from schema.payloads import (
    CreateRequesterResult,
    CreateRequesterSuccess,
    CreateTechnicianResult,
    CreateTechnicianSuccess,
    CreateTicketResult,
    CreateTicketSuccess,
    LoginResult,
    LoginSuccess,
    LogoutSuccess,
)
from schema.types.people import Requester, Technician
from schema.types.tickets import Ticket
from schema.types.viewer import Viewer
from services import authentication, people, tickets
from services.errors import DomainError, ValidationFailed


def optional_id(value: strawberry.ID | None, type_name: str, field: str) -> int | None:
    """The primary key in an input's global ID; a malformed or mistyped ID fails validation of ``field``."""
    if value is None:
        return None
    try:
        return decode_as(value, type_name)
    except InvalidId as error:
        raise ValidationFailed.one(field, str(error)) from error


async def login(
    info: Info, input: Annotated[LoginInput, strawberry.argument(description="Credentials.")]
) -> LoginResult:
    try:
        token = await authentication.login(input.email, input.password)
        viewer = await authentication.authenticate(token)
    except DomainError as error:
        return from_domain(error)  # type: ignore[return-value]
    info.context.become(viewer)
    return LoginSuccess(
        token=token,
        viewer=Viewer(
            account_pk=viewer.account_id, technician_pk=viewer.technician_id, requester_pk=viewer.requester_id
        ),
    )


async def logout(
    info: Info, input: Annotated[LogoutInput | None, strawberry.argument(description="Options.")] = None
) -> LogoutSuccess:
    viewer = info.context.viewer
    assert viewer.token_id is not None
    revoked = await authentication.revoke(viewer.token_id)
    if input is not None and input.all_sessions:
        revoked += await authentication.revoke_interactive(viewer)
    return LogoutSuccess(revoked=revoked)


async def create_ticket(
    info: Info, input: Annotated[CreateTicketInput, strawberry.argument(description="The new ticket.")]
) -> CreateTicketResult:
    try:
        row = await tickets.create_ticket(
            info.context.viewer,
            title=input.title,
            description=input.description,
            requester_id=optional_id(input.requester_id, "Requester", "requesterId"),
            ticket_type=input.type,
            priority=input.priority,
            impact=input.impact,
            assignee_id=optional_id(input.assignee_id, "Technician", "assigneeId"),
        )
    except DomainError as error:
        return from_domain(error)  # type: ignore[return-value]
    return CreateTicketSuccess(ticket=Ticket.from_model(row))


async def create_technician(
    info: Info,
    input: Annotated[CreateTechnicianInput, strawberry.argument(description="The new technician.")],
) -> CreateTechnicianResult:
    try:
        row = await people.create_technician(
            info.context.viewer,
            name=input.name,
            email=input.email,
            role=input.role,
            avatar_url=input.avatar_url,
            password=input.password,
        )
    except DomainError as error:
        return from_domain(error)  # type: ignore[return-value]
    return CreateTechnicianSuccess(technician=Technician.from_model(row))


async def create_requester(
    info: Info, input: Annotated[CreateRequesterInput, strawberry.argument(description="The new requester.")]
) -> CreateRequesterResult:
    try:
        row = await people.create_requester(
            info.context.viewer,
            name=input.name,
            email=input.email,
            job_title=input.job_title,
            phone=input.phone,
            mobile=input.mobile,
            customer_id=optional_id(input.customer_id, "Customer", "customerId"),
            site_id=optional_id(input.site_id, "Site", "siteId"),
            department_id=optional_id(input.department_id, "Department", "departmentId"),
            password=input.password,
        )
    except DomainError as error:
        return from_domain(error)  # type: ignore[return-value]
    return CreateRequesterSuccess(requester=Requester.from_model(row))
