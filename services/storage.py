"""The file storage that services need: content-addressed by SHA-256. The application installs one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol


class FileTooLarge(Exception):
    """The content is longer than the limit given to ``save``; nothing was kept."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    head: bytes
    """The first bytes, for sniffing the content type."""


class FileStorage(Protocol):
    async def save(self, chunks: AsyncIterator[bytes], max_bytes: int) -> StoredFile:
        """Keep the content under its SHA-256 (once, however often it is saved). Raises FileTooLarge."""
        ...

    def read(self, sha256: str) -> AsyncIterator[bytes]: ...

    async def delete(self, sha256: str) -> None: ...

    async def exists(self, sha256: str) -> bool:
        """Whether the content of ``sha256`` is kept (``read`` of a missing one raises FileNotFoundError)."""
        ...


class NoStorage:
    """Until the application installs a storage (CLI commands that never touch files)."""

    async def save(self, chunks: AsyncIterator[bytes], max_bytes: int) -> StoredFile:
        raise RuntimeError("no file storage is installed")

    def read(self, sha256: str) -> AsyncIterator[bytes]:
        raise RuntimeError("no file storage is installed")

    async def delete(self, sha256: str) -> None:
        raise RuntimeError("no file storage is installed")

    async def exists(self, sha256: str) -> bool:
        raise RuntimeError("no file storage is installed")


_storage: FileStorage = NoStorage()


def install_storage(storage: FileStorage) -> None:
    global _storage
    _storage = storage


def storage() -> FileStorage:
    return _storage
