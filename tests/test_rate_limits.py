"""Abuse: mutations per token and failed sign-ins per address are limited, in one process and, through
Redis, across processes; queries are not. Also the request body limit and the query limits under load."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

import httpx
import pytest
from argon2 import PasswordHasher
from graphql import parse

from api.rate_limiting import root_fields
from app.database import Database
from models.accounts import Technician
from models.conversation import ReplyTemplate
from services import rate_limits
from services.authentication import hash_password
from tests.api import Api
from tests.factories import make_world
from tests.servers import free_port

LOGIN = """mutation($email: String!, $password: String!) { login(input: {email: $email, password: $password}) {
  __typename ... on RateLimitedError { code retryAfterSeconds message } } }"""
TOUCH = """mutation { markNotificationsRead(input: {all: true}) { __typename } }"""
PASSWORD = "correct horse battery"


async def _post(
    api: Api, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> httpx.Response:
    return await api.post(query, variables, token)


async def test_mutations_are_limited_per_token_and_queries_are_not(db: Database) -> None:
    api = Api(db, rate_limit_mutations_per_minute=3)
    world = await make_world()
    for _ in range(3):
        assert (await _post(api, TOUCH, token=world.technician_token)).status_code == 200
    refused = await _post(api, TOUCH, token=world.technician_token)
    assert refused.status_code == 429
    body = refused.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= error["extensions"]["retryAfter"] <= 60
    assert refused.headers["retry-after"] == str(error["extensions"]["retryAfter"])
    queried = await _post(api, "{ viewer { technician { name } } }", token=world.technician_token)
    assert queried.status_code == 200
    assert "errors" not in queried.json()
    other = await _post(api, TOUCH, token=world.admin_token)
    assert other.status_code == 200, "another token has its own allowance"


async def test_failed_sign_ins_are_limited_per_address_whether_or_not_it_exists(db: Database) -> None:
    api = Api(db, rate_limit_failed_logins=3)
    world = await make_world()
    await Technician.filter(id=world.technician.id).update(password_hash=await hash_password(PASSWORD))
    email = world.technician.email
    for _ in range(3):
        wrong = (await api.data(LOGIN, {"email": email, "password": "wrong password!"}))["login"]
        assert wrong["__typename"] == "InvalidCredentialsError"
    blocked = (await api.data(LOGIN, {"email": email.upper(), "password": PASSWORD}))["login"]
    assert blocked["__typename"] == "RateLimitedError"
    assert blocked["code"] == "RATE_LIMITED"
    assert 1 <= blocked["retryAfterSeconds"] <= 900
    for _ in range(4):
        nobody = (await api.data(LOGIN, {"email": "nobody@acme.test", "password": "wrong password!"}))[
            "login"
        ]
    assert nobody["__typename"] == "RateLimitedError", "unknown addresses are limited the same way"
    admin = world.admin.email
    await Technician.filter(id=world.admin.id).update(password_hash=await hash_password(PASSWORD))
    for _ in range(2):
        await api.data(LOGIN, {"email": admin, "password": "wrong password!"})
    assert (await api.data(LOGIN, {"email": admin, "password": PASSWORD}))["login"][
        "__typename"
    ] == "LoginSuccess"
    for _ in range(2):
        await api.data(LOGIN, {"email": admin, "password": "wrong password!"})
    signed_in = (await api.data(LOGIN, {"email": admin, "password": PASSWORD}))["login"]
    assert signed_in["__typename"] == "LoginSuccess", "a successful sign-in clears the count"


async def test_with_redis_every_process_counts_together(db: Database, redis_url: str) -> None:
    first = Api(db, broadcast_url=redis_url, rate_limit_mutations_per_minute=4)
    second = Api(db, broadcast_url=redis_url, rate_limit_mutations_per_minute=4)
    world = await make_world()
    answers = [
        (await _post(api, TOUCH, token=world.technician_token)).status_code for api in (first, second) * 3
    ]
    assert answers == [200, 200, 200, 200, 429, 429]


async def test_the_query_limits_hold_under_concurrency(api: Api) -> None:
    world = await make_world()
    deep = "{ viewer { " + "technician { " * 20 + "name" + " }" * 20 + " } }"
    many = "{ " + " ".join(f"a{i}: viewer {{ account {{ name }} }}" for i in range(40)) + " }"
    huge = await _post(
        api,
        "{ tickets(first: 100) { nodes { conversation(first: 100) { nodes { id } } } } }",
        token=world.technician_token,
    )
    assert "errors" in huge.json()
    answers = await asyncio.gather(
        *[_post(api, query, token=world.technician_token) for query in (deep, many) * 10]
    )
    for answer in answers:
        assert answer.status_code == 200
        codes = {error["extensions"]["code"] for error in answer.json()["errors"]}
        assert codes == {"GRAPHQL_VALIDATION_FAILED"}


async def test_a_body_over_the_limit_is_refused_before_it_is_read(db: Database) -> None:
    api = Api(db, max_body_bytes=10_000)
    world = await make_world()
    padding = "x" * 20_000
    answer = await _post(api, "{ __typename }", {"padding": padding}, token=world.technician_token)
    assert answer.status_code == 413


TEMPLATE = '{alias}: createReplyTemplate(input: {{name: "{alias}", body: "Hello"}}) {{ __typename }}'


def _templates(*aliases: str) -> str:
    return "mutation { " + " ".join(TEMPLATE.format(alias=alias) for alias in aliases) + " }"


async def test_every_root_mutation_field_counts_and_an_operation_past_the_limit_runs_nothing(
    db: Database,
) -> None:
    api = Api(db, rate_limit_mutations_per_minute=5)
    world = await make_world()
    token = world.technician_token
    assert (await _post(api, _templates("a", "b", "c"), token=token)).status_code == 200
    refused = await _post(api, _templates("d", "e", "f"), token=token)
    assert refused.status_code == 429, "3 + 3 fields are over 5"
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert refused.headers["retry-after"] == str(error["extensions"]["retryAfter"])
    assert sorted(await ReplyTemplate.all().values_list("name", flat=True)) == ["a", "b", "c"]
    spread = 'mutation { ...Two } fragment Two on Mutation { d: createReplyTemplate(input: {name: "d", body: "Hi"}) { __typename } ... on Mutation { e: createReplyTemplate(input: {name: "e", body: "Hi"}) { __typename } } }'
    assert (await _post(api, spread, token=token)).status_code == 200, "3 + 2 fields are the limit"
    assert (await _post(api, _templates("g"), token=token)).status_code == 429
    assert await ReplyTemplate.all().count() == 5


async def test_an_operation_with_more_mutations_than_the_limit_is_told_so(db: Database) -> None:
    api = Api(db, rate_limit_mutations_per_minute=2)
    world = await make_world()
    refused = await _post(api, _templates("a", "b", "c"), token=world.technician_token)
    assert refused.status_code == 429
    [error] = refused.json()["errors"]
    assert error["message"] == "This operation makes 3 changes; at most 2 are allowed a minute."
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 60}
    assert await ReplyTemplate.all().count() == 0
    assert (await _post(api, _templates("a", "b"), token=world.technician_token)).status_code == 200


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 verification the process makes (the real one, counted)."""
    done: list[str] = []
    verify = PasswordHasher.verify

    def counted(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> Literal[True]:
        done.append(str(password))
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return done


async def test_login_may_be_asked_once_per_request_and_nothing_is_hashed_otherwise(
    db: Database, verifications: list[str]
) -> None:
    api = Api(db)
    world = await make_world()
    await Technician.filter(id=world.technician.id).update(password_hash=await hash_password(PASSWORD))
    login = 'login(input: {{email: "{email}", password: "{password}"}}) {{ __typename }}'
    aliases = " ".join(
        f"a{i}: " + login.format(email=world.technician.email, password=f"guess {i}") for i in range(30)
    )
    errors = await api.errors("mutation { " + aliases + " }")
    assert errors == [
        {
            "message": "`login` may be asked once per operation (it is asked 30 times: a0, a1, a2, ...).",
            "extensions": {"code": "BAD_USER_INPUT", "field": "login"},
        }
    ]
    assert verifications == []
    signed_in = await api.data(
        "mutation { " + login.format(email=world.technician.email, password=PASSWORD) + " }"
    )
    assert signed_in["login"]["__typename"] == "LoginSuccess"
    assert verifications == [PASSWORD]


async def _wrong_passwords_at_once(api: Api, email: str, attempts: int) -> list[str]:
    answers = await asyncio.gather(
        *[api.data(LOGIN, {"email": email, "password": f"wrong password {n}"}) for n in range(attempts)]
    )
    return [answer["login"]["__typename"] for answer in answers]


async def test_parallel_wrong_passwords_get_at_most_the_limit_of_real_checks(
    db: Database, verifications: list[str]
) -> None:
    api = Api(db)
    world = await make_world()
    await Technician.filter(id=world.technician.id).update(password_hash=await hash_password(PASSWORD))
    answers = await _wrong_passwords_at_once(api, world.technician.email, 40)
    assert sorted(set(answers)) == ["InvalidCredentialsError", "RateLimitedError"]
    assert answers.count("InvalidCredentialsError") == 10
    assert len(verifications) == 10


async def test_with_redis_parallel_wrong_passwords_get_at_most_the_limit_of_real_checks(
    db: Database, redis_url: str, verifications: list[str]
) -> None:
    api = Api(db, broadcast_url=redis_url)
    world = await make_world()
    answers = await _wrong_passwords_at_once(api, world.technician.email, 40)
    assert answers.count("InvalidCredentialsError") == 10
    assert answers.count("RateLimitedError") == 30
    assert len(verifications) == 10


async def test_failed_sign_ins_are_kept_however_many_callers_are_counted(db: Database) -> None:
    api = Api(db, rate_limit_failed_logins=3)
    world = await make_world()
    await Technician.filter(id=world.technician.id).update(password_hash=await hash_password(PASSWORD))
    email = world.technician.email
    for _ in range(3):
        await api.data(LOGIN, {"email": email, "password": "wrong password!"})
    for n in range(100_001):  # as many callers as a flood of addresses brings
        await rate_limits.count_mutation(f"address:10.{n // 65536}.{n // 256 % 256}.{n % 256}")
    blocked = (await api.data(LOGIN, {"email": email, "password": PASSWORD}))["login"]
    assert blocked["__typename"] == "RateLimitedError"


async def test_with_redis_out_of_reach_mutations_and_sign_ins_are_let_through(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    api = Api(db, broadcast_url=f"redis://127.0.0.1:{free_port()}/0", rate_limit_mutations_per_minute=1)
    world = await make_world()
    await Technician.filter(id=world.technician.id).update(password_hash=await hash_password(PASSWORD))
    with caplog.at_level(logging.WARNING, logger="deskql.rate_limits"):
        for _ in range(3):
            assert (await _post(api, TOUCH, token=world.technician_token)).status_code == 200
        signed_in = await api.data(LOGIN, {"email": world.technician.email, "password": PASSWORD})
    assert signed_in["login"]["__typename"] == "LoginSuccess"
    assert any("not counting" in record.getMessage() for record in caplog.records)


def test_the_root_fields_counted_follow_fragments_skip_and_include() -> None:
    document = parse(
        """mutation($no: Boolean!) { a: login(input: {}) { __typename } ...F
             b: logout @skip(if: true) { revoked } c: logout @include(if: $no) { revoked } __typename }
           fragment F on Mutation { d: logout { revoked } ...G ... on Mutation { ...G } }
           fragment G on Mutation { a: login(input: {}) { __typename } e: logout @include(if: true) { revoked } }"""
    )
    assert root_fields(document, None, {"no": False}) == {"a": "login", "d": "logout", "e": "logout"}


async def _sign_in_from(api: Api, host: str, email: str, password: str) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=api.app, client=(host, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://deskql.test") as client:
        response = await client.post(
            "/graphql", json={"query": LOGIN, "variables": {"email": email, "password": password}}
        )
    answer: dict[str, Any] = response.json()["data"]["login"]
    return answer


async def test_one_client_spraying_new_addresses_gets_at_most_its_allowance_of_password_hashes(
    db: Database, verifications: list[str]
) -> None:
    api = Api(db, rate_limit_sign_ins_per_client=5)
    world = await make_world()
    await Technician.filter(id=world.technician.id).update(password_hash=await hash_password(PASSWORD))
    sprayed = [
        await _sign_in_from(api, "203.0.113.7", f"guess{n}@acme.test", "Summer2026!") for n in range(8)
    ]
    assert [a["__typename"] for a in sprayed] == ["InvalidCredentialsError"] * 5 + ["RateLimitedError"] * 3
    assert sprayed[-1]["code"] == "RATE_LIMITED"
    assert "network address" in sprayed[-1]["message"]
    assert 1 <= sprayed[-1]["retryAfterSeconds"] <= 900
    assert len(verifications) == 5, "a refused sign-in hashes nothing"
    # Even the right password is refused from that client now, and a success gives nothing back.
    right = await _sign_in_from(api, "203.0.113.7", world.technician.email, PASSWORD)
    assert right["__typename"] == "RateLimitedError"
    # The addresses it tried were not counted once it was refused, and another client signs in.
    elsewhere = await _sign_in_from(api, "198.51.100.20", world.technician.email, PASSWORD)
    assert elsewhere["__typename"] == "LoginSuccess"
    successes = [
        await _sign_in_from(api, "198.51.100.21", world.technician.email, PASSWORD) for _ in range(6)
    ]
    assert [a["__typename"] for a in successes] == ["LoginSuccess"] * 5 + ["RateLimitedError"]


async def test_with_redis_the_allowance_of_a_client_is_shared_by_every_process(
    db: Database, redis_url: str
) -> None:
    first = Api(db, broadcast_url=redis_url, rate_limit_sign_ins_per_client=3)
    second = Api(db, broadcast_url=redis_url, rate_limit_sign_ins_per_client=3)
    host = f"192.0.2.{free_port() % 250}"
    answers = [
        await _sign_in_from(api, host, f"spray{n}@acme.test", "Summer2026!")
        for n, api in enumerate([first, second, first, second])
    ]
    assert [a["__typename"] for a in answers] == ["InvalidCredentialsError"] * 3 + ["RateLimitedError"]
