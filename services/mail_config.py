"""How deskql mails: addresses, the key behind reply tokens, delivery pacing. The application installs it.

Until it is installed (CLI commands, demo data, service tests that do not mail) no email is composed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.incoming_mail import IncomingMail


@dataclass(frozen=True)
class MailConfig:
    from_address: str
    """The envelope and From address of every email; the display name is the account's name."""
    inbound_domain: str
    """Replies come back to reply+<token>@<inbound_domain>."""
    key: bytes
    """Signs reply tokens, thread ids and the origin stamp."""
    app_url: str
    max_attachment_bytes: int = 10_000_000
    """Files of one comment are attached up to this total; larger ones are named, not attached."""
    max_attempts: int = 12
    retry_seconds: float = 30.0
    """The delay before the first retry; it doubles with every attempt, up to an hour."""
    lease_seconds: float = 120.0
    """How long a worker holds a mail it is sending before another worker may try it."""
    max_inbound_file_bytes: int = 25_000_000
    max_inbound_comment_bytes: int = 25_000_000
    reader: Callable[[bytes], IncomingMail] | None = None
    """Reads a kept raw message again (the mail adapter's parser), for releasing held mail."""
    trusted_authserv_id: str = ""
    """The authserv-id (lower case) of the mail server whose topmost Authentication-Results header is
    believed; empty: none is."""


_config: MailConfig | None = None


def install_mail_config(config: MailConfig | None) -> None:
    global _config
    _config = config


def mail_config() -> MailConfig | None:
    return _config
