"""Signed addresses and ids that bring replies back to their ticket.

- A reply token names the ticket, the kind of mail (public update or internal note) and the recipient
  (requester, technician or cc row); it travels in the Reply-To ``reply+<token>@<inbound domain>`` and is
  signed with HMAC-SHA256 (80 bits), so nobody can make one for a ticket they were not sent.
  Tokens are lower case: some mail servers change the case of the local part.
- The thread id is a Message-ID every mail of a ticket refers to (In-Reply-To, References), so mail
  programs keep a ticket in one thread and replies that quote it find their ticket.
- The origin stamp marks mail we sent, so that it is recognised if it ever comes back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from models.enums import CommentKind

_TOKEN = re.compile(r"^(\d+)-([pn])([rtc])(\d+)-([0-9a-f]{20})$")
_THREAD = re.compile(r"^<?ticket-(\d+)-([0-9a-f]{16})@([^>]+)>?$")
_SCOPES = {"p": CommentKind.PUBLIC_REPLY, "n": CommentKind.INTERNAL_NOTE}
REQUESTER, TECHNICIAN, CC = "r", "t", "c"


def _sign(key: bytes, *parts: str) -> str:
    return hmac.new(key, "|".join(parts).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ReplyToken:
    ticket_id: int
    scope: CommentKind
    """PUBLIC_REPLY for public updates, INTERNAL_NOTE for notes mailed to technicians."""
    recipient_kind: str
    """REQUESTER, TECHNICIAN or CC."""
    recipient_id: int

    def encode(self, key: bytes) -> str:
        scope = "n" if self.scope is CommentKind.INTERNAL_NOTE else "p"
        payload = f"{self.ticket_id}-{scope}{self.recipient_kind}{self.recipient_id}"
        return f"{payload}-{_sign(key, 'reply', payload)[:20]}"

    def address(self, key: bytes, domain: str) -> str:
        return f"reply+{self.encode(key)}@{domain}"


def parse_token(key: bytes, token: str) -> ReplyToken | None:
    """The token if it is well formed and its signature is ours, else None."""
    match = _TOKEN.match(token.strip().lower())
    if match is None:
        return None
    ticket, scope, kind, recipient, signature = match.groups()
    payload = f"{ticket}-{scope}{kind}{recipient}"
    if not hmac.compare_digest(signature, _sign(key, "reply", payload)[:20]):
        return None
    return ReplyToken(int(ticket), _SCOPES[scope], kind, int(recipient))


def token_of_address(key: bytes, domain: str, address: str) -> ReplyToken | None:
    local, _, address_domain = address.strip().lower().rpartition("@")
    if address_domain != domain.lower() or not local.startswith("reply+"):
        return None
    return parse_token(key, local.removeprefix("reply+"))


def thread_id(key: bytes, domain: str, ticket_id: int) -> str:
    return f"<ticket-{ticket_id}-{_sign(key, 'thread', str(ticket_id))[:16]}@{domain}>"


def ticket_of_thread_id(key: bytes, message_id: str) -> int | None:
    match = _THREAD.match(message_id.strip().lower())
    if match is None:
        return None
    ticket, signature, _ = match.groups()
    if not hmac.compare_digest(signature, _sign(key, "thread", ticket)[:16]):
        return None
    return int(ticket)


def origin_stamp(key: bytes) -> str:
    return _sign(key, "origin")[:32]
