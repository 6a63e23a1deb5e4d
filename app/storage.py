"""The attachment storage that DESKQL_ATTACHMENTS_STORAGE names (or another, for move-attachments)."""

from __future__ import annotations

from typing import Literal

from app.settings import Settings, SettingsError
from integrations.database_storage import DatabaseStorage
from integrations.storage import LocalDirectoryStorage
from services.storage import FileStorage

StorageKind = Literal["folder", "database", "s3"]
KINDS: tuple[StorageKind, ...] = ("folder", "database", "s3")


def build_storage(settings: Settings, kind: StorageKind | None = None) -> FileStorage:
    """The storage of ``kind``, by default the configured one. Raises SettingsError for s3 without a bucket."""
    kind = kind or settings.attachment_storage
    if kind == "folder":
        return LocalDirectoryStorage(settings.attachments_dir)
    if kind == "database":
        return DatabaseStorage()
    if not settings.s3_bucket:
        raise SettingsError("DESKQL_S3_BUCKET: the s3 storage needs a bucket")
    # Imported only where s3 is used: aioboto3 costs every process that starts close to a second.
    from integrations.s3_storage import S3Location, S3Storage

    return S3Storage(
        S3Location(
            bucket=settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url or None,
            region=settings.s3_region or None,
            access_key_id=settings.s3_access_key_id or None,
            secret_access_key=settings.s3_secret_access_key.get_secret_value() or None,
            prefix=settings.s3_prefix,
        )
    )
