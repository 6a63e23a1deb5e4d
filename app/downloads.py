"""GET /attachments/{id}/{filename}: an attachment's bytes, for whoever may see its comment.

The request is authorised by a bearer token, or by the signed link ``Attachment.downloadUrl`` gives
(``?token=<token id>&expires=<unix time>&signature=<hmac>``), which re-checks the same visibility for the
token's owner, so a link stops working when the token is revoked or the comment becomes invisible.
Whatever is wrong (no such attachment, another account's, a note's for an end user, a bad or expired
signature), the answer is the same 404.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from app.auth import viewer_from_header
from models.clock import utcnow
from schema.ids import InvalidId, decode_as
from services import attachments
from services.authentication import viewer_for_token
from services.errors import Unauthenticated
from services.signing import Signer, attachment_link_valid, expires_in_future
from services.viewer import Viewer

INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
NOT_FOUND = JSONResponse({"error": "not found"}, status_code=404)


def content_disposition(filename: str, inline: bool) -> str:
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def _viewer(request: Request, signer: Signer, attachment_id: int) -> Viewer | None:
    query = request.query_params
    if "signature" in query:
        try:
            token_id, expires = int(query["token"]), int(query["expires"])
        except (KeyError, ValueError):
            return None
        if not expires_in_future(expires, utcnow()):
            return None
        if not attachment_link_valid(signer, attachment_id, token_id, expires, query["signature"]):
            return None
        try:
            return await viewer_for_token(token_id)
        except Unauthenticated:
            return None
    viewer, _ = await viewer_from_header(request.headers.get("authorization"))
    return viewer


def download_endpoint(signer: Signer):  # type: ignore[no-untyped-def]
    async def download(request: Request) -> Response:
        try:
            attachment_id = decode_as(request.path_params["id"], "Attachment")
        except InvalidId:
            return NOT_FOUND
        viewer = await _viewer(request, signer, attachment_id)
        if viewer is None:
            return NOT_FOUND
        attachment = await attachments.for_download(viewer, attachment_id)
        if attachment is None:
            return NOT_FOUND
        inline = attachment.content_type in INLINE_TYPES
        return StreamingResponse(
            attachments.content(attachment),
            media_type=attachment.content_type,
            headers={
                "Content-Length": str(attachment.size),
                "Content-Disposition": content_disposition(attachment.filename, inline),
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
                "Cache-Control": "private, max-age=300",
            },
        )

    return download
