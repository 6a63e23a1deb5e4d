"""The bytes of files kept in the database (``DESKQL_ATTACHMENTS_STORAGE=database``), one row per content."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.clock import utcnow


class FileContent(Model):
    """A file's content under its SHA-256: attachments and raw inbound mail with the same bytes share it."""

    sha256 = fields.CharField(max_length=64, primary_key=True)
    size = fields.BigIntField()
    content = fields.BinaryField()
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "file_content"
