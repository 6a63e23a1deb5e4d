"""Bearer tokens and passwords.

Tokens are ``dq_`` plus 43 random URL-safe characters; only their SHA-256 is stored, so a leaked
database leaks no usable token. Tokens issued by ``login`` are interactive (their changes are recorded
with channel WEB for technicians and PORTAL for requesters); tokens made with ``deskql create-token``
are for integrations (channel API). Passwords are hashed with argon2id.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.queryset import QuerySet

from fastpath.statements import rows_where
from models.accounts import Technician
from models.auth import ApiToken
from models.clock import utcnow
from models.enums import Channel
from models.people import Requester
from services import rate_limits, validation
from services.errors import InvalidCredentials, Unauthenticated, ValidationFailed
from services.events import Event
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

TOKEN_PREFIX = "dq_"  # noqa: S105 - a prefix, not a secret
CREDENTIALS_CHANGED = "credentials.changed"
LAST_USED_RESOLUTION = timedelta(minutes=5)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def _password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


async def issue_token(owner: Technician | Requester, *, label: str = "", interactive: bool = False) -> str:
    """Create a token for a technician or a requester and return it; it is never shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    await ApiToken.create(
        account_id=owner.account_id,
        technician_id=owner.id if isinstance(owner, Technician) else None,
        requester_id=owner.id if isinstance(owner, Requester) else None,
        token_hash=digest(token),
        label=label[:100],
        interactive=interactive,
    )
    return token


async def authenticate(token: str) -> Viewer:
    """The viewer a bearer token stands for; raises Unauthenticated with the reason."""
    if not token.startswith(TOKEN_PREFIX):
        raise Unauthenticated("Malformed bearer token: deskql tokens start with 'dq_'.")
    row = await _token_where("token_hash", digest(token))
    if row is None:
        raise Unauthenticated("Unknown bearer token.")
    return await _viewer_of(row)


async def viewer_for_token(token_id: int) -> Viewer:
    """The viewer of a token known by its id (signed links carry it); raises Unauthenticated."""
    row = await _token_where("id", token_id)
    if row is None:
        raise Unauthenticated("Unknown token.")
    return await _viewer_of(row)


def _tokens() -> QuerySet[ApiToken]:
    return ApiToken.all().select_related("technician")


async def _token_where(field: str, key: str | int) -> ApiToken | None:
    """The token whose unique ``field`` is ``key``, with its technician; its SQL is built once
    (fastpath.statements), as every request reads one."""
    rows = await rows_where(
        _tokens, ("token", field), lambda keys: _tokens().filter(**{field: keys[0]}), [key]
    )
    return rows[0] if rows else None


async def _viewer_of(row: ApiToken) -> Viewer:
    """The viewer of a token read with its technician (``select_related``: one statement for both)."""
    technician = row.technician if row.technician_id is not None else None
    if row.technician_id is not None and (technician is None or not technician.active):
        raise Unauthenticated("The technician of this token is deactivated.")
    if row.revoked_at is not None:
        raise Unauthenticated("This token has been revoked.")
    if technician is not None:
        viewer = Viewer(
            account_id=row.account_id,
            token_id=row.id,
            technician_id=technician.id,
            role=technician.role,
            channel=Channel.WEB if row.interactive else Channel.API,
        )
    else:
        viewer = Viewer(
            account_id=row.account_id,
            token_id=row.id,
            requester_id=row.requester_id,
            channel=Channel.PORTAL if row.interactive else Channel.API,
        )
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        await ApiToken.filter(id=row.id).update(last_used_at=now)
    return viewer


async def login(email: str, password: str, *, client: str | None = None) -> str:
    """An interactive token for the technician (or else the requester) with this email and password.

    Wrong email and wrong password are indistinguishable, in the answer and in the time taken. Raises
    ValidationFailed (email, password), InvalidCredentials, RateLimited (too many failures for the address,
    or too many sign-ins from ``client``, the caller's network address).
    """
    problems: dict[str, str] = {}
    if not email.strip():
        problems["email"] = "Enter your email address."
    elif len(email.strip()) > 254:  # as validation.email; the lookup of a longer one fails (max_length)
        problems["email"] = "Must be an email address such as name@example.com."
    if not password:
        problems["password"] = "Enter your password."  # noqa: S105 - a message
    if problems:
        raise ValidationFailed(problems)
    address = validation.printable(email).strip().lower()  # as validation.email keeps it (no NUL)
    # Counted as a failure before the password is checked, in one atomic step: attempts sent at once
    # cannot all pass a check made before any of them is counted.
    await rate_limits.count_login(address, client)
    owner: Technician | Requester | None = await Technician.get_or_none(email=address, active=True)
    if owner is None:
        candidates = await Requester.filter(email=address, password_hash__not_isnull=True).limit(2)
        owner = candidates[0] if len(candidates) == 1 else None
    if not await _password_matches(owner.password_hash if owner else None, password) or owner is None:
        raise InvalidCredentials()
    await rate_limits.login_succeeded(address)
    return await issue_token(owner, label="login", interactive=True)


async def reauthenticate(viewer: Viewer) -> Viewer:
    """The viewer read afresh from its token, for connections that outlive a request (websockets).

    Raises Unauthenticated when the token was revoked or its technician deactivated, and also when the
    technician's role changed: a connection authorised as one role must not go on as another.
    """
    if viewer.token_id is None:
        raise Unauthenticated("Authentication required.")
    fresh = await viewer_for_token(viewer.token_id)
    if fresh != viewer:
        raise Unauthenticated("The role of this token's technician changed: connect again.")
    return fresh


def credentials_changed(
    account_id: int, *, technician_id: int | None = None, requester_id: int | None = None
) -> Event:
    """The event that a person's tokens may no longer be good: one revoked, the technician deactivated or
    given another role. Emit it in the unit of work of that change: after commit every server process
    checks the tokens of that person's open websockets again and ends those no longer good."""
    if technician_id is not None:
        return Event(CREDENTIALS_CHANGED, account_id, ids={"technician": technician_id})
    assert requester_id is not None, "a token belongs to a technician or a requester"
    return Event(CREDENTIALS_CHANGED, account_id, ids={"requester": requester_id})


async def revoke(token_id: int) -> int:
    """Revoke one token; returns how many were revoked (0 when it already was).

    Emits ``credentials.changed`` for the token's owner: its websockets end on every server process."""
    async with unit_of_work() as work:
        token = await ApiToken.get_or_none(id=token_id, revoked_at__isnull=True)
        if token is None:
            return 0
        revoked = await ApiToken.filter(id=token_id, revoked_at__isnull=True).update(revoked_at=utcnow())
        if revoked:
            work.emit(
                credentials_changed(
                    token.account_id, technician_id=token.technician_id, requester_id=token.requester_id
                )
            )
    return revoked


async def revoke_interactive(viewer: Viewer) -> int:
    """Revoke every interactive (login) token of the viewer's technician or requester.

    Emits ``credentials.changed`` for them: the websockets of those tokens end on every server process."""
    owner = (
        {"technician_id": viewer.technician_id}
        if viewer.is_technician
        else {"requester_id": viewer.requester_id}
    )
    async with unit_of_work() as work:
        revoked = await ApiToken.filter(
            account_id=viewer.account_id, interactive=True, revoked_at__isnull=True, **owner
        ).update(revoked_at=utcnow())
        if revoked:
            work.emit(
                credentials_changed(
                    viewer.account_id, technician_id=viewer.technician_id, requester_id=viewer.requester_id
                )
            )
    return revoked
