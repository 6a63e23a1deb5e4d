"""Erasing a requester on request: the person goes, the tickets and statistics stay.

What happens, in one transaction:

- the requester's name becomes ``Erased requester <id>``, the email ``erased-<id>@erased.invalid``; job title,
  phones and password are emptied; their tokens are revoked and their devices unlinked;
- their comments are kept, or with ``redact_comments`` replaced by ``[redacted]``;
- the attachments they uploaded or that came with their comments are deleted (the stored files too, once
  committed, where no other attachment or mail uses the same content);
- unsent mail to them is dropped, cc entries naming them removed;
- satisfaction surveys keep their ratings (statistics) and lose their free-text comment;
- every other text of the account (ticket titles and descriptions, other people's comments, mail logs, the
  activity log's old and new values, ...) has the name and the email replaced, whatever their case; the
  records of other people (requesters, technicians) are left alone, even where they share the name;
- each ticket they raised gets a ``REQUESTER_ERASED`` activity row naming the admin.
"""

from __future__ import annotations

import re

from tortoise.context import get_current_context
from tortoise.fields.data import CharEnumFieldInstance, CharField, TextField
from tortoise.models import Model

from models import APP_LABEL
from models.accounts import Technician
from models.auth import ApiToken
from models.conversation import Attachment, CcRecipient, Comment
from models.enums import ActivityKind, OutboundStatus
from models.mail import OutboundMail
from models.people import Device, Requester, SatisfactionSurvey
from models.tickets import Ticket
from services import activity
from services.admin import require_admin
from services.attachments import delete_unused_files
from services.errors import NotFound
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

REDACTED = "[redacted]"

ACCOUNT_PATHS = ("account_id", "ticket__account_id", "comment__account_id", "chat__account_id")
"""How a row of each model is tied to an account; a model with none of these holds nothing to scrub."""


async def erase_requester(viewer: Viewer, requester_id: int, *, redact_comments: bool = False) -> Requester:
    """Anonymise a requester of the viewer's account (see the module's docstring). Admins only.

    Raises PermissionDenied; NotFound (requesterId) for a requester of another account or none.
    Emits ``activity.added`` for each ticket the requester raised.
    """
    require_admin(viewer)
    async with unit_of_work():
        person = (
            await Requester.filter(id=requester_id, account_id=viewer.account_id)
            .select_for_update()
            .get_or_none()
        )
        if person is None:
            raise NotFound("requesterId")
        traces = [person.email, person.name]
        name, email = f"Erased requester {person.id}", f"erased-{person.id}@erased.invalid"
        comments = Comment.filter(author_requester_id=person.id, account_id=viewer.account_id)
        comment_ids = [comment.id for comment in await comments.only("id")]
        files = await _delete_attachments(viewer.account_id, person.id, comment_ids)
        if redact_comments:
            await comments.update(body=f"<p>{REDACTED}</p>", text=REDACTED)
        await ApiToken.filter(requester_id=person.id).delete()
        await Device.filter(requester_id=person.id).update(requester_id=None)
        await CcRecipient.filter(requester_id=person.id).delete()
        await OutboundMail.filter(
            account_id=viewer.account_id, recipient__iexact=person.email, status__not=OutboundStatus.SENT
        ).delete()
        await SatisfactionSurvey.filter(requester_id=person.id).update(comment="")
        await Requester.filter(id=person.id).update(
            name=name, email=email, job_title="", phone="", mobile="", password_hash=None
        )
        await _scrub_account(
            viewer.account_id, {trace: (email if "@" in trace else name) for trace in traces}
        )
        for ticket in await Ticket.filter(requester_id=person.id).only("id"):
            await activity.record(
                viewer, ticket.id, ActivityKind.REQUESTER_ERASED, field="requester", new=name
            )
    await delete_unused_files(files)
    return await Requester.get(id=person.id)


async def _delete_attachments(account_id: int, requester_id: int, comment_ids: list[int]) -> set[str]:
    """Delete the attachment rows; the SHA-256s of their files, to delete once the transaction committed."""
    rows = Attachment.filter(account_id=account_id, uploaded_by_requester_id=requester_id)
    theirs = {(int(i), str(s)) for i, s in await rows.values_list("id", "sha256")}
    if comment_ids:
        on_comments = Attachment.filter(account_id=account_id, comment_id__in=comment_ids)
        theirs |= {(int(i), str(s)) for i, s in await on_comments.values_list("id", "sha256")}
    if theirs:
        await Attachment.filter(id__in=[i for i, _ in theirs]).delete()
    return {sha256 for _, sha256 in theirs}


def text_columns(model: type[Model]) -> list[str]:
    """The columns of ``model`` that hold free text (enums excluded)."""
    return [
        name
        for name, field in model._meta.fields_map.items()
        if isinstance(field, CharField | TextField) and not isinstance(field, CharEnumFieldInstance)
    ]


def every_model() -> list[type[Model]]:
    context = get_current_context()
    assert context is not None
    assert context.apps is not None
    return [model for model in context.apps.get_models_iterable() if model._meta.app == APP_LABEL]


async def _scrub_account(account_id: int, replacements: dict[str, str]) -> None:
    """Replace each key by its value, whatever the case, in every text column of the account's rows."""
    pattern = re.compile("|".join(re.escape(k) for k in sorted(replacements, key=len, reverse=True)), re.I)

    def replaced(value: str) -> str:
        return pattern.sub(lambda found: replacements[_key(found.group(0), replacements)], value)

    for model in every_model():
        scope = None if model in (Technician, Requester) else _account_path(model)
        if scope is None:
            continue
        key_name = model._meta.pk_attr
        for column in text_columns(model):
            limit = getattr(model._meta.fields_map[column], "max_length", None)
            for key in replacements:
                query = model.filter(**{scope: account_id, f"{column}__icontains": key})
                for key_value, value in await query.values_list(key_name, column):
                    if isinstance(value, str):
                        await model.filter(**{key_name: key_value}).update(
                            **{column: replaced(value)[:limit]}
                        )


def _key(found: str, replacements: dict[str, str]) -> str:
    return next(key for key in replacements if key.lower() == found.lower())


def _account_path(model: type[Model]) -> str | None:
    names: set[str] = set(model._meta.fields_map) | set(model._meta.fk_fields)
    for path in ACCOUNT_PATHS:
        head = path.split("__")[0]
        if head in names or head.removesuffix("_id") in model._meta.fk_fields:
            return path
    return None
