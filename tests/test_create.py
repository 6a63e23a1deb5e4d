"""The minimal writes: createTicket, createTechnician, createRequester. Bad input changes nothing."""

from __future__ import annotations

import asyncio

import pytest

from models.accounts import Technician
from models.activity import Activity
from models.people import Customer, Requester
from models.tickets import Ticket
from schema.ids import encode
from services import accounts
from services.errors import ValidationFailed
from tests.api import Api
from tests.factories import as_viewer, make_world

CREATE_TICKET = """mutation($input: CreateTicketInput!) { createTicket(input: $input) { __typename
  ... on CreateTicketSuccess { ticket { number title type priority impact activityStatus channel status { name }
      requester { name } assignee { name } activity { edges { node { kind actor { ... on Technician { name } ... on Requester { name } } } } } } }
  ... on Error { message code } ... on ValidationError { fields { field message } } ... on NotFoundError { field } } }"""


async def _counts() -> tuple[int, int]:
    return await Ticket.all().count(), await Activity.all().count()


async def test_a_technician_opens_a_ticket_for_a_requester(api: Api) -> None:
    world = await make_world()
    data = await api.data(
        CREATE_TICKET,
        {
            "input": {
                "title": "  Laptop will not boot  ",
                "requesterId": encode("Requester", world.requester.id),
                "type": "INCIDENT",
                "priority": "HIGH",
                "impact": "MINOR",
                "assigneeId": encode("Technician", world.technician.id),
            }
        },
        token=world.technician_token,
    )
    ticket = data["createTicket"]["ticket"]
    assert ticket == {
        "number": 1,
        "title": "Laptop will not boot",
        "type": "INCIDENT",
        "priority": "HIGH",
        "impact": "MINOR",
        "activityStatus": "UNREAD",
        "channel": "WEB",
        "status": {"name": "Open"},
        "requester": {"name": "Rita Requester"},
        "assignee": {"name": "Tom Tech"},
        "activity": {"edges": [{"node": {"kind": "TICKET_CREATED", "actor": {"name": "Tom Tech"}}}]},
    }


async def test_a_requester_opens_a_ticket_for_themself_from_the_portal(api: Api) -> None:
    world = await make_world()
    data = await api.data(CREATE_TICKET, {"input": {"title": "VPN down"}}, token=world.requester_token)
    ticket = data["createTicket"]["ticket"]
    assert (ticket["requester"], ticket["channel"], ticket["assignee"]) == (
        {"name": "Rita Requester"},
        "PORTAL",
        None,
    )


@pytest.mark.parametrize(
    ("fields", "who", "typename", "field"),
    [
        ({"title": "", "requesterId": "REQUESTER"}, "technician", "ValidationError", "title"),
        ({"title": "   ", "requesterId": "REQUESTER"}, "technician", "ValidationError", "title"),
        ({"title": "x" * 251, "requesterId": "REQUESTER"}, "technician", "ValidationError", "title"),
        ({"title": "No requester"}, "technician", "ValidationError", "requesterId"),
        ({"title": "t", "requesterId": "garbage"}, "technician", "ValidationError", "requesterId"),
        ({"title": "t", "requesterId": "TECHNICIAN"}, "technician", "ValidationError", "requesterId"),
        ({"title": "t", "requesterId": "MISSING_REQUESTER"}, "technician", "NotFoundError", "requesterId"),
        (
            {"title": "t", "requesterId": "REQUESTER", "assigneeId": "INACTIVE"},
            "technician",
            "NotFoundError",
            "assigneeId",
        ),
        ({"title": "t", "requesterId": "OTHER_REQUESTER"}, "requester", "ValidationError", "requesterId"),
        ({"title": "t", "assigneeId": "TECHNICIAN"}, "requester", "ValidationError", "assigneeId"),
    ],
)
async def test_bad_ticket_input_gets_a_typed_error_naming_the_field_and_saves_nothing(
    api: Api, fields: dict, who: str, typename: str, field: str
) -> None:
    world = await make_world()
    inactive = await Technician.create(
        account_id=world.account.id, name="Gone", email="gone@acme.test", active=False
    )
    ids = {
        "TECHNICIAN": encode("Technician", world.technician.id),
        "REQUESTER": encode("Requester", world.requester.id),
        "OTHER_REQUESTER": encode("Requester", world.other_requester.id),
        "MISSING_REQUESTER": encode("Requester", 424242),
        "INACTIVE": encode("Technician", inactive.id),
    }
    values = {key: ids.get(value, value) for key, value in fields.items()}
    before = await _counts()
    token = world.technician_token if who == "technician" else world.requester_token
    result = (await api.data(CREATE_TICKET, {"input": values}, token=token))["createTicket"]
    assert result["__typename"] == typename
    named = [f["field"] for f in result.get("fields", [])] or [result.get("field")]
    assert named == [field]
    assert await _counts() == before


async def test_a_requester_is_told_what_requesters_may_not_do(api: Api) -> None:
    world = await make_world()
    fields = {
        "title": "t",
        "requesterId": encode("Requester", world.other_requester.id),
        "assigneeId": encode("Technician", world.technician.id),
    }
    result = (await api.data(CREATE_TICKET, {"input": fields}, token=world.requester_token))["createTicket"]
    assert result["fields"] == [
        {"field": "requesterId", "message": "Requesters open tickets for themselves only."},
        {"field": "assigneeId", "message": "Requesters cannot assign tickets."},
    ]


async def test_concurrent_creations_get_distinct_consecutive_numbers(api: Api, backend: str) -> None:
    from services import tickets

    world = await make_world()
    viewer = as_viewer(world.technician)
    created = await asyncio.gather(
        *(tickets.create(viewer, title=f"t{i}", requester_id=world.requester.id) for i in range(12))
    )
    assert sorted(t.number for t in created) == list(range(1, 13))


CREATE_TECHNICIAN = """mutation($input: CreateTechnicianInput!) { createTechnician(input: $input) { __typename
  ... on CreateTechnicianSuccess { technician { name email role active } }
  ... on Error { code } ... on ValidationError { fields { field message } } } }"""


async def test_an_admin_adds_a_technician(api: Api) -> None:
    world = await make_world()
    data = await api.data(
        CREATE_TECHNICIAN,
        {"input": {"name": "Nina New", "email": " Nina@Acme.Test ", "role": "ADMIN"}},
        token=world.admin_token,
    )
    assert data["createTechnician"]["technician"] == {
        "name": "Nina New",
        "email": "nina@acme.test",
        "role": "ADMIN",
        "active": True,
    }


@pytest.mark.parametrize(
    ("input", "token_of", "typename", "fields"),
    [
        ({"name": "N", "email": "n@acme.test"}, "technician", "PermissionDeniedError", []),
        ({"name": "N", "email": "n@acme.test"}, "requester", "PermissionDeniedError", []),
        ({"name": "", "email": "not-an-email"}, "admin", "ValidationError", ["name", "email"]),
        ({"name": "N", "email": "EXISTING"}, "admin", "ValidationError", ["email"]),
        ({"name": "Tom\r\nBcc: all@acme.test", "email": "n@acme.test"}, "admin", "ValidationError", ["name"]),
        ({"name": "Tom\u2028Tech", "email": "n@acme.test"}, "admin", "ValidationError", ["name"]),
        (
            {"name": "N", "email": "n@acme.test", "avatarUrl": "javascript:alert(1)"},
            "admin",
            "ValidationError",
            ["avatarUrl"],
        ),
        (
            {"name": "N", "email": "n@acme.test", "password": "short"},
            "admin",
            "ValidationError",
            ["password"],
        ),
    ],
)
async def test_bad_technician_input_is_refused_and_saves_nothing(
    api: Api, input: dict, token_of: str, typename: str, fields: list[str]
) -> None:
    world = await make_world()
    if input["email"] == "EXISTING":
        input = {**input, "email": world.technician.email}
    before = await Technician.all().count()
    token = {
        "admin": world.admin_token,
        "technician": world.technician_token,
        "requester": world.requester_token,
    }[token_of]
    result = (await api.data(CREATE_TECHNICIAN, {"input": input}, token=token))["createTechnician"]
    assert result["__typename"] == typename
    assert [f["field"] for f in result.get("fields", [])] == fields
    assert await Technician.all().count() == before


CREATE_REQUESTER = """mutation($input: CreateRequesterInput!) { createRequester(input: $input) { __typename
  ... on CreateRequesterSuccess { requester { name email jobTitle customer { name } } }
  ... on Error { code } ... on ValidationError { fields { field } } ... on NotFoundError { field } } }"""


async def test_an_admin_adds_a_requester_at_a_customer(api: Api) -> None:
    world = await make_world()
    customer = await Customer.create(account_id=world.account.id, name="Contoso")
    data = await api.data(
        CREATE_REQUESTER,
        {
            "input": {
                "name": "Carl Contact",
                "email": "carl@contoso.test",
                "jobTitle": "CFO",
                "customerId": encode("Customer", customer.id),
            }
        },
        token=world.admin_token,
    )
    assert data["createRequester"]["requester"] == {
        "name": "Carl Contact",
        "email": "carl@contoso.test",
        "jobTitle": "CFO",
        "customer": {"name": "Contoso"},
    }


async def test_bad_requester_input_is_refused_and_saves_nothing(api: Api) -> None:
    world = await make_world()
    other = await make_world("Globex MSP")
    foreign_customer = await Customer.create(account_id=other.account.id, name="Their customer")
    before = await Requester.all().count()
    cases = [
        ({"name": "x", "email": world.requester.email}, world.admin_token, "ValidationError", "email"),
        (
            {"name": "x", "email": "x@y.test", "customerId": encode("Customer", foreign_customer.id)},
            world.admin_token,
            "NotFoundError",
            "customerId",
        ),
        (
            {"name": "x", "email": "x@y.test", "siteId": "nope"},
            world.admin_token,
            "ValidationError",
            "siteId",
        ),
        ({"name": "x", "email": "x@y.test"}, world.technician_token, "PermissionDeniedError", None),
        ({"name": "Rita\nRequester", "email": "x@y.test"}, world.admin_token, "ValidationError", "name"),
        (
            {"name": "x", "email": "x@y.test", "jobTitle": "CFO\nCEO"},
            world.admin_token,
            "ValidationError",
            "jobTitle",
        ),
    ]
    for input, token, typename, field in cases:
        result = (await api.data(CREATE_REQUESTER, {"input": input}, token=token))["createRequester"]
        assert result["__typename"] == typename
        assert field in ([f["field"] for f in result.get("fields", [])] + [result.get("field")])
    assert await Requester.all().count() == before


async def test_an_account_and_its_first_admin_are_named_on_one_line(api: Api) -> None:
    before = await Technician.all().count()
    with pytest.raises(ValidationFailed) as refused:
        await accounts.create("Acme\nIT", "ada@acme.test", "Ada\r\nAdmin", "a long enough password")
    assert refused.value.fields == {"name": "Must be one line.", "adminName": "Must be one line."}
    assert await Technician.all().count() == before
