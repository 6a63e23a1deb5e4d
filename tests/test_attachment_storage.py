"""Attachment storage backends (a folder, the database, S3 against a real S3 API server) and moving the
files between them with `deskql move-attachments`."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.database import Database
from app.settings import Settings, SettingsError, load_settings
from integrations.database_storage import DatabaseStorage
from integrations.s3_storage import S3Location, S3Storage
from integrations.storage import LocalDirectoryStorage
from models.clock import utcnow
from models.conversation import Attachment
from models.files import FileContent
from schema.ids import encode
from services.file_moves import move_files
from services.storage import FileTooLarge, storage
from services.ticket_lifecycle import purge_deleted
from tests.api import TEST_SECRET_KEY, Api, get, uploaded
from tests.factories import make_world
from tests.s3server import REGION, S3Server, s3_server
from tests.servers import deskql, environment
from tests.support.conversation import reply

DELETE_TICKET = "mutation($id: ID!) { deleteTicket(input: {ticketId: $id}) { __typename } }"


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


def _unique(size: int) -> bytes:
    """Content no other test uploads (files are kept by their SHA-256)."""
    return (uuid.uuid4().hex * (size // 32 + 1)).encode()[:size]


def _storage_settings(kind: str, s3: S3Server, tmp_path: Path) -> dict[str, Any]:
    if kind == "s3":
        return {"attachments_storage": "s3", **s3.settings(s3.new_bucket())}
    return {"attachments_storage": kind, "attachments_dir": tmp_path / "files"}


@pytest.mark.parametrize("kind", ["folder", "database", "s3"])
async def test_a_file_goes_up_comes_down_and_is_removed_with_its_ticket(
    kind: str, db: Database, s3: S3Server, tmp_path: Path
) -> None:
    settings = _storage_settings(kind, s3, tmp_path)
    api = Api(db, **settings)
    world = await make_world()
    ticket = await world.ticket()
    content = _unique(9 * 1024 * 1024)  # more than one part of an S3 multipart upload
    sha256 = hashlib.sha256(content).hexdigest()
    attachment = await uploaded(api, world.technician_token, "dump.log", content)
    assert (await reply(api, world.technician_token, ticket, attachmentIds=[attachment["id"]]))[
        "__typename"
    ] == "AddCommentSuccess"
    assert await storage().exists(sha256)
    if kind == "folder":
        assert (tmp_path / "files" / sha256[:2] / sha256[2:4] / sha256).read_bytes() == content
    elif kind == "database":
        assert (await FileContent.get(sha256=sha256)).size == len(content)
    else:
        assert s3.keys(settings["s3_bucket"]) == [sha256], "the part upload's own key is gone"
        assert s3.unfinished_uploads(settings["s3_bucket"]) == []
    response = await get(api, attachment["downloadUrl"])
    assert response.status_code == 200
    assert response.content == content

    deleted = await api.data(DELETE_TICKET, {"id": encode("Ticket", ticket.id)}, world.technician_token)
    assert deleted["deleteTicket"]["__typename"] == "DeleteSuccess"
    assert await purge_deleted(now=utcnow() + timedelta(days=400)) == 1
    assert not await storage().exists(sha256)
    assert await Attachment.all().count() == 0
    if kind == "s3":
        assert s3.keys(settings["s3_bucket"]) == []
    with pytest.raises(FileNotFoundError):
        async for _ in storage().read(sha256):
            pass


async def test_a_file_over_the_limit_leaves_nothing_in_the_bucket(s3: S3Server) -> None:
    bucket = s3.new_bucket()
    location = S3Location(
        bucket=bucket,
        endpoint_url=s3.endpoint_url,
        region=REGION,
        access_key_id=s3.settings(bucket)["s3_access_key_id"],
        secret_access_key=s3.settings(bucket)["s3_secret_access_key"],
    )

    async def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 1024 * 1024

    with pytest.raises(FileTooLarge):
        await S3Storage(location).save(chunks(), 17 * 1024 * 1024)
    assert s3.keys(bucket) == []
    assert s3.unfinished_uploads(bucket) == []


def test_the_storage_defaults_to_the_database_on_postgresql_and_s3_needs_a_bucket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().attachment_storage == "folder"
    postgres = Settings(database_url="postgres://deskql@db/deskql", secret_key=TEST_SECRET_KEY)
    assert postgres.attachment_storage == "database"
    monkeypatch.setenv("DESKQL_ATTACHMENTS_STORAGE", "s3")
    with pytest.raises(SettingsError, match=r"^DESKQL_ATTACHMENTS_STORAGE=s3 needs DESKQL_S3_BUCKET$"):
        load_settings()
    monkeypatch.setenv("DESKQL_ATTACHMENTS_STORAGE", "disk")
    with pytest.raises(SettingsError, match=r"^DESKQL_ATTACHMENTS_STORAGE: "):
        load_settings()


def _move(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str]:
    done = deskql("move-attachments", *args, env=env, cwd=cwd)
    return done.returncode, done.stdout + done.stderr


# The command reads which files the database refers to (two queries, the same on both databases) and moves
# them between a folder and S3: SQLite would repeat the same work (three `deskql` runs and 9 MiB).
@pytest.mark.one_database
async def test_move_attachments_moves_every_file_checks_it_and_picks_up_where_it_stopped(
    db: Database, s3: S3Server, tmp_path: Path
) -> None:
    bucket = s3.new_bucket()
    folder = tmp_path / "files"
    api = Api(db, attachments_storage="folder", attachments_dir=folder)
    world = await make_world()
    contents = [_unique(size) for size in (100, 5000, 9 * 1024 * 1024)]
    attachments = [
        await uploaded(api, world.technician_token, f"file-{number}.bin", content)
        for number, content in enumerate(contents)
    ]
    digests = [hashlib.sha256(content).hexdigest() for content in contents]
    paths = [folder / sha[:2] / sha[2:4] / sha for sha in digests]
    paths[1].write_bytes(b"rotten" + contents[1][6:])  # a file whose bytes went bad on the disk
    env = environment(
        database_url=db.url,
        secret_key=TEST_SECRET_KEY,
        attachments_storage="folder",
        attachments_dir=str(folder),
        **s3.settings(bucket),
    )

    code, output = _move(env, tmp_path, "--to", "s3")
    assert code == 1, output
    assert f"{digests[1]} the source's bytes have the SHA-256" in output
    assert "2 files moved from folder to s3 (checksums verified), 0 moved before, 1 failed." in output
    assert s3.keys(bucket) == sorted([digests[0], digests[2]])
    assert [path.exists() for path in paths] == [False, True, False], "a file that failed stays"
    assert s3.settings(bucket)["s3_secret_access_key"] not in output

    paths[1].write_bytes(contents[1])  # repaired
    code, output = _move(env, tmp_path, "--to", "s3")
    assert code == 0, output
    assert "1 files moved from folder to s3 (checksums verified), 2 moved before, 0 failed." in output
    code, output = _move(env, tmp_path, "--to", "s3")
    assert (code, output.strip()) == (
        0,
        "deskql: 0 files moved from folder to s3 (checksums verified), 3 moved before, 0 failed.",
    )
    assert s3.keys(bucket) == sorted(digests)

    served_from_s3 = Api(db, attachments_storage="s3", **s3.settings(bucket))
    for attachment, content in zip(attachments, contents, strict=True):
        await _download_as_uploader(served_from_s3, world.technician_token, attachment, content)

    env["DESKQL_ATTACHMENTS_STORAGE"] = "s3"  # switched over; and back into the database
    code, output = _move(env, tmp_path, "--to", "database")
    assert code == 0, output
    assert "3 files moved from s3 to database" in output
    assert s3.keys(bucket) == []
    assert sorted(await FileContent.all().values_list("sha256", flat=True)) == sorted(digests)
    served_from_database = Api(db, attachments_storage="database")
    for attachment, content in zip(attachments, contents, strict=True):
        await _download_as_uploader(served_from_database, world.technician_token, attachment, content)

    code, output = _move(env, tmp_path, "--to", "s3")
    assert code == 2, output
    assert "--to: the files are in s3 already" in output


async def _download_as_uploader(api: Api, token: str, attachment: dict[str, Any], content: bytes) -> None:
    response = await get(api, attachment["downloadUrl"], token)
    assert response.status_code == 200, response.text
    assert response.content == content


async def test_a_file_copied_by_a_run_stopped_before_it_removed_the_source_is_checked_and_removed(
    db: Database, tmp_path: Path
) -> None:
    folder, database = LocalDirectoryStorage(tmp_path / "files"), DatabaseStorage()
    api = Api(db, attachments_storage="folder", attachments_dir=tmp_path / "files")
    world = await make_world()
    content = _unique(3000)
    await uploaded(api, world.technician_token, "both.txt", content)
    sha256 = hashlib.sha256(content).hexdigest()
    await database.save(_one(content), len(content))  # the copy a stopped run left behind
    report = await move_files(folder, database)
    assert (report.moved, report.already_moved, report.failed) == (1, 0, {})
    assert not await folder.exists(sha256)
    await FileContent.filter(sha256=sha256).update(content=b"rotten")
    report = await move_files(database, folder)
    assert report.failed == {
        sha256: f"the source's bytes have the SHA-256 {hashlib.sha256(b'rotten').hexdigest()}"
    }
    assert await database.exists(sha256)
    assert not await folder.exists(sha256), "nothing of a file whose bytes went bad is kept in the target"


async def _one(content: bytes) -> AsyncIterator[bytes]:
    yield content
