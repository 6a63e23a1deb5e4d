"""Demo data for ``make run``: one MSP account with technicians, customers, requesters and 200 tickets.

People and the account are created through the services; the ticket history (200 tickets over the
last 90 days, their conversations and activity) is written in bulk with its original timestamps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise import connections

from app.demo_text import (
    CUSTOMERS,
    DEVICE_KINDS,
    FIRST_NAMES,
    JOB_TITLES,
    LAST_NAMES,
    SCENARIOS,
    TEAMS,
    TECHNICIANS,
)
from models.accounts import Account, Technician
from models.activity import Activity
from models.auth import ApiToken
from models.clock import utcnow
from models.conversation import Comment
from models.enums import (
    ActivityKind,
    ActivityStatus,
    Channel,
    CommentKind,
    ContractType,
    Impact,
    Priority,
    Role,
    StatusCategory,
    TagSource,
    TicketType,
)
from models.forms import FormTemplate
from models.people import Contract, Customer, Department, Device, Requester, SatisfactionSurvey, Site
from models.sla import WEEKDAYS, SlaPause
from models.tickets import Tag, Ticket, TicketStatus, TicketTag
from services import (
    accounts,
    duration_backfill,
    mail_settings,
    people,
    reply_templates,
    sla,
    sla_policies,
    teams,
    ticket_settings,
)
from services.authentication import issue_token
from services.viewer import Viewer

ACCOUNT_NAME = "Northwind IT Services"
DOMAIN = "northwind.example"
MAILBOX = "help@deskql.localhost"
TECHNICIAN_PASSWORD = "demo-technician"
REQUESTER_PASSWORD = "demo-end-user"
DEMO_TOKEN_LABEL = "demo"
TICKETS = 200
REPLY_TEMPLATES = [
    (
        "Greeting",
        "<p>Hi {{requester.firstName}},</p><p>thanks for reaching out about #{{ticket.number}}. "
        "I'm looking into it now.</p><p>{{technician.name}}</p>",
    ),
    (
        "Restart first",
        "<p>Hi {{requester.firstName}}, could you restart the computer and tell me whether "
        "the problem is still there?</p>",
    ),
    (
        "Closing",
        "<p>Hi {{requester.firstName}}, I'm closing #{{ticket.number}} as solved. Reply to this "
        "message if anything comes back.</p><p>{{technician.name}}, {{account.name}}</p>",
    ),
]


@dataclass
class DemoLogins:
    admin: Technician
    technician: Technician
    requester: Requester
    admin_token: str
    technician_token: str
    requester_token: str


def _email(name: str, domain: str) -> str:
    return name.lower().replace(" ", ".") + "@" + domain


async def has_demo_data() -> bool:
    return await Account.exists(name=ACCOUNT_NAME)


async def load(seed: int = 7) -> None:
    """Create the demo account and its history. Deterministic for a given seed."""
    rng = random.Random(seed)
    admin_name, _ = TECHNICIANS[0]
    account, admin = await accounts.create(
        ACCOUNT_NAME, _email(admin_name, DOMAIN), admin_name, TECHNICIAN_PASSWORD
    )
    as_admin = Viewer(account_id=account.id, technician_id=admin.id, role=Role.ADMIN, channel=Channel.SYSTEM)
    technicians = [admin]
    for name, role in TECHNICIANS[1:]:
        technicians.append(
            await people.create_technician(
                as_admin, name=name, email=_email(name, DOMAIN), role=Role(role), password=TECHNICIAN_PASSWORD
            )
        )
    requesters = await _organisations_and_requesters(account, as_admin, rng)
    await _ticket_history(account, technicians, requesters, rng)
    await _teams(as_admin, technicians)
    for name, body in REPLY_TEMPLATES:
        await reply_templates.create(as_admin, name=name, body=body, shared=True)
    await mail_settings.set_mailbox(as_admin, address=MAILBOX)
    await ticket_settings.update(as_admin, open_tickets_from_unknown_senders=True)


async def _teams(as_admin: Viewer, technicians: list[Technician]) -> None:
    """The demo teams; each ticket goes to its assignee's team, an unassigned one to the first team."""
    by_name = {technician.name: technician.id for technician in technicians}
    queue: int | None = None
    for name, members in TEAMS:
        team = await teams.create_team(as_admin, name=name, member_ids=[by_name[m] for m in members])
        queue = queue or team.id
        await Ticket.filter(
            account_id=as_admin.account_id, assignee_id__in=[by_name[m] for m in members]
        ).update(team_id=team.id)
    await Ticket.filter(account_id=as_admin.account_id, assignee_id__isnull=True).update(team_id=queue)


async def _organisations_and_requesters(
    account: Account, as_admin: Viewer, rng: random.Random
) -> list[Requester]:
    requesters: list[Requester] = []
    today = date.today()
    names = [f"{first} {last}" for first, last in zip(FIRST_NAMES, LAST_NAMES, strict=True)]
    per_customer = len(names) // len(CUSTOMERS)
    for index, (customer_name, site_names, department_names) in enumerate(CUSTOMERS):
        customer = await Customer.create(account_id=account.id, name=customer_name)
        await Contract.create(
            account_id=account.id,
            customer_id=customer.id,
            name=f"{customer_name} managed services",
            contract_type=ContractType.RETAINER,
            starts_on=today - timedelta(days=400),
            ends_on=None,
        )
        await Contract.create(
            account_id=account.id,
            customer_id=customer.id,
            name="Project hours block",
            contract_type=ContractType.BLOCK_HOURS,
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=300),
        )
        sites = [
            await Site.create(
                account_id=account.id, customer_id=customer.id, name=site, address=f"{10 + i} Harbour Road"
            )
            for i, site in enumerate(site_names)
        ]
        departments = [
            (await Department.get_or_create(account_id=account.id, name=department))[0]
            for department in department_names
        ]
        domain = customer_name.split()[0].lower() + ".example"
        for offset, name in enumerate(names[index * per_customer : (index + 1) * per_customer]):
            requester = await people.create_requester(
                as_admin,
                name=name,
                email=_email(name, domain),
                job_title=rng.choice(JOB_TITLES),
                phone=f"+1 555 01{rng.randint(10, 99)}",
                mobile=f"+1 555 02{rng.randint(10, 99)}",
                customer_id=customer.id,
                site_id=rng.choice(sites).id,
                department_id=rng.choice(departments).id,
                password=REQUESTER_PASSWORD if not requesters else None,
            )
            requesters.append(requester)
            for device_number in range(rng.randint(1, 2)):
                os_name, prefix = rng.choice(DEVICE_KINDS)
                hostname = (
                    f"{prefix}-{customer_name[:3].upper()}-{offset:02d}{rng.randint(0, 9)}{device_number}"
                )
                online = rng.random() < 0.7
                await Device.create(
                    account_id=account.id,
                    requester_id=requester.id,
                    name=hostname,
                    hostname=hostname.lower(),
                    os=os_name,
                    online=online,
                    last_seen_at=utcnow() - timedelta(minutes=1 if online else rng.randint(60, 60 * 24 * 20)),
                )
    return requesters


async def _ticket_history(
    account: Account, technicians: list[Technician], requesters: list[Requester], rng: random.Random
) -> None:
    statuses = {s.category: s for s in await TicketStatus.filter(account_id=account.id)}
    waiting = await TicketStatus.create(
        account_id=account.id, name="Waiting for parts", category=StatusCategory.PENDING, position=4
    )
    tags: dict[str, Tag] = {}
    now = utcnow()
    await _sla_policies(account, requesters)
    form_template = await FormTemplate.get(account_id=account.id, is_default=True)
    categories = (
        [StatusCategory.OPEN] * 5
        + [StatusCategory.PENDING] * 2
        + [StatusCategory.RESOLVED] * 3
        + [StatusCategory.CLOSED] * 5
    )
    comments: list[Comment] = []
    activity: list[Activity] = []
    ticket_tags: list[TicketTag] = []
    surveys: list[SatisfactionSurvey] = []
    pauses: list[SlaPause] = []
    for number in range(1, TICKETS + 1):
        scenario = rng.choice(SCENARIOS)
        requester = requesters[0] if number % 10 == 0 else rng.choice(requesters)
        category = rng.choice(categories)
        status = waiting if category is StatusCategory.PENDING and rng.random() < 0.3 else statuses[category]
        # Every ticket's history (at most about 28 hours of replies and a survey) ends before now.
        opened = now - timedelta(
            days=90 * (TICKETS - number) / TICKETS, hours=30, minutes=rng.randint(0, 600)
        )
        assignee = (
            None if category is StatusCategory.OPEN and rng.random() < 0.25 else rng.choice(technicians)
        )
        ticket = await Ticket.create(
            account_id=account.id,
            number=number,
            title=scenario.title,
            description=scenario.description,
            status_id=status.id,
            ticket_type=TicketType(scenario.ticket_type),
            priority=rng.choice(list(Priority)),
            impact=rng.choice(list(Impact)),
            activity_status=rng.choice(list(ActivityStatus)),
            assignee_id=assignee.id if assignee else None,
            requester_id=requester.id,
            channel=rng.choice([Channel.EMAIL, Channel.PORTAL, Channel.WEB]),
            created_at=opened,
            updated_at=opened,
            form_template_id=form_template.id,
        )
        activity.append(
            _activity(ticket, ActivityKind.TICKET_CREATED, opened, requester=requester, new=str(number))
        )
        author = assignee or technicians[0]
        moment = opened
        first_response: datetime | None = None
        lines = list(scenario.conversation)
        if category in (StatusCategory.RESOLVED, StatusCategory.CLOSED):
            lines.append(("resolution", scenario.resolution))
        for who, text in lines:
            moment += timedelta(minutes=rng.randint(5, 240))
            kind = CommentKind.INTERNAL_NOTE if who == "note" else CommentKind.PUBLIC_REPLY
            by_requester = who == "requester"
            if kind is CommentKind.PUBLIC_REPLY and not by_requester and first_response is None:
                first_response = moment
            comments.append(
                Comment(
                    account_id=account.id,
                    ticket_id=ticket.id,
                    kind=kind,
                    author_technician_id=None if by_requester else author.id,
                    author_requester_id=requester.id if by_requester else None,
                    body=f"<p>{text}</p>",
                    text=text,
                    channel=Channel.EMAIL if by_requester else Channel.WEB,
                    is_resolution=who == "resolution",
                    created_at=moment,
                )
            )
            activity.append(
                _activity(
                    ticket,
                    ActivityKind.INTERNAL_NOTE_ADDED
                    if kind is CommentKind.INTERNAL_NOTE
                    else ActivityKind.PUBLIC_REPLY_ADDED,
                    moment,
                    technician=None if by_requester else author,
                    requester=requester if by_requester else None,
                )
            )
        if status.id != statuses[StatusCategory.OPEN].id:
            moment += timedelta(minutes=rng.randint(1, 30))
            activity.append(
                _activity(
                    ticket,
                    ActivityKind.STATUS_CHANGED,
                    moment,
                    technician=author,
                    field="status",
                    old=statuses[StatusCategory.OPEN].name,
                    new=status.name,
                )
            )
        resolved = category in (StatusCategory.RESOLVED, StatusCategory.CLOSED)
        if sla.stops_clocks(status):
            pauses.append(SlaPause(ticket_id=ticket.id, started_at=moment))
        await Ticket.filter(id=ticket.id).update(
            updated_at=moment, first_responded_at=first_response, resolved_at=moment if resolved else None
        )
        for name in scenario.tags:
            if name not in tags:
                tags[name] = await Tag.create(account_id=account.id, name=name)
            ticket_tags.append(
                TicketTag(
                    ticket_id=ticket.id, tag_id=tags[name].id, source=TagSource.MANUAL, created_at=opened
                )
            )
        if category is StatusCategory.CLOSED and rng.random() < 0.4:
            surveys.append(
                SatisfactionSurvey(
                    account_id=account.id,
                    requester_id=requester.id,
                    ticket_id=ticket.id,
                    support_quality=rng.randint(3, 5),
                    technician_knowledge=rng.randint(3, 5),
                    overall_helpfulness=rng.randint(2, 5),
                    comment=rng.choice(
                        [
                            "",
                            "Quick and friendly, thank you!",
                            "Took a while but solved.",
                            "Great explanation of what went wrong.",
                        ]
                    ),
                    created_at=moment + timedelta(hours=2),
                )
            )
    await Account.filter(id=account.id).update(ticket_number_seq=TICKETS)
    await Comment.bulk_create(comments, batch_size=500)
    await Activity.bulk_create(activity, batch_size=500)
    await TicketTag.bulk_create(ticket_tags, batch_size=500)
    await SatisfactionSurvey.bulk_create(surveys, batch_size=500)
    await SlaPause.bulk_create(pauses, batch_size=500)
    for ticket in await Ticket.filter(account_id=account.id):
        await sla.assign_policy(ticket, now)
    await duration_backfill.backfill(connections.get("default"))
    await sla.record_breaches(now)


async def _sla_policies(account: Account, requesters: list[Requester]) -> None:
    """Office hours in New York for everyone, around the clock for the first customer's contract."""
    admin = await Technician.filter(account_id=account.id, role=Role.ADMIN).first()
    assert admin is not None
    as_admin = Viewer(account_id=account.id, technician_id=admin.id, role=Role.ADMIN, channel=Channel.SYSTEM)
    calendar = await sla_policies.create_calendar(
        as_admin,
        name="New York office",
        timezone="America/New_York",
        hours=[sla_policies.Hours(day, "08:00", "18:00") for day in WEEKDAYS[:5]],
        holidays=[date(date.today().year, 12, 25), date(date.today().year + 1, 1, 1)],
    )
    minutes = {
        Priority.LOW: (480, 4800),
        Priority.MEDIUM: (240, 2400),
        Priority.HIGH: (60, 960),
        Priority.CRITICAL: (30, 480),
    }
    standard = await sla_policies.create_policy(
        as_admin,
        name="Standard business hours",
        calendar_id=calendar.id,
        is_default=True,
        targets=[sla_policies.Target(p, first, resolution) for p, (first, resolution) in minutes.items()],
    )
    around_the_clock = await sla_policies.create_policy(
        as_admin,
        name="24/7 premium",
        calendar_id=None,
        targets=[
            sla_policies.Target(p, first // 2, resolution // 2) for p, (first, resolution) in minutes.items()
        ],
    )
    customer = await Customer.get(id=requesters[0].customer_id)
    await sla_policies.set_customer_policy(as_admin, customer.id, around_the_clock.id)
    assert standard.is_default


def _activity(
    ticket: Ticket,
    kind: ActivityKind,
    at: object,
    *,
    technician: Technician | None = None,
    requester: Requester | None = None,
    field: str | None = None,
    old: str | None = None,
    new: str | None = None,
) -> Activity:
    return Activity(
        account_id=ticket.account_id,
        ticket_id=ticket.id,
        kind=kind,
        actor_technician_id=technician.id if technician else None,
        actor_requester_id=requester.id if requester else None,
        field=field,
        old_value=old,
        new_value=new,
        channel=Channel.WEB if technician else Channel.EMAIL,
        created_at=at,
    )


async def issue_logins() -> DemoLogins:
    """Fresh tokens for the demo admin, a technician and an end user; earlier demo tokens are revoked."""
    account = await Account.get(name=ACCOUNT_NAME)
    await ApiToken.filter(account_id=account.id, label=DEMO_TOKEN_LABEL, revoked_at__isnull=True).update(
        revoked_at=utcnow()
    )
    admin = await Technician.filter(account_id=account.id, role=Role.ADMIN).order_by("id").first()
    technician = await Technician.filter(account_id=account.id, role=Role.TECHNICIAN).order_by("id").first()
    requester = (
        await Requester.filter(account_id=account.id, password_hash__not_isnull=True).order_by("id").first()
    )
    assert admin is not None
    assert technician is not None
    assert requester is not None
    return DemoLogins(
        admin=admin,
        technician=technician,
        requester=requester,
        admin_token=await issue_token(admin, label=DEMO_TOKEN_LABEL, interactive=True),
        technician_token=await issue_token(technician, label=DEMO_TOKEN_LABEL, interactive=True),
        requester_token=await issue_token(requester, label=DEMO_TOKEN_LABEL, interactive=True),
    )
