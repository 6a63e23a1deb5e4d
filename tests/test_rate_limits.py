"""Abuse: mutations per token and failed sign-ins per address are limited, in one process and, through
Redis, across processes; queries are not. Also the request body limit and the query limits under load."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.database import Database
from models.accounts import Technician
from services.authentication import hash_password
from tests.api import Api
from tests.factories import make_world

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
