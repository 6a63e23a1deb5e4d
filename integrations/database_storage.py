"""Attachment bytes in the database, one ``file_content`` row per SHA-256: one backup holds everything,
and every host that reaches the database serves every file.

A file is held in memory whole while it is saved (at most ``max_bytes``) and while it is read: the row's
value comes back in one piece, and is handed on in slices.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

from models.files import FileContent
from services.storage import FileTooLarge, StoredFile

CHUNK = 1024 * 1024
HEAD = 8192


class DatabaseStorage:
    async def save(self, chunks: AsyncIterator[bytes], max_bytes: int) -> StoredFile:
        content = bytearray()
        async for chunk in chunks:
            if len(content) + len(chunk) > max_bytes:
                raise FileTooLarge(f"larger than {max_bytes} bytes")
            content += chunk
        sha256 = hashlib.sha256(content).hexdigest()
        if not await FileContent.exists(sha256=sha256):
            # The same bytes saved at the same time elsewhere: the first row stays.
            await FileContent.bulk_create(
                [FileContent(sha256=sha256, size=len(content), content=bytes(content))], ignore_conflicts=True
            )
        return StoredFile(sha256=sha256, size=len(content), head=bytes(content[:HEAD]))

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        rows = await FileContent.filter(sha256=sha256).values_list("content", flat=True)
        if not rows:
            raise FileNotFoundError(sha256)
        content = memoryview(bytes(rows[0]))
        for start in range(0, len(content), CHUNK):
            yield bytes(content[start : start + CHUNK])

    async def delete(self, sha256: str) -> None:
        await FileContent.filter(sha256=sha256).delete()

    async def exists(self, sha256: str) -> bool:
        return await FileContent.exists(sha256=sha256)
