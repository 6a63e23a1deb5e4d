"""Root mutation fields of the foundation: sessions, tickets, people."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.results import attempt, optional_pk, pk
from schema.context import Info
from schema.inputs import (
    CreateRequesterInput,
    CreateTechnicianInput,
    CreateTicketInput,
    LoginInput,
    LogoutInput,
    UpdateTechnicianInput,
)
from schema.payloads.foundation import (
    CreateRequesterResult,
    CreateRequesterSuccess,
    CreateTechnicianResult,
    CreateTechnicianSuccess,
    LoginResult,
    LoginSuccess,
    LogoutSuccess,
    UpdateTechnicianResult,
    UpdateTechnicianSuccess,
)
from schema.payloads.tickets import CreateTicketResult, CreateTicketSuccess
from schema.types.people import Requester, Technician
from schema.types.tickets import Ticket
from schema.types.viewer import Viewer
from services import authentication, people, tickets
from services.viewer import Viewer as ViewerOf


async def login(
    info: Info, input: Annotated[LoginInput, strawberry.argument(description="Credentials.")]
) -> LoginResult:
    async def call() -> tuple[str, ViewerOf]:
        token = await authentication.login(input.email, input.password, client=client_address(info))
        return token, await authentication.authenticate(token)

    def success(result: tuple[str, ViewerOf]) -> Any:
        token, viewer = result
        info.context.become(viewer)
        return LoginSuccess(
            token=token,
            viewer=Viewer(
                account_pk=viewer.account_id,
                technician_pk=viewer.technician_id,
                requester_pk=viewer.requester_id,
            ),
        )

    return await attempt(call, success)


def client_address(info: Info) -> str:
    """The network address of the caller as the server sees it (behind a proxy: the proxy's, unless the
    server is told to trust its forwarded headers)."""
    client = getattr(info.context.request, "client", None)
    return f"address:{client.host if client else 'unknown'}"


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
    return await attempt(
        lambda: tickets.create(
            info.context.viewer,
            title=input.title,
            description=input.description,
            requester_id=optional_pk(input.requester_id, "Requester", "requesterId"),
            ticket_type=input.type,
            priority=input.priority,
            impact=input.impact,
            assignee_id=optional_pk(input.assignee_id, "Technician", "assigneeId"),
        ),
        lambda row: CreateTicketSuccess(ticket=Ticket.from_model(row)),
    )


async def create_technician(
    info: Info,
    input: Annotated[CreateTechnicianInput, strawberry.argument(description="The new technician.")],
) -> CreateTechnicianResult:
    return await attempt(
        lambda: people.create_technician(
            info.context.viewer,
            name=input.name,
            email=input.email,
            role=input.role,
            avatar_url=input.avatar_url,
            password=input.password,
        ),
        lambda row: CreateTechnicianSuccess(technician=Technician.from_model(row)),
    )


async def update_technician(
    info: Info,
    input: Annotated[
        UpdateTechnicianInput, strawberry.argument(description="The technician and the change.")
    ],
) -> UpdateTechnicianResult:
    return await attempt(
        lambda: people.update_technician(
            info.context.viewer,
            pk(input.technician_id, "Technician", "technicianId"),
            role=input.role,
            active=input.active,
        ),
        lambda row: UpdateTechnicianSuccess(technician=Technician.from_model(row)),
    )


async def create_requester(
    info: Info, input: Annotated[CreateRequesterInput, strawberry.argument(description="The new requester.")]
) -> CreateRequesterResult:
    return await attempt(
        lambda: people.create_requester(
            info.context.viewer,
            name=input.name,
            email=input.email,
            job_title=input.job_title,
            phone=input.phone,
            mobile=input.mobile,
            customer_id=optional_pk(input.customer_id, "Customer", "customerId"),
            site_id=optional_pk(input.site_id, "Site", "siteId"),
            department_id=optional_pk(input.department_id, "Department", "departmentId"),
            password=input.password,
        ),
        lambda row: CreateRequesterSuccess(requester=Requester.from_model(row)),
    )
