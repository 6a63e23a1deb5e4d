"""Attachment bytes in a local directory, content-addressed: ROOT/ab/cd/<sha256>."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from services.storage import FileTooLarge, StoredFile

CHUNK = 1024 * 1024
HEAD = 8192


class LocalDirectoryStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    async def save(self, chunks: AsyncIterator[bytes], max_bytes: int) -> StoredFile:
        partial = self.root / "partial" / uuid.uuid4().hex
        await asyncio.to_thread(partial.parent.mkdir, parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        head = b""
        try:
            with partial.open("wb") as output:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLarge(f"larger than {max_bytes} bytes")
                    digest.update(chunk)
                    if len(head) < HEAD:
                        head += chunk[: HEAD - len(head)]
                    await asyncio.to_thread(output.write, chunk)
            sha256 = digest.hexdigest()
            final = self._path(sha256)
            await asyncio.to_thread(final.parent.mkdir, parents=True, exist_ok=True)
            await asyncio.to_thread(os.replace, partial, final)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
        return StoredFile(sha256=sha256, size=size, head=head)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        with self._path(sha256).open("rb") as source:
            while chunk := await asyncio.to_thread(source.read, CHUNK):
                yield chunk

    async def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(self._path(sha256).unlink)

    async def exists(self, sha256: str) -> bool:
        return await asyncio.to_thread(self._path(sha256).is_file)
