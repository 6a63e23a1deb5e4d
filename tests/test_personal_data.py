"""Personal data on request: an admin (or the operator's command line) exports everything about a person."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.database import Database
from models.conversation import Attachment
from models.enums import CommentKind
from models.people import SatisfactionSurvey
from services import time_entries
from tests.api import Api
from tests.factories import World, add_comment, as_viewer, make_world
from tests.servers import deskql, environment, migrate

EXPORT = """mutation($email: String!) { exportPerson(input: {email: $email}) { __typename
  ... on ExportPersonSuccess { email document }
  ... on Error { message code }
  ... on ValidationError { fields { field message } } } }"""


async def _export(api: Api, token: str, email: str) -> dict[str, Any]:
    result: dict[str, Any] = (await api.data(EXPORT, {"email": email}, token))["exportPerson"]
    return result


async def _requester_with_history(world: World) -> None:
    ticket = await world.ticket("VPN drops every hour", requester_id=world.requester.id)
    comment = await add_comment(ticket, world.requester, body="It dropped again at 10:05.")
    await Attachment.create(
        account_id=world.account.id,
        comment_id=comment.id,
        uploaded_by_requester_id=world.requester.id,
        filename="vpn-log.txt",
        content_type="text/plain",
        size=12,
        sha256="a" * 64,
    )
    await add_comment(ticket, world.technician, CommentKind.INTERNAL_NOTE, body="Checking the concentrator.")
    await SatisfactionSurvey.create(
        account_id=world.account.id,
        requester_id=world.requester.id,
        ticket_id=ticket.id,
        support_quality=4,
        technician_knowledge=5,
        overall_helpfulness=3,
        comment="Quick, thanks.",
    )
    await time_entries.add(
        as_viewer(world.technician), ticket.id, duration_minutes=25, description="Replaced the VPN profile"
    )


async def test_an_admin_exports_a_requesters_tickets_comments_attachments_and_surveys(
    db: Database, api: Api
) -> None:
    world = await make_world()
    await _requester_with_history(world)
    result = await _export(api, world.admin_token, world.requester.email.upper())
    assert result["__typename"] == "ExportPersonSuccess"
    assert result["email"] == world.requester.email
    [person] = result["document"]["people"]
    assert person["kind"] == "requester"
    assert person["account"] == {"id": world.account.id, "name": world.account.name}
    assert person["profile"]["name"] == "Rita Requester"
    assert person["profile"]["email"] == world.requester.email
    [ticket] = person["tickets"]
    assert ticket["title"] == "VPN drops every hour"
    assert [c["text"] for c in person["comments"]] == ["It dropped again at 10:05."]
    assert person["comments"][0]["ticketNumber"] == ticket["number"]
    [attachment] = person["attachments"]
    assert attachment["filename"] == "vpn-log.txt"
    assert attachment["ticketNumber"] == ticket["number"]
    [survey] = person["surveys"]
    assert (survey["supportQuality"], survey["comment"], survey["ticketNumber"]) == (
        4,
        "Quick, thanks.",
        ticket["number"],
    )
    assert person["timeEntries"] == []
    assert "Checking the concentrator." not in json.dumps(result["document"])


async def test_a_technicians_export_has_their_notes_assigned_tickets_and_time_entries(
    db: Database, api: Api
) -> None:
    world = await make_world()
    await _requester_with_history(world)
    await world.ticket("New laptop for Otto", assignee_id=world.technician.id)
    result = await _export(api, world.admin_token, world.technician.email)
    [person] = result["document"]["people"]
    assert person["kind"] == "technician"
    assert person["profile"]["role"] == "TECHNICIAN"
    assert [t["title"] for t in person["tickets"]] == ["New laptop for Otto"]
    assert [(c["kind"], c["text"]) for c in person["comments"]] == [
        ("INTERNAL_NOTE", "Checking the concentrator.")
    ]
    [entry] = person["timeEntries"]
    assert (entry["durationSeconds"], entry["description"]) == (25 * 60, "Replaced the VPN profile")
    assert person["surveys"] == []


async def test_only_admins_export_and_only_people_of_their_own_account(db: Database, api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex IT")
    denied = await _export(api, world.technician_token, world.requester.email)
    assert (denied["__typename"], denied["code"]) == ("PermissionDeniedError", "PERMISSION_DENIED")
    for email in (other.requester.email, other.technician.email, "nobody@client.test"):
        missing = await _export(api, world.admin_token, email)
        assert missing["__typename"] == "NotFoundError", missing
        assert other.requester.name not in json.dumps(missing)
    invalid = await _export(api, world.admin_token, "not an email")
    assert invalid["__typename"] == "ValidationError"
    assert [f["field"] for f in invalid["fields"]] == ["email"]


def test_the_command_line_exports_a_person_to_a_file_and_names_an_unknown_email(tmp_path: Path) -> None:
    env = environment(database_url=f"sqlite://{tmp_path}/deskql.sqlite3")
    migrate(env, tmp_path)
    created = deskql(
        "create-account",
        "--name",
        "Initech",
        "--admin-name",
        "Bill Lumbergh",
        "--admin-email",
        "bill@initech.test",
        env=env,
        cwd=tmp_path,
    )
    assert created.returncode == 0, created.stderr
    done = deskql(
        "export-person", "--email", "Bill@Initech.test", "--output", "bill.json", env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "deskql: bill@initech.test exported to bill.json."
    document = json.loads((tmp_path / "bill.json").read_text())
    [person] = document["people"]
    assert (person["kind"], person["profile"]["name"], person["account"]["name"]) == (
        "technician",
        "Bill Lumbergh",
        "Initech",
    )
    printed = deskql("export-person", "--email", "bill@initech.test", env=env, cwd=tmp_path)
    assert json.loads(printed.stdout)["people"] == document["people"]
    unknown = deskql("export-person", "--email", "nobody@initech.test", env=env, cwd=tmp_path)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "deskql: --email: no requester or technician has this email."
    wrong = deskql("export-person", "--email", "nobody", env=env, cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.strip().startswith("deskql: --email: ")


@pytest.mark.parametrize("email", ["", "   "])
async def test_an_empty_email_is_a_validation_error_naming_the_field(
    db: Database, api: Api, email: str
) -> None:
    world = await make_world()
    result = await _export(api, world.admin_token, email)
    assert result["__typename"] == "ValidationError"
    assert [f["field"] for f in result["fields"]] == ["email"]
