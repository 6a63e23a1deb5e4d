"""Attachments: multipart uploads with CSRF protection, limits, attaching, and downloads that follow visibility."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from app.main import periodic_jobs
from app.settings import Settings
from models.conversation import Attachment, Comment
from models.enums import CommentKind
from schema.ids import encode
from services.authentication import revoke
from services.storage import storage
from tests.api import TEST_SECRET_KEY, UPLOAD, Api, get, upload, uploaded
from tests.clock import frozen_at
from tests.factories import make_world
from tests.support.conversation import note, reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 200


async def test_an_upload_is_sniffed_renamed_safely_and_attached_to_a_reply(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    attachment = await uploaded(api, world.technician_token, "../../etc/screen: shot*.html", PNG)
    assert (attachment["filename"], attachment["contentType"], attachment["size"]) == (
        "screen_ shot_.html",
        "image/png",
        len(PNG),
    )
    result = await reply(api, world.technician_token, ticket, attachmentIds=[attachment["id"]])
    assert result["__typename"] == "AddCommentSuccess"
    stored = await Attachment.get(id=(await Comment.get(ticket_id=ticket.id)).id)
    assert stored.comment_id is not None
    response = await get(api, attachment["downloadUrl"])  # the signed link needs no header
    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        response.headers["content-disposition"]
        == "inline; filename=\"screen_ shot_.html\"; filename*=UTF-8''screen_%20shot_.html"
    )


async def test_uploads_need_the_preflight_header(api: Api) -> None:
    world = await make_world()
    response = await upload(api, world.technician_token, "a.txt", b"hello", preflight=False)
    assert response.status_code == 400
    assert "GraphQL-Preflight" in response.json()["errors"][0]["message"]
    assert await Attachment.all().count() == 0


async def test_a_file_sent_as_a_json_value_gets_a_validation_error(api: Api) -> None:
    """Found by tests/test_fuzz.py: a string where the multipart file belongs was a masked crash."""
    world = await make_world()
    for value in ("report.pdf", 42, {"name": "report.pdf"}):
        result = await api.data(UPLOAD, {"file": value}, token=world.technician_token)
        assert result["uploadAttachment"] == {
            "__typename": "ValidationError",
            "fields": [{"field": "file", "message": "Send a file, in a GraphQL multipart request."}],
        }
    assert await Attachment.all().count() == 0


async def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(db: Any) -> None:
    small = Api(db, max_attachment_bytes=1000)
    world = await make_world()
    response = await upload(small, world.technician_token, "big.bin", b"x" * 1500)
    result = response.json()["data"]["uploadAttachment"]
    assert result == {
        "__typename": "ValidationError",
        "fields": [{"field": "file", "message": "Files are limited to 1000 bytes."}],
    }
    huge = await upload(small, world.technician_token, "huge.bin", b"x" * 1_100_000)
    assert huge.status_code == 413
    assert await Attachment.all().count() == 0


async def test_attaching_someone_elses_used_or_too_many_bytes_is_refused(db: Any) -> None:
    api = Api(db, max_comment_attachment_bytes=600)
    world = await make_world()
    other = await make_world("Globex MSP")
    ticket = await world.ticket()
    mine = await uploaded(api, world.technician_token, "a.txt", b"a" * 400)
    second = await uploaded(api, world.technician_token, "b.txt", b"b" * 400)
    admins = await uploaded(api, world.admin_token, "c.txt", b"c" * 10)
    foreign = await uploaded(api, other.technician_token, "d.txt", b"d" * 10)
    for ids, typename in (
        ([admins["id"]], "NotFoundError"),  # a colleague's upload is theirs alone until attached
        ([foreign["id"]], "NotFoundError"),
        ([mine["id"], second["id"]], "ValidationError"),
    ):
        result = await reply(api, world.technician_token, ticket, attachmentIds=ids)
        assert result["__typename"] == typename, result
    assert await Comment.filter(ticket_id=ticket.id).count() == 0
    assert (await reply(api, world.technician_token, ticket, attachmentIds=[mine["id"]]))[
        "__typename"
    ] == "AddCommentSuccess"
    used = await reply(api, world.technician_token, ticket, attachmentIds=[mine["id"]])
    assert used["fields"] == [
        {"field": "attachmentIds", "message": "a.txt is attached to another comment already."}
    ]


async def test_an_end_user_cannot_fetch_a_notes_attachment_by_any_means(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    public = await uploaded(api, world.technician_token, "invoice.pdf", b"%PDF-1.7\n" + b"0" * 100)
    secret = await uploaded(api, world.technician_token, "passwords.txt", b"admin: hunter2")
    await reply(api, world.technician_token, ticket, attachmentIds=[public["id"]])
    await note(api, world.technician_token, ticket, attachmentIds=[secret["id"]])
    secret_path = f"/attachments/{secret['id']}/passwords.txt"
    assert (await get(api, secret_path, world.technician_token)).status_code == 200
    for attempt in (
        await get(api, secret_path, world.requester_token),
        await get(api, secret_path),
        await get(
            api, secret_path + "?" + secret["downloadUrl"].split("?")[1].replace("signature=", "signature=0")
        ),
    ):
        assert attempt.status_code == 404
        assert "hunter2" not in attempt.text
    public_path = f"/attachments/{public['id']}/invoice.pdf"
    response = await get(api, public_path, world.requester_token)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert (await get(api, public_path, world.other_requester_token)).status_code == 404
    data = await api.data(
        "query($id: ID!) { ticket(id: $id) { conversation { edges { node { attachments { filename downloadUrl } } } } } }",
        {"id": encode("Ticket", ticket.id)},
        token=world.requester_token,
    )
    files = [a for e in data["ticket"]["conversation"]["edges"] for a in e["node"]["attachments"]]
    assert [f["filename"] for f in files] == ["invoice.pdf"]
    assert (await get(api, files[0]["downloadUrl"])).status_code == 200


async def test_a_signed_link_dies_with_its_token_and_its_expiry(api: Api) -> None:
    from datetime import UTC, datetime, timedelta

    world = await make_world()
    ticket = await world.ticket()
    with frozen_at(datetime(2026, 11, 30, 8, tzinfo=UTC)) as clock:
        attachment = await uploaded(api, world.technician_token, "a.txt", b"hello")
        await reply(api, world.technician_token, ticket, attachmentIds=[attachment["id"]])
        link = attachment["downloadUrl"]
        assert (await get(api, link)).status_code == 200
        clock.advance(seconds=3600 + 600)
        assert (await get(api, link)).status_code == 404
        clock.advance(seconds=-(3600 + 600))
        assert (await get(api, link)).status_code == 200
        await revoke(int(link.split("token=")[1].split("&")[0]))
        assert (await get(api, link)).status_code == 404
    assert timedelta


async def test_a_signature_that_is_not_hex_is_the_same_404_as_a_wrong_one(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    attachment = await uploaded(api, world.technician_token, "a.txt", b"hello")
    await reply(api, world.technician_token, ticket, attachmentIds=[attachment["id"]])
    path, query = attachment["downloadUrl"].split("?")
    good = query.split("signature=")[1]
    assert (await get(api, f"{path}?{query}")).status_code == 200
    for signature in ("\u00e9" * len(good), "\u00e9" + good[1:], "%00" + good[1:], "", "0" * 10_000):
        forged = query.replace(f"signature={good}", f"signature={quote(signature, safe='%')}")
        response = await get(api, f"{path}?{forged}")
        assert (response.status_code, response.json()) == (404, {"error": "not found"}), signature


async def test_an_end_user_never_sees_who_was_mentioned_in_a_note(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    await note(
        api, world.admin_token, ticket, mentionTechnicianIds=[encode("Technician", world.technician.id)]
    )
    await reply(api, world.technician_token, ticket)
    data = await api.data(
        "query($id: ID!) { ticket(id: $id) { followers { name } conversation { edges { node { kind mentions { name } } } } } }",
        {"id": encode("Ticket", ticket.id)},
        token=world.requester_token,
    )
    assert data["ticket"]["followers"] == []
    assert data["ticket"]["conversation"]["edges"] == [{"node": {"kind": "PUBLIC_REPLY", "mentions": []}}]
    assert await Comment.filter(ticket_id=ticket.id, kind=CommentKind.INTERNAL_NOTE).count() == 1


def test_content_disposition_keeps_unicode_names_and_cannot_be_broken_out_of() -> None:
    from app.downloads import content_disposition

    header = content_disposition('rapport "final"; été.pdf', inline=False)
    assert (
        header
        == "attachment; filename=\"rapport _final__ _t_.pdf\"; filename*=UTF-8''rapport%20%22final%22%3B%20%C3%A9t%C3%A9.pdf"
    )


async def test_bidirectional_controls_are_dropped_from_file_names(api: Api) -> None:
    """U+202E (right-to-left override) made ``\u202eexe.txt`` show as ``txt.exe``."""
    world = await make_world()
    for sent, kept in (
        ("\u202eexe.txt", "exe.txt"),
        ("report\u202egpj.exe", "reportgpj.exe"),
        ("\u2067invoice\u2069\u200f.pdf\u061c\u200e", "invoice.pdf"),
        ("\u202a\u202b\u202c\u202d\u2066\u2068", "attachment"),
        ("שלום.txt", "שלום.txt"),
    ):
        attachment = await uploaded(api, world.technician_token, sent, b"hello")
        assert attachment["filename"] == kept


def _unique(size: int) -> bytes:
    """Content no other test uploads (files are kept by their SHA-256)."""
    return (uuid.uuid4().hex * (size // 32 + 1)).encode()[:size]


async def _file_kept(content: bytes) -> bool:
    try:
        async for _ in storage().read(hashlib.sha256(content).hexdigest()):
            pass
    except FileNotFoundError:
        return False
    return True


async def test_uploads_never_attached_are_removed_with_their_files_after_the_set_time(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    forgotten, shared, recent = _unique(300), _unique(300), _unique(300)
    settings = Settings(secret_key=TEST_SECRET_KEY, unclaimed_upload_seconds=3600)
    [purge] = [job for job in periodic_jobs(settings) if job.name == "purge-unclaimed-uploads"]
    with frozen_at(datetime(2026, 11, 30, 8, tzinfo=UTC)) as clock:
        await uploaded(api, world.technician_token, "forgotten.txt", forgotten)
        attached = await uploaded(api, world.technician_token, "attached.txt", shared)
        same_bytes = await uploaded(api, world.requester_token, "same.txt", shared)
        await reply(api, world.technician_token, ticket, attachmentIds=[attached["id"]])
        clock.advance(seconds=3000)
        await uploaded(api, world.technician_token, "recent.txt", recent)
        await purge.run()
        assert await Attachment.all().count() == 4, "nothing unattached is an hour old yet"
        clock.advance(seconds=601)
        await purge.run()
        assert sorted(await Attachment.all().values_list("filename", flat=True)) == [
            "attached.txt",
            "recent.txt",
        ]
        assert not await _file_kept(forgotten)
        assert await _file_kept(shared), "a file an attachment still uses is kept"
        assert await _file_kept(recent)
        late = await reply(api, world.requester_token, ticket, attachmentIds=[same_bytes["id"]])
        assert late["__typename"] == "NotFoundError"


QUOTA_ERROR = "Your uploads not attached to a comment come to {total} bytes; with this file they would pass the limit of {limit}. Attach them, or wait until they are removed."


async def test_the_bytes_of_uploads_not_attached_yet_are_limited_per_person(db: Any) -> None:
    api = Api(db, max_unclaimed_upload_bytes=1000)
    world = await make_world()
    ticket = await world.ticket()
    first = await uploaded(api, world.technician_token, "first.txt", _unique(600))
    refused_content = _unique(600)
    refused = (await upload(api, world.technician_token, "second.txt", refused_content)).json()
    assert refused["data"]["uploadAttachment"] == {
        "__typename": "ValidationError",
        "fields": [{"field": "file", "message": QUOTA_ERROR.format(total=600, limit=1000)}],
    }
    assert await Attachment.all().count() == 1
    assert not await _file_kept(refused_content), "nothing of a refused upload is kept"
    await uploaded(api, world.admin_token, "colleague.txt", _unique(600))
    await reply(api, world.technician_token, ticket, attachmentIds=[first["id"]])
    await uploaded(api, world.technician_token, "second.txt", refused_content)


async def test_uploads_sent_at_once_stay_within_the_limit_of_bytes_not_attached(db: Any) -> None:
    api = Api(db, max_unclaimed_upload_bytes=1000)
    world = await make_world()
    contents = [_unique(300) for _ in range(6)]
    answers = await asyncio.gather(
        *[upload(api, world.technician_token, f"{n}.txt", content) for n, content in enumerate(contents)]
    )
    kinds = [answer.json()["data"]["uploadAttachment"]["__typename"] for answer in answers]
    assert sorted(kinds) == ["UploadAttachmentSuccess"] * 3 + ["ValidationError"] * 3
    assert await Attachment.all().count() == 3
    assert sum([await _file_kept(content) for content in contents]) == 3
