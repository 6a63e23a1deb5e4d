"""Signed, expiring links (attachment downloads): HMAC-SHA256 over the parts, with the account's key."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime


class Signer:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def sign(self, *parts: str | int) -> str:
        message = "|".join(str(part) for part in parts).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def verify(self, signature: str, *parts: str | int) -> bool:
        """Whether the signature is ours. Compared as bytes: a signature with characters other than ASCII
        (hmac.compare_digest refuses those in a str) is simply wrong."""
        given = signature.encode("utf-8", "surrogatepass")
        return hmac.compare_digest(given, self.sign(*parts).encode())


def expires_in_future(expires: int, now: datetime) -> bool:
    return expires > now.timestamp()


def attachment_link_query(signer: Signer, attachment_id: int, token_id: int, expires: int) -> str:
    """The query string of a signed attachment download (checked by the download endpoint)."""
    signature = signer.sign("attachment", attachment_id, token_id, expires)
    return f"token={token_id}&expires={expires}&signature={signature}"


def attachment_link_valid(
    signer: Signer, attachment_id: int, token_id: int, expires: int, signature: str
) -> bool:
    return signer.verify(signature, "attachment", attachment_id, token_id, expires)
