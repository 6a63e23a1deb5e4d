"""Signed survey links: ``<app url>/survey/<token>``, where the token names the ticket and carries an
HMAC-SHA256 (128 bits) with the mail key, so it opens that ticket's survey without a login and no other."""

from __future__ import annotations

import hashlib
import hmac
import re

from services.mail_config import mail_config

_TOKEN = re.compile(r"^([1-9][0-9]{0,9})-([0-9a-f]{32})$")  # one spelling per ticket: ASCII, no leading 0
MAX_TICKET_ID = 2**31 - 1


def _signature(key: bytes, ticket_id: int) -> str:
    return hmac.new(key, f"survey|{ticket_id}".encode(), hashlib.sha256).hexdigest()[:32]


def survey_token(key: bytes, ticket_id: int) -> str:
    return f"{ticket_id}-{_signature(key, ticket_id)}"


def survey_ticket_id(token: str) -> int | None:
    """The ticket a survey token is for, when its signature is ours; else None."""
    config = mail_config()
    match = _TOKEN.fullmatch(token.strip().lower())
    if config is None or match is None or int(match.group(1)) > MAX_TICKET_ID:
        return None
    ticket_id = int(match.group(1))
    return ticket_id if hmac.compare_digest(match.group(2), _signature(config.key, ticket_id)) else None


def survey_url(app_url: str, key: bytes, ticket_id: int) -> str:
    return f"{app_url}/survey/{survey_token(key, ticket_id)}"
