"""Creating technicians and requesters, and changing a technician's role or activity (admins only)."""

from __future__ import annotations

import logging

from models.accounts import Account, Technician
from models.auth import ApiToken
from models.clock import utcnow
from models.enums import Role
from models.people import Customer, Department, Requester, Site
from services import validation
from services.admin import require_admin
from services.authentication import credentials_changed, hash_password
from services.errors import NotFound, Problems, ValidationFailed
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

log = logging.getLogger("deskql.people")


async def create_technician(
    viewer: Viewer,
    *,
    name: str,
    email: str,
    role: Role = Role.TECHNICIAN,
    avatar_url: str | None = None,
    password: str | None = None,
) -> Technician:
    """A technician of the viewer's account. Admins only.

    Raises PermissionDenied; ValidationFailed (name, email: also when taken, avatarUrl, password).
    """
    require_admin(viewer)
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=200, one_line=True)
    email = validation.email(problems, "email", email)
    if avatar_url is not None:
        avatar_url = (
            validation.text(problems, "avatarUrl", avatar_url, max_length=500, required=False) or None
        )
        if avatar_url and not avatar_url.startswith("https://"):
            problems.add("avatarUrl", "Must be an https:// URL.")
    validation.password(problems, "password", password)
    problems.raise_if_any()
    if await Technician.exists(email=email):
        raise ValidationFailed.one("email", "A technician with this email already exists.")
    password_hash = await hash_password(password) if password else None
    async with unit_of_work():
        return await Technician.create(
            account_id=viewer.account_id,
            name=name,
            email=email,
            role=role,
            avatar_url=avatar_url,
            password_hash=password_hash,
        )


async def create_requester(
    viewer: Viewer,
    *,
    name: str,
    email: str,
    job_title: str = "",
    phone: str = "",
    mobile: str = "",
    customer_id: int | None = None,
    site_id: int | None = None,
    department_id: int | None = None,
    password: str | None = None,
) -> Requester:
    """A requester (end user, contact) of the viewer's account. Admins only.

    Raises PermissionDenied; ValidationFailed (name, email: also when taken in this account, jobTitle,
    phone, mobile, password); NotFound (customerId, siteId, departmentId) for ids not in this account.
    """
    require_admin(viewer)
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=200, one_line=True)
    email = validation.email(problems, "email", email)
    job_title = validation.text(
        problems, "jobTitle", job_title, max_length=200, required=False, one_line=True
    )
    phone = validation.text(problems, "phone", phone, max_length=50, required=False, one_line=True)
    mobile = validation.text(problems, "mobile", mobile, max_length=50, required=False, one_line=True)
    validation.password(problems, "password", password)
    problems.raise_if_any()
    account_id = viewer.account_id
    if customer_id is not None and not await Customer.exists(id=customer_id, account_id=account_id):
        raise NotFound("customerId")
    if site_id is not None and not await Site.exists(id=site_id, account_id=account_id):
        raise NotFound("siteId")
    if department_id is not None and not await Department.exists(id=department_id, account_id=account_id):
        raise NotFound("departmentId")
    if await Requester.exists(account_id=account_id, email=email):
        raise ValidationFailed.one("email", "A requester with this email already exists.")
    password_hash = await hash_password(password) if password else None
    async with unit_of_work():
        return await Requester.create(
            account_id=account_id,
            name=name,
            email=email,
            job_title=job_title,
            phone=phone,
            mobile=mobile,
            customer_id=customer_id,
            site_id=site_id,
            department_id=department_id,
            password_hash=password_hash,
        )


async def update_technician(
    viewer: Viewer, technician_id: int, *, role: Role | None = None, active: bool | None = None
) -> Technician:
    """Give a technician of the viewer's account another role, or deactivate or reactivate them. Admins
    only; what is not given stays.

    The account keeps an active admin: demoting or deactivating its last one is refused (ValidationFailed
    naming ``role`` or ``active``); the account's row is locked meanwhile, so two admins demoting each other
    at once cannot both succeed. A change of role or activity emits ``credentials.changed``: after commit
    every server process checks that technician's websockets again and ends them (a deactivated
    technician's tokens are refused from the next request, the new role applies from the next request).
    Deactivating revokes every token of the technician in the same transaction: reactivated, they sign in
    again (or an admin issues a new token), and a token handed out before (a script, a leaked one) stays dead.

    Raises PermissionDenied; NotFound (technicianId) for a technician of another account or none;
    ValidationFailed (role, active).
    """
    require_admin(viewer)
    async with unit_of_work() as work:
        await Account.filter(id=viewer.account_id).select_for_update().get()
        row = await Technician.filter(id=technician_id, account_id=viewer.account_id).first()
        if row is None:
            raise NotFound("technicianId")
        new_role = row.role if role is None else role
        new_active = row.active if active is None else active
        if (new_role, new_active) == (row.role, row.active):
            return row
        if row.active and row.role == Role.ADMIN and (new_role != Role.ADMIN or not new_active):
            admins = Technician.filter(account_id=viewer.account_id, role=Role.ADMIN, active=True)
            if not await admins.exclude(id=row.id).exists():
                field = "active" if not new_active else "role"
                raise ValidationFailed.one(
                    field, "This is the account's last active admin: make another technician admin first."
                )
        log.info(
            "technician %s of account %s: role %s -> %s, active %s -> %s, by technician %s",
            row.id,
            row.account_id,
            row.role.value,
            new_role.value,
            row.active,
            new_active,
            viewer.technician_id,
        )
        await Technician.filter(id=row.id).update(role=new_role, active=new_active)
        if row.active and not new_active:
            await ApiToken.filter(technician_id=row.id, revoked_at__isnull=True).update(revoked_at=utcnow())
        row.role, row.active = new_role, new_active
        work.emit(credentials_changed(row.account_id, technician_id=row.id))
    return row
