"""People and organisations: the account, technicians, requesters and what surrounds a requester."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import accounts, people
from schema import ids, planned
from schema.context import Info
from schema.enums import ContractType, Role
from schema.loaders.base import ConnectionKey
from schema.loaders.people import satisfaction_of
from schema.pagination import Ordering, PageRequest
from schema.types.common import Node, each, found, itself, then
from schema.types.sla import SlaPolicy
from services.devices import remote_connect_url

if TYPE_CHECKING:
    from schema.types.tickets import Ticket

RECENT_TICKETS_ORDER = Ordering((("created_at", True), ("id", True)))
RECENT_TICKETS = PageRequest(first=5)


@strawberry.type(description="A tenant: one IT department or one MSP.")
class Account(Node):
    name: str = strawberry.field(description="Display name.")

    @classmethod
    def from_model(cls, row: accounts.Account) -> Account:
        return cls(id=strawberry.ID(ids.encode("Account", row.id)), name=row.name)


@strawberry.type(description="A staff user who works tickets.")
class Technician(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(description="Full name.")
    email: str = strawberry.field(description="Email address, also the login.")
    avatar_url: str | None = strawberry.field(description="Picture shown in presence avatars.")
    role: Role = strawberry.field(description="ADMIN or TECHNICIAN.")
    active: bool = strawberry.field(description="Inactive technicians cannot log in or be assigned.")

    @classmethod
    def from_model(cls, row: accounts.Technician) -> Technician:
        return cls(
            id=strawberry.ID(ids.encode("Technician", row.id)),
            pk=row.id,
            name=row.name,
            email=row.email,
            avatar_url=row.avatar_url,
            role=row.role,
            active=row.active,
        )

    @strawberry.field(description="Tickets assigned to this technician in an OPEN or PENDING status.")
    def open_ticket_count(self, info: Info) -> int:
        return then(info.context.loaders.open_ticket_count_by_technician.load(self.pk), itself)


@strawberry.type(description="An MSP's client organisation.")
class Customer(Node):
    pk: strawberry.Private[int]
    sla_policy_pk: strawberry.Private[int | None]
    name: str = strawberry.field(description="Display name.")

    @classmethod
    def from_model(cls, row: people.Customer) -> Customer:
        return cls(
            id=strawberry.ID(ids.encode("Customer", row.id)),
            pk=row.id,
            sla_policy_pk=row.sla_policy_id,
            name=row.name,
        )

    @strawberry.field(description="The customer's contracts, oldest first (technicians only).")
    async def contracts(self, info: Info) -> list[Contract]:
        return [
            Contract.from_model(c) for c in await info.context.loaders.contracts_by_customer.load(self.pk)
        ]

    @strawberry.field(
        description="The SLA policy overriding the account default for its requesters (technicians only)."
    )
    async def sla_policy(self, info: Info) -> SlaPolicy | None:
        if self.sla_policy_pk is None:
            return None
        row = await info.context.loaders.sla_policy_by_id.load(self.sla_policy_pk)
        return SlaPolicy.from_model(row) if row else None


@strawberry.type(description="A customer's service contract.")
class Contract(Node):
    name: str = strawberry.field(description="Display name.")
    type: ContractType = strawberry.field(description="How the contract is billed.")
    starts_on: date = strawberry.field(description="First day covered.")
    ends_on: date | None = strawberry.field(description="Last day covered; null when open-ended.")

    @classmethod
    def from_model(cls, row: people.Contract) -> Contract:
        return cls(
            id=strawberry.ID(ids.encode("Contract", row.id)),
            name=row.name,
            type=row.contract_type,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
        )

    @strawberry.field(description="Whether today falls within the contract (UTC).")
    def active(self) -> bool:
        today = datetime.now(UTC).date()
        return self.starts_on <= today and (self.ends_on is None or today <= self.ends_on)


@strawberry.type(description="A physical location.")
class Site(Node):
    name: str = strawberry.field(description="Display name.")
    address: str = strawberry.field(description="Postal address, may be empty.")

    @classmethod
    def from_model(cls, row: people.Site) -> Site:
        return cls(id=strawberry.ID(ids.encode("Site", row.id)), name=row.name, address=row.address)


@strawberry.type(description="A department of the organisation an IT team serves.")
class Department(Node):
    name: str = strawberry.field(description="Display name.")

    @classmethod
    def from_model(cls, row: people.Department) -> Department:
        return cls(id=strawberry.ID(ids.encode("Department", row.id)), name=row.name)


@strawberry.type(description="A managed machine running the monitoring agent.")
class Device(Node):
    row: strawberry.Private[people.Device]
    name: str = strawberry.field(description="Display name.")
    hostname: str = strawberry.field(description="Network host name.")
    os: str = strawberry.field(description="Operating system and version.")
    online: bool = strawberry.field(description="Whether the agent is connected now.")
    last_seen_at: datetime | None = strawberry.field(description="When the agent last reported.")

    @classmethod
    def from_model(cls, row: people.Device) -> Device:
        return cls(
            id=strawberry.ID(ids.encode("Device", row.id)),
            row=row,
            name=row.name,
            hostname=row.hostname,
            os=row.os,
            online=row.online,
            last_seen_at=row.last_seen_at,
        )

    @strawberry.field(
        description="Link that opens a remote session to the device, from the account's URL template "
        "(ticketSettings.remoteConnectUrlTemplate); null without a template, and for end users."
    )
    async def remote_connect_url(self, info: Info) -> str | None:
        if not info.context.viewer.is_technician:
            return None
        settings = await info.context.loaders.ticket_settings_by_account.load(self.row.account_id)
        return remote_connect_url(settings.remote_connect_url_template, self.row)


@strawberry.type(description="A requester's ratings (1..5) of how a ticket was handled.")
class SatisfactionSurvey(Node):
    support_quality: int = strawberry.field(description="Quality of support, 1..5.")
    technician_knowledge: int = strawberry.field(description="Technician's knowledge, 1..5.")
    overall_helpfulness: int = strawberry.field(description="Overall helpfulness, 1..5.")
    comment: str = strawberry.field(description="Free text, may be empty.")
    created_at: datetime = strawberry.field(description="When it was submitted.")

    @classmethod
    def from_model(cls, row: people.SatisfactionSurvey) -> SatisfactionSurvey:
        return cls(
            id=strawberry.ID(ids.encode("SatisfactionSurvey", row.id)),
            support_quality=row.support_quality,
            technician_knowledge=row.technician_knowledge,
            overall_helpfulness=row.overall_helpfulness,
            comment=row.comment,
            created_at=row.created_at,
        )


@strawberry.type(description="A requester's satisfaction over all their surveys (the tooltip).")
class Satisfaction:
    requester_pk: strawberry.Private[int]
    count: int = strawberry.field(description="Number of surveys.")
    average: float | None = strawberry.field(
        description="Mean of all ratings of all surveys; null when none."
    )

    @strawberry.field(description="The surveys, newest first.")
    def surveys(
        self, info: Info, first: Annotated[int, strawberry.argument(description="At most this many.")] = 10
    ) -> list[SatisfactionSurvey]:
        shown = max(0, min(first, 100))
        return then(
            info.context.loaders.surveys_by_requester.load(self.requester_pk),
            lambda rows: [SatisfactionSurvey.from_model(row) for row in rows[:shown]],
        )


@strawberry.type(description="The end user who opens tickets; for an MSP, a contact at a customer.")
class Requester(Node):
    pk: strawberry.Private[int]
    customer_pk: strawberry.Private[int | None]
    site_pk: strawberry.Private[int | None]
    department_pk: strawberry.Private[int | None]
    name: str = strawberry.field(description="Full name.")
    email: str = strawberry.field(description="Email address.")
    job_title: str = strawberry.field(description="Job title, may be empty.")
    phone: str = strawberry.field(description="Office phone, may be empty.")
    mobile: str = strawberry.field(description="Mobile phone, may be empty.")

    @classmethod
    def from_model(cls, row: people.Requester) -> Requester:
        return cls(
            id=strawberry.ID(ids.encode("Requester", row.id)),
            pk=row.id,
            customer_pk=row.customer_id,
            site_pk=row.site_id,
            department_pk=row.department_id,
            name=row.name,
            email=row.email,
            job_title=row.job_title,
            phone=row.phone,
            mobile=row.mobile,
        )

    @strawberry.field(description="The customer (MSP) the requester belongs to.")
    def customer(self, info: Info) -> Customer | None:
        if self.customer_pk is None:
            return None
        return then(info.context.loaders.customer_by_id.load(self.customer_pk), found(Customer.from_model))

    @strawberry.field(description="The customer's contracts (technicians only; empty for end users).")
    def contracts(self, info: Info) -> list[Contract]:
        if self.customer_pk is None:
            return []
        return then(
            info.context.loaders.contracts_by_customer.load(self.customer_pk), each(Contract.from_model)
        )

    @strawberry.field(description="Where the requester works.")
    def site(self, info: Info) -> Site | None:
        if self.site_pk is None:
            return None
        return then(info.context.loaders.site_by_id.load(self.site_pk), found(Site.from_model))

    @strawberry.field(description="The requester's department.")
    def department(self, info: Info) -> Department | None:
        if self.department_pk is None:
            return None
        return then(
            info.context.loaders.department_by_id.load(self.department_pk), found(Department.from_model)
        )

    @strawberry.field(description="Devices (agents) linked to the requester, by name.")
    def devices(self, info: Info) -> list[Device]:
        return then(info.context.loaders.devices_by_requester.load(self.pk), each(Device.from_model))

    @strawberry.field(description="Satisfaction over the requester's surveys.")
    def satisfaction(self, info: Info) -> Satisfaction:
        loaders = info.context.loaders
        if planned.asks(info, ("surveys",)):  # all of them are read anyway: one statement less
            return then(
                loaders.surveys_by_requester.load(self.pk),
                lambda rows: self._satisfaction(*satisfaction_of(rows)),
            )
        return then(loaders.satisfaction_by_requester.load(self.pk), lambda found: self._satisfaction(*found))

    def _satisfaction(self, count: int, average: float | None) -> Satisfaction:
        return Satisfaction(requester_pk=self.pk, count=count, average=average)

    @strawberry.field(description="The requester's five most recent tickets, newest first.")
    async def recent_tickets(
        self, info: Info
    ) -> list[Annotated[Ticket, strawberry.lazy("schema.types.tickets")]]:
        from schema.types.tickets import Ticket

        key = ConnectionKey(self.pk, RECENT_TICKETS_ORDER, RECENT_TICKETS)
        loaders = info.context.loaders
        if planned.asks(info, ("status",)):
            found = await loaders.recent_tickets_with_status_by_requester.load(key)
            planned.prime_joined(loaders, info.context.viewer, found.rows, {"status": "status_by_id"})
        else:
            found = await loaders.recent_tickets_by_requester.load(key)
        return [Ticket.from_model(row) for row in found.rows]
