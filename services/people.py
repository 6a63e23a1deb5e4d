"""Creating technicians and requesters (admins only)."""

from __future__ import annotations

from models.accounts import Technician
from models.enums import Role
from models.people import Customer, Department, Requester, Site
from services import validation
from services.admin import require_admin
from services.authentication import hash_password
from services.errors import NotFound, Problems, ValidationFailed
from services.unit_of_work import unit_of_work
from services.viewer import Viewer


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
