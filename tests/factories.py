"""Building data for tests through the services, as clients would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count

from models.accounts import Account, Technician
from models.clock import utcnow
from models.conversation import Attachment, Comment
from models.enums import Channel, CommentKind
from models.people import Requester
from models.tickets import Ticket
from services import accounts, people, tickets
from services.authentication import issue_token
from services.viewer import Viewer

_serial = count(1)


def as_viewer(who: Technician | Requester) -> Viewer:
    if isinstance(who, Technician):
        return Viewer(account_id=who.account_id, technician_id=who.id, role=who.role, channel=Channel.WEB)
    return Viewer(account_id=who.account_id, requester_id=who.id, channel=Channel.PORTAL)


@dataclass
class World:
    """One account with an admin, a technician and two requesters, each with a token."""

    account: Account
    admin: Technician
    admin_token: str
    technician: Technician
    technician_token: str
    requester: Requester
    requester_token: str
    other_requester: Requester
    other_requester_token: str

    async def ticket(self, title: str = "Printer on floor 2 jams", **fields: object) -> Ticket:
        fields.setdefault("requester_id", self.requester.id)
        return await tickets.create(as_viewer(self.admin), title=title, **fields)  # type: ignore[arg-type]


async def make_world(name: str = "Acme IT") -> World:
    n = next(_serial)
    account, admin = await accounts.create(name, f"admin{n}@{name.split()[0].lower()}.test", "Ada Admin")
    admin_viewer = as_viewer(admin)
    technician = await people.create_technician(admin_viewer, name="Tom Tech", email=f"tom{n}@acme.test")
    requester = await people.create_requester(
        admin_viewer, name="Rita Requester", email=f"rita{n}@client.test"
    )
    other = await people.create_requester(admin_viewer, name="Otto Other", email=f"otto{n}@client.test")
    return World(
        account=account,
        admin=admin,
        admin_token=await issue_token(admin, interactive=True),
        technician=technician,
        technician_token=await issue_token(technician, interactive=True),
        requester=requester,
        requester_token=await issue_token(requester, interactive=True),
        other_requester=other,
        other_requester_token=await issue_token(other, interactive=True),
    )


async def add_comment(
    ticket: Ticket,
    author: Technician | Requester,
    kind: CommentKind = CommentKind.PUBLIC_REPLY,
    body: str = "Have you tried turning it off and on again?",
    *,
    at: datetime | None = None,
    is_resolution: bool = False,
    attachments: int = 0,
) -> Comment:
    comment = await Comment.create(
        account_id=ticket.account_id,
        ticket_id=ticket.id,
        kind=kind,
        author_technician_id=author.id if isinstance(author, Technician) else None,
        author_requester_id=author.id if isinstance(author, Requester) else None,
        body=f"<p>{body}</p>",
        text=body,
        is_resolution=is_resolution,
        created_at=at or utcnow(),
    )
    for index in range(attachments):
        await Attachment.create(
            account_id=ticket.account_id,
            comment_id=comment.id,
            filename=f"screenshot-{index}.png",
            content_type="image/png",
            size=1024 + index,
            sha256=f"{index:064d}",
        )
    return comment


async def add_comments(ticket: Ticket, authors: list[Technician | Requester], total: int) -> None:
    """Many comments alternating authors and kinds, a second apart, inserted in bulk."""
    start = utcnow() - timedelta(seconds=total)
    await Comment.bulk_create(
        [
            Comment(
                account_id=ticket.account_id,
                ticket_id=ticket.id,
                kind=CommentKind.INTERNAL_NOTE if i % 3 == 2 else CommentKind.PUBLIC_REPLY,
                author_technician_id=authors[i % len(authors)].id
                if isinstance(authors[i % len(authors)], Technician)
                else None,
                author_requester_id=authors[i % len(authors)].id
                if isinstance(authors[i % len(authors)], Requester)
                else None,
                body=f"<p>Update {i}</p>",
                text=f"Update {i}",
                created_at=start + timedelta(seconds=i),
            )
            for i in range(total)
        ],
        batch_size=500,
    )


async def fill_requester_panel(world: World) -> None:
    """Give the world's requester a customer with a contract, a site, a department, a device and a survey."""
    from datetime import date

    from models.enums import ContractType
    from models.people import Contract, Customer, Department, Device, SatisfactionSurvey, Site

    account_id = world.account.id
    customer = await Customer.create(account_id=account_id, name="Contoso")
    await Contract.create(
        account_id=account_id,
        customer_id=customer.id,
        name="Managed services",
        contract_type=ContractType.RETAINER,
        starts_on=date(2026, 1, 1),
    )
    site = await Site.create(account_id=account_id, customer_id=customer.id, name="Head office")
    department = await Department.create(account_id=account_id, name="Finance")
    await Device.create(
        account_id=account_id,
        requester_id=world.requester.id,
        name="LT-0042",
        hostname="lt-0042",
        os="Windows 11 Pro",
        online=True,
        last_seen_at=utcnow(),
    )
    await SatisfactionSurvey.create(
        account_id=account_id,
        requester_id=world.requester.id,
        support_quality=5,
        technician_knowledge=5,
        overall_helpfulness=4,
    )
    await Requester.filter(id=world.requester.id).update(
        customer_id=customer.id, site_id=site.id, department_id=department.id
    )
