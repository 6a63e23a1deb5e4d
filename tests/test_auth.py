"""Bearer tokens, login and logout. A request without a usable token reaches nothing but `login`."""

from __future__ import annotations

import pytest

from models.accounts import Technician
from services.authentication import hash_password
from tests.api import Api
from tests.factories import make_world

VIEWER = "{ viewer { technician { name } requester { name } account { name } } }"
LOGIN = """mutation($input: LoginInput!) { login(input: $input) { __typename
  ... on LoginSuccess { token viewer { technician { name } requester { name } } }
  ... on Error { message code } ... on ValidationError { fields { field message } } } }"""


async def _unauthenticated(api: Api, token: str | None = None, header: str | None = None) -> str:
    headers = {"Authorization": header} if header is not None else {}
    response = await api.post(VIEWER, token=token, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    return str(error["message"])


async def test_a_request_without_a_token_is_unauthenticated(api: Api) -> None:
    assert "Authorization: Bearer" in await _unauthenticated(api)


async def test_a_malformed_header_says_what_is_expected(api: Api) -> None:
    assert "expected 'Bearer <token>'" in await _unauthenticated(api, header="Token abc")
    assert "start with 'dq_'" in await _unauthenticated(api, header="Bearer abc")


async def test_an_unknown_token_is_unauthenticated(api: Api) -> None:
    await make_world()
    assert await _unauthenticated(api, token="dq_" + "x" * 43) == "Unknown bearer token."


async def test_a_revoked_token_says_so(api: Api) -> None:
    world = await make_world()
    data = await api.data("mutation { logout { revoked } }", token=world.technician_token)
    assert data == {"logout": {"revoked": 1}}
    assert await _unauthenticated(api, token=world.technician_token) == "This token has been revoked."


async def test_a_deactivated_technicians_token_stops_working(api: Api) -> None:
    world = await make_world()
    await Technician.filter(id=world.technician.id).update(active=False)
    assert "deactivated" in await _unauthenticated(api, token=world.technician_token)


async def test_a_token_reads_as_its_owner(api: Api) -> None:
    world = await make_world()
    assert await api.data(VIEWER, token=world.technician_token) == {
        "viewer": {"technician": {"name": "Tom Tech"}, "requester": None, "account": {"name": "Acme IT"}}
    }
    assert await api.data(VIEWER, token=world.requester_token) == {
        "viewer": {
            "technician": None,
            "requester": {"name": "Rita Requester"},
            "account": {"name": "Acme IT"},
        }
    }


async def test_login_returns_a_working_token_and_logout_ends_it(api: Api) -> None:
    world = await make_world()
    await Technician.filter(id=world.technician.id).update(
        password_hash=await hash_password("correct horse battery")
    )
    data = await api.data(
        LOGIN, {"input": {"email": world.technician.email.upper(), "password": "correct horse battery"}}
    )
    assert data["login"]["__typename"] == "LoginSuccess"
    assert data["login"]["viewer"]["technician"] == {"name": "Tom Tech"}
    token = data["login"]["token"]
    assert (await api.data(VIEWER, token=token))["viewer"]["technician"] == {"name": "Tom Tech"}
    await api.data("mutation { logout { revoked } }", token=token)
    await _unauthenticated(api, token=token)


async def test_a_requester_logs_in_to_the_portal(api: Api) -> None:
    from models.people import Requester

    world = await make_world()
    await Requester.filter(id=world.requester.id).update(password_hash=await hash_password("portal password"))
    data = await api.data(LOGIN, {"input": {"email": world.requester.email, "password": "portal password"}})
    assert data["login"]["viewer"]["requester"] == {"name": "Rita Requester"}


@pytest.mark.parametrize(
    ("email", "password"),
    [("tom1@acme.test", "wrong password!"), ("nobody@acme.test", "correct horse battery")],
)
async def test_wrong_email_and_wrong_password_get_the_same_answer(
    api: Api, email: str, password: str
) -> None:
    world = await make_world()
    await Technician.filter(id=world.technician.id).update(
        email="tom1@acme.test", password_hash=await hash_password("correct horse battery")
    )
    data = await api.data(LOGIN, {"input": {"email": email, "password": password}})
    assert data["login"] == {
        "__typename": "InvalidCredentialsError",
        "message": "Wrong email or password.",
        "code": "INVALID_CREDENTIALS",
    }


async def test_login_with_empty_fields_names_them(api: Api) -> None:
    data = await api.data(LOGIN, {"input": {"email": " ", "password": ""}})
    assert data["login"]["__typename"] == "ValidationError"
    assert {f["field"] for f in data["login"]["fields"]} == {"email", "password"}


async def test_login_with_an_address_longer_than_any_account_gets_a_validation_error(api: Api) -> None:
    """Found by tests/test_fuzz.py: the lookup refused it (max_length), a masked INTERNAL_SERVER_ERROR."""
    data = await api.data(LOGIN, {"input": {"email": "x" * 250 + "@a.io", "password": "correct horse"}})
    assert data["login"]["__typename"] == "ValidationError"
    assert [f["field"] for f in data["login"]["fields"]] == ["email"]


async def test_logout_of_all_sessions_revokes_every_interactive_token(api: Api) -> None:
    from services.authentication import issue_token

    world = await make_world()
    second = await issue_token(world.technician, interactive=True)
    integration = await issue_token(world.technician, interactive=False)
    data = await api.data(
        "mutation { logout(input: {allSessions: true}) { revoked } }", token=world.technician_token
    )
    assert data == {"logout": {"revoked": 2}}
    await _unauthenticated(api, token=second)
    assert (await api.data(VIEWER, token=integration))["viewer"]["technician"] == {"name": "Tom Tech"}
