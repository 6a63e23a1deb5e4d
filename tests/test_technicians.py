"""An admin changes a technician's role or deactivates them: admins only, within the account, never
leaving the account without an active admin, and effective from the next request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from models.accounts import Technician
from models.auth import ApiToken
from models.enums import Role
from schema.ids import encode
from services import consumers
from services.events import Event
from tests.api import Api
from tests.factories import make_world

UPDATE = """mutation($input: UpdateTechnicianInput!) { updateTechnician(input: $input) { __typename
  ... on UpdateTechnicianSuccess { technician { id role active } }
  ... on Error { message code } ... on ValidationError { fields { field message } } } }"""
CREATE = (
    """mutation { createTechnician(input: {name: "Nina New", email: "nina.new@acme.test"}) { __typename } }"""
)
VIEWER = "{ viewer { technician { name } } }"


def update(technician: Technician, **change: Any) -> dict[str, Any]:
    return {"input": {"technicianId": encode("Technician", technician.id), **change}}


async def test_an_admin_promotes_demotes_deactivates_and_reactivates_a_technician(api: Api) -> None:
    world = await make_world()
    tom = world.technician
    promoted = await api.data(UPDATE, update(tom, role="ADMIN"), token=world.admin_token)
    assert promoted["updateTechnician"]["technician"]["role"] == "ADMIN"
    # The new role applies from the next request of tokens issued before the change.
    created = await api.data(CREATE, token=world.technician_token)
    assert created["createTechnician"]["__typename"] == "CreateTechnicianSuccess"
    demoted = await api.data(UPDATE, update(tom, role="TECHNICIAN"), token=world.admin_token)
    assert demoted["updateTechnician"]["technician"] == {
        "id": encode("Technician", tom.id),
        "role": "TECHNICIAN",
        "active": True,
    }
    refused = await api.data(CREATE, token=world.technician_token)
    assert refused["createTechnician"]["__typename"] == "PermissionDeniedError"

    off = await api.data(UPDATE, update(tom, active=False), token=world.admin_token)
    assert off["updateTechnician"]["technician"]["active"] is False
    [error] = await api.errors(VIEWER, token=world.technician_token)
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert "deactivated" in error["message"]
    on = await api.data(UPDATE, update(tom, active=True), token=world.admin_token)
    assert on["updateTechnician"]["technician"]["active"] is True
    # Deactivating revoked the tokens: reactivated, Tom signs in again; the old token stays dead.
    [error] = await api.errors(VIEWER, token=world.technician_token)
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert await ApiToken.filter(technician_id=tom.id, revoked_at__isnull=True).count() == 0


async def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(api: Api) -> None:
    world = await make_world()
    admin = world.admin
    for change, field in (({"role": "TECHNICIAN"}, "role"), ({"active": False}, "active")):
        answer = await api.data(UPDATE, update(admin, **change), token=world.admin_token)
        assert answer["updateTechnician"]["__typename"] == "ValidationError"
        assert [f["field"] for f in answer["updateTechnician"]["fields"]] == [field]
    both = await api.data(UPDATE, update(admin, role="TECHNICIAN", active=False), token=world.admin_token)
    assert [f["field"] for f in both["updateTechnician"]["fields"]] == ["active"]
    row = await Technician.get(id=admin.id)
    assert (row.role, row.active) == (Role.ADMIN, True)

    # An inactive admin does not count: promote Tom, deactivate him, and Ada is the last active one again.
    await api.data(UPDATE, update(world.technician, role="ADMIN"), token=world.admin_token)
    await api.data(UPDATE, update(world.technician, active=False), token=world.admin_token)
    alone = await api.data(UPDATE, update(admin, active=False), token=world.admin_token)
    assert alone["updateTechnician"]["__typename"] == "ValidationError"
    # With another active admin, Ada may step down: herself, from her own token.
    await api.data(UPDATE, update(world.technician, active=True), token=world.admin_token)
    stepped = await api.data(UPDATE, update(admin, role="TECHNICIAN"), token=world.admin_token)
    assert stepped["updateTechnician"]["technician"]["role"] == "TECHNICIAN"


async def test_only_admins_of_the_same_account_change_technicians(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex Support")
    as_technician = await api.data(
        UPDATE, update(world.admin, role="TECHNICIAN"), token=world.technician_token
    )
    assert as_technician["updateTechnician"]["__typename"] == "PermissionDeniedError"
    as_requester = await api.data(UPDATE, update(world.technician, active=False), token=world.requester_token)
    assert as_requester["updateTechnician"]["__typename"] == "PermissionDeniedError"
    across = await api.data(UPDATE, update(other.technician, active=False), token=world.admin_token)
    assert across["updateTechnician"] == {
        "__typename": "NotFoundError",
        "message": across["updateTechnician"]["message"],
        "code": "NOT_FOUND",
    }
    missing = await api.data(
        UPDATE,
        {"input": {"technicianId": encode("Technician", 10**9), "active": False}},
        token=world.admin_token,
    )
    assert missing["updateTechnician"]["__typename"] == "NotFoundError"
    # An id of another type is a validation error of the field, not a lookup.
    mistyped = await api.data(
        UPDATE, {"input": {"technicianId": encode("Requester", world.requester.id)}}, token=world.admin_token
    )
    assert [f["field"] for f in mistyped["updateTechnician"]["fields"]] == ["technicianId"]
    rows = await Technician.filter(id__in=[world.admin.id, other.technician.id]).values_list("active", "role")
    assert sorted(rows) == [(True, Role.ADMIN), (True, Role.TECHNICIAN)]


async def test_a_change_of_role_or_activity_announces_that_the_technicians_credentials_changed(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After commit, as logout does: every server process then checks that technician's websockets again
    (tests/test_realtime_workers.py shows them ended on every worker)."""
    world = await make_world()
    announced: list[Event] = []

    async def hear(events: Sequence[Event]) -> None:
        announced.extend(events)

    monkeypatch.setattr(consumers, "_registered", {})
    consumers.register("hear", after_commit=hear)
    await api.data(UPDATE, update(world.technician, role="TECHNICIAN"), token=world.admin_token)  # no change
    await api.data(UPDATE, update(world.admin, active=False), token=world.admin_token)  # refused
    await api.data(UPDATE, update(world.technician, active=False), token=world.admin_token)
    await api.data(UPDATE, update(world.technician, role="ADMIN"), token=world.admin_token)
    changed = [(e.type, e.ids) for e in announced if e.type == "credentials.changed"]
    assert changed == [("credentials.changed", {"technician": world.technician.id})] * 2
