"""Links the API hands out: signed attachment downloads and ticket pages of the front end."""

from __future__ import annotations

from urllib.parse import quote

from models.clock import utcnow
from models.conversation import Attachment
from schema.context import Info
from schema.ids import encode
from services.signing import attachment_link_query


def download_url(info: Info, attachment: Attachment) -> str:
    """A link that downloads the file for this viewer until the link expires (or the token is revoked):
    absolute under the API's public address when it is set, else a path on the API."""
    environment = info.context.environment
    token_id = info.context.viewer.token_id or 0
    # Rounded up to ten minutes so that a page fetched twice shows the same (cacheable) link.
    expires = (int(utcnow().timestamp()) + environment.download_link_seconds + 599) // 600 * 600
    query = attachment_link_query(environment.signer, attachment.id, token_id, expires)
    path = f"/attachments/{encode('Attachment', attachment.id)}/{quote(attachment.filename)}?{query}"
    return environment.public_url + path


def ticket_link(info: Info, number: int) -> str:
    return f"{info.context.environment.app_url}/tickets/{number}"
