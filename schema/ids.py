"""Opaque global IDs: URL-safe base64 of ``TypeName:primary key``, padding removed."""

from __future__ import annotations

import base64
import binascii

MAX_PK = 2**31 - 1
"""Primary keys are 32-bit integers; a larger number names nothing and must not reach the database."""


class InvalidId(ValueError):
    """The value is not an ID this API issued, or names another type than expected."""


URLSAFE = bytes.maketrans(b"+/", b"-_")


def urlsafe_b64(raw: bytes) -> str:
    """``base64.urlsafe_b64encode(raw).decode()`` without its Python-level wrappers (two per ID, and a page
    of comments encodes some two hundred IDs and cursors)."""
    return binascii.b2a_base64(raw, newline=False).translate(URLSAFE).decode()


def encode(type_name: str, pk: int) -> str:
    return urlsafe_b64(f"{type_name}:{pk}".encode()).rstrip("=")


def decode(value: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        type_name, _, pk = raw.partition(":")
        number = int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidId(f"{value!r} is not a valid ID.") from error
    if not type_name.isidentifier() or not 1 <= number <= MAX_PK or pk != str(number):
        raise InvalidId(f"{value!r} is not a valid ID.")
    return type_name, number


def decode_as(value: str, type_name: str) -> int:
    found, pk = decode(value)
    if found != type_name:
        raise InvalidId(f"{value!r} is not a {type_name} ID.")
    return pk
