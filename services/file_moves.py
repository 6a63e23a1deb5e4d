"""Moving the kept files (attachments and raw inbound mail) from one storage to another without losing one.

Every file the database refers to is copied while its SHA-256 is checked on the way (a file whose bytes
no longer match its digest is not copied), read back from the target and checked again, and only then
removed from the source. A file already in the target and gone from the source was moved before: a run
stopped midway (or one whose failures were repaired) is simply run again. Files nothing refers to are
left where they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from models.conversation import Attachment
from models.mail import InboundMail
from services.storage import FileStorage

CHUNK = 1024 * 1024
NO_LIMIT = 2**62


class ChecksumMismatch(Exception):
    """The bytes read do not have the SHA-256 they are kept under."""


@dataclass
class MoveReport:
    moved: int = 0
    already_moved: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    """SHA-256 -> why that file stayed where it was."""


async def referenced_files() -> list[str]:
    """The digests of every kept file the database refers to, in order."""
    attachments = await Attachment.all().distinct().values_list("sha256", flat=True)
    mails = await InboundMail.exclude(raw_sha256="").distinct().values_list("raw_sha256", flat=True)
    return sorted({str(digest) for digest in [*attachments, *mails]})


async def _checked(chunks: AsyncIterator[bytes], sha256: str) -> AsyncIterator[bytes]:
    digest = hashlib.sha256()
    async for chunk in chunks:
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != sha256:
        raise ChecksumMismatch(f"the source's bytes have the SHA-256 {digest.hexdigest()}")


async def _digest(chunks: AsyncIterator[bytes]) -> str:
    digest = hashlib.sha256()
    async for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


async def move_one(source: FileStorage, target: FileStorage, sha256: str) -> bool:
    """Move one file; False when it had been moved before. Raises FileNotFoundError (in neither storage),
    ChecksumMismatch (the source's or the target's copy is not what its digest says), or what a storage
    raises; the source keeps the file then."""
    if not await source.exists(sha256):
        if await target.exists(sha256):
            return False
        raise FileNotFoundError("in neither storage")
    if not await target.exists(sha256):  # else copied by a run stopped before it removed the source's
        stored = await target.save(_checked(source.read(sha256), sha256), NO_LIMIT)
        if stored.sha256 != sha256:  # pragma: no cover - _checked refuses such bytes before they are kept
            raise ChecksumMismatch(f"the target kept it as {stored.sha256}")
    copied = await _digest(target.read(sha256))
    if copied != sha256:
        raise ChecksumMismatch(f"the target's copy has the SHA-256 {copied}")
    await source.delete(sha256)
    return True


async def move_files(
    source: FileStorage, target: FileStorage, progress: Callable[[str, str], None] | None = None
) -> MoveReport:
    """Move every file the database refers to from ``source`` to ``target``; a file that fails stays in the
    source and the others go on. ``progress`` hears (digest, "moved" | "already moved" | reason)."""
    report = MoveReport()
    for sha256 in await referenced_files():
        try:
            moved = await move_one(source, target, sha256)
        except (FileNotFoundError, ChecksumMismatch) as error:
            outcome = str(error)
            report.failed[sha256] = outcome
        except Exception as error:  # a storage's own failure: this file stays, the others go on
            outcome = f"{type(error).__name__}: {error}"
            report.failed[sha256] = outcome
        else:
            if moved:
                report.moved += 1
                outcome = "moved"
            else:
                report.already_moved += 1
                outcome = "already moved"
        if progress is not None:
            progress(sha256, outcome)
    return report
