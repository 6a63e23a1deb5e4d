"""Attachments: uploading files, attaching them to a comment, and finding them for download.

An upload is kept (content-addressed) and recorded without a comment; only its uploader can see or use
it until it is attached. Attaching checks that every file exists in the account, was uploaded by the
same person, is not attached yet, and that the comment's files stay within the per-comment limit.
Uploads not attached yet are limited in bytes per person, and removed once they are older than a set
time (``purge_unclaimed``, a background job).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import puremagic
from tortoise.functions import Sum

from models.accounts import Technician
from models.clock import utcnow
from models.conversation import Attachment
from models.mail import InboundMail
from models.people import Requester
from services import visibility
from services.errors import NotFound, ValidationFailed
from services.storage import FileTooLarge, storage
from services.unit_of_work import unit_of_work
from services.viewer import Viewer

MAX_FILENAME = 200
PURGE_BATCH = 500
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*;]+')
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Marks, embeddings, overrides and isolates of text direction: after U+202E, ``exe.txt`` shows as
``txt.exe``."""


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_comment_bytes: int
    max_unclaimed_bytes: int | None = None
    """Uploads not attached yet, together, per person; None: no limit (files of inbound mail, attached
    as soon as they are kept)."""


def safe_filename(name: str) -> str:
    """The last path part, without control or reserved characters, at most 200 characters. Controls of
    text direction are dropped, so that a name reads as it is."""
    name = _BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", name))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        keep = MAX_FILENAME - len(dot + extension) if dot and len(extension) <= 10 else MAX_FILENAME
        name = (stem[:keep] + dot + extension) if dot and len(extension) <= 10 else name[:keep]
    return name or "attachment"


def sniff(head: bytes) -> str:
    """The content type read from the bytes themselves; what the client claimed is not trusted."""
    try:
        found = puremagic.from_string(head, mime=True)
        if found:
            return str(found)
    except (puremagic.PureError, ValueError):
        pass
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:  # a character cut at the end of the head
                return "text/plain"
    return "application/octet-stream"


async def upload(viewer: Viewer, filename: str, chunks: AsyncIterator[bytes], limits: Limits) -> Attachment:
    """Keep an uploaded file for a later comment.

    Raises ValidationFailed (file: over the size limit, or over the uploader's limit of bytes not
    attached yet); nothing of a refused file is kept.
    """
    quota = limits.max_unclaimed_bytes
    room = limits.max_file_bytes
    if quota is not None:
        unclaimed = await _unclaimed_bytes(viewer)
        room = min(room, quota - unclaimed)
        if room <= 0:
            raise _over_quota(unclaimed, quota)
    try:
        stored = await storage().save(chunks, room)
    except FileTooLarge as error:
        if room < limits.max_file_bytes:
            assert quota is not None
            raise _over_quota(quota - room, quota) from error
        raise ValidationFailed.one("file", f"Files are limited to {limits.max_file_bytes} bytes.") from error
    try:
        async with unit_of_work():
            if quota is not None:
                # Uploads of one person sent at once: each checks the total again under a lock of its
                # uploader, so that together they stay within the limit.
                await _lock_uploader(viewer)
                unclaimed = await _unclaimed_bytes(viewer)
                if unclaimed + stored.size > quota:
                    raise _over_quota(unclaimed, quota)
            return await Attachment.create(
                account_id=viewer.account_id,
                uploaded_by_technician_id=viewer.technician_id,
                uploaded_by_requester_id=viewer.requester_id,
                filename=safe_filename(filename),
                content_type=sniff(stored.head),
                size=stored.size,
                sha256=stored.sha256,
            )
    except ValidationFailed:
        await delete_unused_files([stored.sha256])
        raise


def _over_quota(unclaimed: int, quota: int) -> ValidationFailed:
    return ValidationFailed.one(
        "file",
        f"Your uploads not attached to a comment come to {unclaimed} bytes; with this file they would pass "
        f"the limit of {quota}. Attach them, or wait until they are removed.",
    )


def _uploader(viewer: Viewer) -> dict[str, Any]:
    if viewer.technician_id is not None:
        return {"uploaded_by_technician_id": viewer.technician_id}
    return {"uploaded_by_requester_id": viewer.requester_id}


async def _unclaimed_bytes(viewer: Viewer) -> int:
    rows = (
        await Attachment.filter(comment_id__isnull=True, **_uploader(viewer))
        .annotate(total=Sum("size"))
        .values("total")
    )
    return int(rows[0]["total"] or 0) if rows else 0


async def _lock_uploader(viewer: Viewer) -> None:
    if viewer.technician_id is not None:
        await Technician.filter(id=viewer.technician_id).select_for_update().only("id")
    else:
        await Requester.filter(id=viewer.requester_id).select_for_update().only("id")


async def purge_unclaimed(older_than: timedelta, now: datetime | None = None) -> int:
    """Remove uploads never attached to a comment that are older than ``older_than``, and their files
    when nothing else uses them. Safe in several processes at once; an upload attached meanwhile stays.
    Returns how many were removed."""
    cutoff = (now or utcnow()) - older_than
    removed = 0
    while True:
        rows = await (
            Attachment.filter(comment_id__isnull=True, created_at__lt=cutoff)
            .order_by("id")
            .limit(PURGE_BATCH)
            .values_list("id", "sha256")
        )
        if not rows:
            return removed
        removed += await Attachment.filter(id__in=[row[0] for row in rows], comment_id__isnull=True).delete()
        await delete_unused_files({str(row[1]) for row in rows})
        if len(rows) < PURGE_BATCH:
            return removed


async def delete_unused_files(sha256s: Iterable[str]) -> None:
    """Delete the stored files that no attachment and no inbound mail uses any more."""
    for sha256 in sha256s:
        if not await Attachment.exists(sha256=sha256) and not await InboundMail.exists(raw_sha256=sha256):
            await storage().delete(sha256)


async def claim(viewer: Viewer, attachment_ids: list[int], comment_id: int, limits: Limits) -> None:
    """Attach uploads to a new comment (inside the caller's transaction).

    Raises NotFound (attachmentIds), ValidationFailed (attachmentIds: someone else's, already attached,
    over the per-comment limit).
    """
    if not attachment_ids:
        return
    unique = list(dict.fromkeys(attachment_ids))
    # Through visibility: a file the viewer cannot see answers exactly like one that does not exist.
    rows = await visibility.attachments(viewer).filter(id__in=unique)
    if len(rows) != len(unique):
        raise NotFound("attachmentIds", "attachmentIds: no such upload.")
    for row in rows:
        if (row.uploaded_by_technician_id, row.uploaded_by_requester_id) != (
            viewer.technician_id,
            viewer.requester_id,
        ):
            raise ValidationFailed.one("attachmentIds", f"{row.filename} was uploaded by someone else.")
        if row.comment_id is not None:
            raise ValidationFailed.one(
                "attachmentIds", f"{row.filename} is attached to another comment already."
            )
    total = sum(row.size for row in rows)
    if total > limits.max_comment_bytes:
        raise ValidationFailed.one(
            "attachmentIds",
            f"The files come to {total} bytes; a comment is limited to {limits.max_comment_bytes}.",
        )
    claimed = await Attachment.filter(id__in=unique, comment_id__isnull=True).update(comment_id=comment_id)
    if claimed != len(unique):  # another comment took one in the meantime
        raise ValidationFailed.one(
            "attachmentIds", "An attachment was attached to another comment meanwhile."
        )


async def for_download(viewer: Viewer, attachment_id: int) -> Attachment | None:
    """The attachment if the viewer may fetch it (the comment's visibility), else None."""
    return await visibility.attachments(viewer).get_or_none(id=attachment_id)


def content(attachment: Attachment) -> AsyncIterator[bytes]:
    return storage().read(attachment.sha256)
