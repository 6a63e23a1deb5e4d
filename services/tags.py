"""Tag names: one spelling per tag (trimmed, lower case, single spaces), 1..60 characters, no commas."""

from __future__ import annotations

from services.errors import Problems
from services.validation import printable

MAX_TAG = 60


def normalize(name: str) -> str:
    return " ".join(printable(name).split()).lower()


def clean(problems: Problems, field: str, names: list[str]) -> list[str]:
    cleaned: list[str] = []
    for name in names:
        tag = normalize(name)
        if not tag or len(tag) > MAX_TAG or "," in tag:
            problems.add(field, f"Tags are 1 to {MAX_TAG} characters without commas (got {name!r}).")
        elif tag not in cleaned:
            cleaned.append(tag)
    return cleaned
