"""Creating accounts (tenants)."""

from __future__ import annotations

from models.accounts import Account, Technician
from models.enums import Role, StatusCategory
from models.tickets import TicketStatus
from services import validation
from services.authentication import hash_password
from services.automation import defaults
from services.custom_fields import create_built_ins
from services.errors import Problems, ValidationFailed
from services.unit_of_work import unit_of_work

BUILT_IN_STATUSES = (
    ("Open", StatusCategory.OPEN),
    ("Pending", StatusCategory.PENDING),
    ("Resolved", StatusCategory.RESOLVED),
    ("Closed", StatusCategory.CLOSED),
)


async def create(
    name: str, admin_email: str, admin_name: str, admin_password: str | None = None
) -> tuple[Account, Technician]:
    """A new account with the four built-in statuses, the built-in fields and template, the default
    automation rules (services.automation.defaults), and its first admin.

    Raises ValidationFailed (name, adminEmail, adminName, adminPassword), including when the admin's
    email is already a technician's.
    """
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=200, one_line=True)
    admin_email = validation.email(problems, "adminEmail", admin_email)
    admin_name = validation.text(problems, "adminName", admin_name, max_length=200, one_line=True)
    validation.password(problems, "adminPassword", admin_password)
    problems.raise_if_any()
    if await Technician.exists(email=admin_email):
        raise ValidationFailed.one("adminEmail", "A technician with this email already exists.")
    password_hash = await hash_password(admin_password) if admin_password else None
    async with unit_of_work():
        account = await Account.create(name=name)
        await TicketStatus.bulk_create(
            [
                TicketStatus(account_id=account.id, name=status, category=category, built_in=True, position=i)
                for i, (status, category) in enumerate(BUILT_IN_STATUSES)
            ]
        )
        await create_built_ins(account.id)
        admin = await Technician.create(
            account_id=account.id,
            name=admin_name,
            email=admin_email,
            role=Role.ADMIN,
            password_hash=password_hash,
        )
        await defaults.ensure(account.id)
    return account, admin
