"""Attachments: uploading files, attaching them to a comment, and finding them for download.

An upload is kept (content-addressed) and recorded without a comment; only its uploader can see or use
it until it is attached. Attaching checks that every file exists in the account, was uploaded by the
same person, is not attached yet, and that the comment's files stay within the per-comment limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass

import puremagic

from models.conversation import Attachment
from services import visibility
from services.errors import NotFound, ValidationFailed
from services.storage import FileTooLarge, storage
from services.viewer import Viewer

MAX_FILENAME = 200
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*;]+')
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Marks, embeddings, overrides and isolates of text direction: after U+202E, ``exe.txt`` shows as
``txt.exe``."""


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_comment_bytes: int


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
    """Keep an uploaded file for a later comment. Raises ValidationFailed (file: over the size limit)."""
    try:
        stored = await storage().save(chunks, limits.max_file_bytes)
    except FileTooLarge as error:
        raise ValidationFailed.one("file", f"Files are limited to {limits.max_file_bytes} bytes.") from error
    return await Attachment.create(
        account_id=viewer.account_id,
        uploaded_by_technician_id=viewer.technician_id,
        uploaded_by_requester_id=viewer.requester_id,
        filename=safe_filename(filename),
        content_type=sniff(stored.head),
        size=stored.size,
        sha256=stored.sha256,
    )


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
