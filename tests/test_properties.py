"""Custom statuses, custom fields, form templates and the product family: what admins define and tickets hold."""

from __future__ import annotations

from typing import Any

import pytest

from models.activity import Activity
from models.enums import CustomFieldType
from models.forms import CustomField, TicketFieldValue
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from services import field_values
from tests.api import Api
from tests.factories import World, make_world
from tests.support.tickets import UPDATE, activity_of, update

RESULT = "__typename ... on Error { message } ... on ValidationError { fields { field message } }"
NOT_FOUND = "... on NotFoundError { field }"


async def admin(
    api: Api, world: World, mutation: str, input: dict[str, Any], selection: str
) -> dict[str, Any]:
    not_found = "" if mutation == "reorderTicketStatuses" else NOT_FOUND
    query = f"mutation($input: {mutation[0].upper()}{mutation[1:]}Input!) {{ {mutation}(input: $input) {{ {RESULT} {not_found} {selection} }} }}"
    data = await api.data(query, {"input": input}, token=world.admin_token)
    result: dict[str, Any] = data[mutation]
    return result


STATUS = "... on TicketStatusSuccess { status { id name category pausesSla archived position } }"


async def test_admins_create_rename_reorder_archive_and_delete_statuses(api: Api) -> None:
    world = await make_world()
    created = await admin(
        api,
        world,
        "createTicketStatus",
        {"name": "Waiting for parts", "category": "PENDING", "pausesSla": True},
        STATUS,
    )
    status = created["status"]
    assert {k: status[k] for k in ("name", "category", "pausesSla", "position")} == {
        "name": "Waiting for parts",
        "category": "PENDING",
        "pausesSla": True,
        "position": 4,
    }
    renamed = await admin(
        api,
        world,
        "updateTicketStatus",
        {"id": status["id"], "name": "Parts on order", "pausesSla": False},
        STATUS,
    )
    assert (renamed["status"]["name"], renamed["status"]["pausesSla"]) == ("Parts on order", False)

    listed = (await api.data("{ ticketStatuses { id name } }", token=world.admin_token))["ticketStatuses"]
    new_order = [listed[4]["id"], *[s["id"] for s in listed[:4]]]
    reordered = await admin(
        api,
        world,
        "reorderTicketStatuses",
        {"ids": new_order},
        "... on TicketStatusesSuccess { statuses { name } }",
    )
    assert [s["name"] for s in reordered["statuses"]] == [
        "Parts on order",
        "Open",
        "Pending",
        "Resolved",
        "Closed",
    ]

    ticket = await world.ticket()
    await update(api, world.technician_token, ticket, statusId=status["id"])
    in_use = await admin(api, world, "deleteTicketStatus", {"id": status["id"]}, "")
    assert in_use["__typename"] == "ConflictError"
    archived = await admin(api, world, "updateTicketStatus", {"id": status["id"], "archived": True}, STATUS)
    assert archived["status"]["archived"] is True
    assert [
        s["name"]
        for s in (await api.data("{ ticketStatuses { name } }", token=world.admin_token))["ticketStatuses"]
    ] == ["Open", "Pending", "Resolved", "Closed"]
    assert (await Ticket.get(id=ticket.id)).status_id == (
        await TicketStatus.get(name="Parts on order")
    ).id  # stays on the ticket
    await update(
        api,
        world.technician_token,
        ticket,
        statusId=encode(
            "TicketStatus", (await TicketStatus.get(account_id=world.account.id, name="Open")).id
        ),
    )
    deleted = await admin(
        api, world, "deleteTicketStatus", {"id": status["id"]}, "... on DeleteSuccess { deletedId }"
    )
    assert deleted == {"__typename": "DeleteSuccess", "deletedId": status["id"]}


async def test_bad_status_changes_are_refused(api: Api) -> None:
    world = await make_world()
    open_id = encode("TicketStatus", (await TicketStatus.get(account_id=world.account.id, name="Open")).id)
    cases = [
        ("createTicketStatus", {"name": " ", "category": "OPEN"}, "ValidationError"),
        ("createTicketStatus", {"name": "Open", "category": "OPEN"}, "ValidationError"),
        ("updateTicketStatus", {"id": open_id, "archived": True}, "ValidationError"),
        ("deleteTicketStatus", {"id": open_id}, "ValidationError"),
        ("reorderTicketStatuses", {"ids": [open_id]}, "ValidationError"),
        ("updateTicketStatus", {"id": encode("TicketStatus", 999), "name": "x"}, "NotFoundError"),
    ]
    before = [(s.name, s.position, s.archived) for s in await TicketStatus.all().order_by("id")]
    for mutation, input, typename in cases:
        assert (await admin(api, world, mutation, input, ""))["__typename"] == typename, (mutation, input)
    denied = await api.data(
        'mutation { createTicketStatus(input: {name: "x", category: OPEN}) { __typename } }',
        token=world.technician_token,
    )
    assert denied["createTicketStatus"]["__typename"] == "PermissionDeniedError"
    assert [(s.name, s.position, s.archived) for s in await TicketStatus.all().order_by("id")] == before


FIELD = "... on CustomFieldSuccess { customField { id name type options required builtIn } }"
TEMPLATE = "... on FormTemplateSuccess { template { id name isDefault fields { name } } }"
CUSTOM = """query($id: ID!) { ticket(id: $id) { formTemplate { name } customFields { field { name type } value displayValue } } }"""


async def _field(api: Api, world: World, name: str, type: str, **extra: Any) -> str:
    result = await admin(api, world, "createCustomField", {"name": name, "type": type, **extra}, FIELD)
    assert result["__typename"] == "CustomFieldSuccess", result
    field_id: str = result["customField"]["id"]
    return field_id


@pytest.mark.parametrize(
    ("type", "options", "good", "stored", "bad"),
    [
        ("TEXT", [], "  Dell  ", "Dell", [42, "x" * 501]),
        ("TEXTAREA", [], "line one\nline two", "line one\nline two", [["a"], "x" * 10_001]),
        ("NUMBER", [], "42", 42, [4.5, "four", True, 2**54]),
        ("DECIMAL", [], "12.50", "12.50", ["abc", "1e400", "0.1234567", True]),
        ("DATE", [], "2026-03-01", "2026-03-01", ["01/03/2026", "2026-02-30"]),
        (
            "DATETIME",
            [],
            "2026-03-01T10:30:00+01:00",
            "2026-03-01T09:30:00Z",
            # the last two overflowed datetime when moved to UTC (found by tests/test_fuzz.py)
            ["2026-03-01T10:30:00", "yesterday", "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"],
        ),
        ("DROPDOWN", ["Dell", "HP"], "HP", "HP", ["Lenovo", ["HP"]]),
        ("MULTI_SELECT", ["VPN", "Wi-Fi", "LAN"], ["LAN", "VPN", "LAN"], ["LAN", "VPN"], [["Modem"], "VPN"]),
        ("CHECKBOX", [], True, True, ["yes", 1]),
        (
            "URL",
            [],
            "https://kb.example.com/a",
            "https://kb.example.com/a",
            ["ftp://x", "javascript:alert(1)", "kb"],
        ),
    ],
)
def test_each_field_type_accepts_its_values_and_refuses_others(
    type: str, options: list[str], good: Any, stored: Any, bad: list[Any]
) -> None:
    field_type = CustomFieldType(type)
    assert field_values.parse(field_type, options, good) == stored
    for value in bad:
        with pytest.raises(field_values.InvalidValue):
            field_values.parse(field_type, options, value)
    assert field_values.parse(field_type, options, None) is None


def test_text_values_and_options_lose_nul_which_postgresql_refuses() -> None:
    """Found by tests/test_fuzz.py: a NUL in an option was a crash on PostgreSQL (jsonb)."""
    assert field_values.check_options(CustomFieldType.DROPDOWN, ["Dell\x00", " HP"]) == ["Dell", "HP"]
    assert field_values.parse(CustomFieldType.TEXT, [], "De\x00ll") == "Dell"


async def test_tickets_hold_custom_field_values_validated_and_logged(api: Api) -> None:
    world = await make_world()
    asset = await _field(api, world, "Asset tag", "TEXT", required=True)
    model = await _field(api, world, "Laptop model", "DROPDOWN", options=["Dell", "HP"])
    family = encode(
        "CustomField", (await CustomField.get(account_id=world.account.id, built_in="PRODUCT_FAMILY")).id
    )
    template = await admin(
        api, world, "createFormTemplate", {"name": "Hardware", "fieldIds": [family, asset, model]}, TEMPLATE
    )
    assert [f["name"] for f in template["template"]["fields"]] == [
        "Product family",
        "Asset tag",
        "Laptop model",
    ]
    ticket = await world.ticket()
    variables = {"id": encode("Ticket", ticket.id)}
    standard = (await api.data(CUSTOM, variables, token=world.technician_token))["ticket"]
    assert standard == {
        "formTemplate": {"name": "Standard"},
        "customFields": [
            {"field": {"name": "Product family", "type": "DROPDOWN"}, "value": None, "displayValue": None}
        ],
    }

    result = await update(
        api,
        world.technician_token,
        ticket,
        formTemplateId=template["template"]["id"],
        customFields=[
            {"fieldId": asset, "value": "A-1234"},
            {"fieldId": model, "value": "HP"},
            {"fieldId": family, "value": "Hardware"},
        ],
    )
    assert result["__typename"] == "UpdateTicketSuccess", result
    fields = (await api.data(CUSTOM, variables, token=world.technician_token))["ticket"]["customFields"]
    assert [(f["field"]["name"], f["value"]) for f in fields] == [
        ("Product family", "Hardware"),
        ("Asset tag", "A-1234"),
        ("Laptop model", "HP"),
    ]
    assert ("CUSTOM_FIELD_CHANGED", "Asset tag", None, "A-1234") in await activity_of(ticket)
    assert ("FORM_TEMPLATE_CHANGED", "formTemplate", "Standard", "Hardware") in await activity_of(ticket)

    for values, message in [
        ([{"fieldId": asset, "value": None}], "Asset tag is required."),
        ([{"fieldId": model, "value": "Lenovo"}], "Laptop model: Must be one of: Dell, HP."),
        ([{"fieldId": asset, "value": 42}], "Asset tag: Must be text."),
        (
            [{"fieldId": encode("CustomField", 999), "value": "x"}],
            "Field 999 is not in the ticket's form template.",
        ),
    ]:
        before = await Activity.filter(ticket_id=ticket.id).count()
        refused = await update(api, world.technician_token, ticket, customFields=values, priority="HIGH")
        assert refused["fields"] == [{"field": "customFields", "message": message}]
        assert await Activity.filter(ticket_id=ticket.id).count() == before
    assert (await Ticket.get(id=ticket.id)).priority == "MEDIUM"

    # back to the standard template: product family stays, the others go (and the log says so)
    templates = (await api.data("{ formTemplates { id name } }", token=world.admin_token))["formTemplates"]
    standard_id = next(t["id"] for t in templates if t["name"] == "Standard")
    await update(api, world.technician_token, ticket, formTemplateId=standard_id)
    after = (await api.data(CUSTOM, variables, token=world.technician_token))["ticket"]
    assert after["formTemplate"]["name"] == "Standard"
    assert [(f["field"]["name"], f["value"]) for f in after["customFields"]] == [
        ("Product family", "Hardware")
    ]
    assert ("CUSTOM_FIELD_CHANGED", "Asset tag", "A-1234", None) in await activity_of(ticket)
    assert await TicketFieldValue.filter(ticket_id=ticket.id).count() == 1


async def test_product_family_is_built_in_customisable_and_not_archivable(api: Api) -> None:
    world = await make_world()
    family = encode(
        "CustomField", (await CustomField.get(account_id=world.account.id, built_in="PRODUCT_FAMILY")).id
    )
    customised = await admin(
        api,
        world,
        "updateCustomField",
        {"id": family, "name": "Service", "options": ["Laptops", "Printers"]},
        FIELD,
    )
    assert customised["customField"] == {
        "id": family,
        "name": "Service",
        "type": "DROPDOWN",
        "options": ["Laptops", "Printers"],
        "required": False,
        "builtIn": "PRODUCT_FAMILY",
    }
    refused = await admin(api, world, "updateCustomField", {"id": family, "archived": True}, FIELD)
    assert refused["fields"] == [{"field": "archived", "message": "Built-in fields cannot be archived."}]


async def test_bad_field_and_template_definitions_are_refused(api: Api) -> None:
    world = await make_world()
    archived_field = await _field(api, world, "Old", "TEXT")
    await admin(api, world, "updateCustomField", {"id": archived_field, "archived": True}, FIELD)
    cases = [
        ("createCustomField", {"name": "Model", "type": "DROPDOWN"}, "options"),
        ("createCustomField", {"name": "Model", "type": "TEXT", "options": ["a"]}, "options"),
        ("createCustomField", {"name": "Model", "type": "MULTI_SELECT", "options": ["a", "a"]}, "options"),
        ("createCustomField", {"name": "Product family", "type": "TEXT"}, "name"),
        ("createFormTemplate", {"name": "T", "fieldIds": [archived_field]}, "fieldIds"),
        ("createFormTemplate", {"name": "Standard", "fieldIds": []}, "name"),
    ]
    for mutation, input, field in cases:
        result = await admin(api, world, mutation, input, "")
        assert result["__typename"] == "ValidationError", (mutation, input, result)
        assert [f["field"] for f in result["fields"]] == [field]
    assert await CustomField.filter(account_id=world.account.id).count() == 2


__all__ = ["UPDATE"]
