"""Attachment bytes in S3-compatible object storage (AWS S3, MinIO, Ceph, R2...), one object per file:
``<prefix><sha256>``. The bucket must exist.

Saving streams: a file that fits one part (8 MiB) is put at once under its digest; a larger one goes up
in parts under ``<prefix>partial/<random>`` and is copied to its digest's key once that is known. Reading
streams the object in chunks of 1 MiB.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import aioboto3
from botocore.config import Config
from botocore.exceptions import ClientError

from services.storage import FileTooLarge, StoredFile

CHUNK = 1024 * 1024
HEAD = 8192
PART = 8 * 1024 * 1024
"""Bytes of each part of a multipart upload (S3 wants at least 5 MiB but for the last)."""
MISSING = {"404", "NoSuchKey", "NotFound"}


@dataclass(frozen=True)
class S3Location:
    bucket: str
    endpoint_url: str | None = None
    """None: AWS itself."""
    region: str | None = None
    access_key_id: str | None = None
    """None, with ``secret_access_key``: the standard AWS_* variables, profiles or instance roles."""
    secret_access_key: str | None = None
    prefix: str = ""


class S3Storage:
    def __init__(self, location: S3Location) -> None:
        self.location = location
        self.session = aioboto3.Session()

    def _client(self) -> AbstractAsyncContextManager[Any]:
        where = self.location
        return self.session.client(
            "s3",
            endpoint_url=where.endpoint_url,
            region_name=where.region,
            aws_access_key_id=where.access_key_id,
            aws_secret_access_key=where.secret_access_key,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}),
        )

    def _key(self, sha256: str) -> str:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.location.prefix + sha256

    async def save(self, chunks: AsyncIterator[bytes], max_bytes: int) -> StoredFile:
        digest = hashlib.sha256()
        size = 0
        head = b""
        pending = bytearray()
        bucket = self.location.bucket
        async with self._client() as s3:
            upload: _Multipart | None = None
            try:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLarge(f"larger than {max_bytes} bytes")
                    digest.update(chunk)
                    if len(head) < HEAD:
                        head += chunk[: HEAD - len(head)]
                    pending += chunk
                    if len(pending) > PART:
                        upload = upload or await _Multipart.start(s3, bucket, self.location.prefix)
                        await upload.send(bytes(pending[:PART]))
                        del pending[:PART]
                sha256 = digest.hexdigest()
                key = self._key(sha256)
                if upload is None:
                    await s3.put_object(Bucket=bucket, Key=key, Body=bytes(pending))
                else:
                    if pending:
                        await upload.send(bytes(pending))
                    await upload.finish()
                    if not await _exists(s3, bucket, key):
                        await s3.copy_object(
                            Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": upload.key}
                        )
            finally:
                if upload is not None:
                    await upload.discard()
        return StoredFile(sha256=sha256, size=size, head=head)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        async with self._client() as s3:
            try:
                response = await s3.get_object(Bucket=self.location.bucket, Key=self._key(sha256))
            except ClientError as error:
                if _code(error) in MISSING:
                    raise FileNotFoundError(sha256) from None
                raise
            body = response["Body"]
            async with body:  # the connection goes back (or is dropped) however the reading ends
                async for chunk in body.iter_chunks(CHUNK):
                    yield chunk

    async def delete(self, sha256: str) -> None:
        async with self._client() as s3:
            await s3.delete_object(Bucket=self.location.bucket, Key=self._key(sha256))

    async def exists(self, sha256: str) -> bool:
        async with self._client() as s3:
            return await _exists(s3, self.location.bucket, self._key(sha256))


class _Multipart:
    """An upload in parts to a key of its own, removed again (completed or not) by ``discard``."""

    def __init__(self, s3: Any, bucket: str, key: str, upload_id: str) -> None:
        self.s3, self.bucket, self.key, self.upload_id = s3, bucket, key, upload_id
        self.parts: list[dict[str, Any]] = []
        self.finished = False

    @classmethod
    async def start(cls, s3: Any, bucket: str, prefix: str) -> _Multipart:
        key = f"{prefix}partial/{uuid.uuid4().hex}"
        created = await s3.create_multipart_upload(Bucket=bucket, Key=key)
        return cls(s3, bucket, key, created["UploadId"])

    async def send(self, part: bytes) -> None:
        number = len(self.parts) + 1
        sent = await self.s3.upload_part(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=part
        )
        self.parts.append({"PartNumber": number, "ETag": sent["ETag"]})

    async def finish(self) -> None:
        await self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id, MultipartUpload={"Parts": self.parts}
        )
        self.finished = True

    async def discard(self) -> None:
        if self.finished:
            await self.s3.delete_object(Bucket=self.bucket, Key=self.key)
        else:
            await self.s3.abort_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id)


async def _exists(s3: Any, bucket: str, key: str) -> bool:
    try:
        await s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if _code(error) in MISSING:
            return False
        raise
    return True


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
