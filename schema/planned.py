"""Planned reads: the root fields that open a ticket page (``ticket``, ``ticketByNumber``, ``node``) read
the ticket with the to-one relations its selection asks for joined, and the small lists and counts it asks
for (tags, SLA pauses, time entries, field values, the form template's fields, the conversation's count,
the assignee's open tickets, the requester's contracts, devices and surveys) as arrays and counts
(``TICKET_READS``), in one statement, and prime the per-request loaders with them, so the fields' resolvers find them there instead
of reading each relation with a statement of its own. Pages of comments and activity are read with their authors joined
the same way (``prime_joined``).

What may be joined is decided by services.visibility (``tickets_with``, ``comments_with_authors``,
``activity_with_actors``, ``joined_visible``): a relation it does not join, or a joined row it does not
pass, is read by its loader as before. Loaders are only primed, never bypassed, so every field still reads
through them. The plan of a selection is worked out once per document and field. With
``DESKQL_FAST_PATH=false`` nothing is planned (tests/test_fast_path.py, tests/test_visibility.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import partial
from operator import attrgetter
from typing import Any

from strawberry.types.nodes import SelectedField, Selection
from tortoise.models import Model

from fastpath import arrays, switch
from fastpath.statements import rows_where_in
from models.forms import CustomField, TicketFieldValue
from models.people import Contract, Device, SatisfactionSurvey
from models.sla import SlaPause
from models.tickets import Ticket
from models.timekeeping import TimeEntry
from schema.context import Info
from schema.loaders import Loaders
from services import visibility
from services.viewer import Viewer

TICKET_RELATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "status": (("status",), "status_by_id"),
    "assignee": (("assignee",), "technician_shown_by_id"),
    "requester": (("requester",), "requester_by_id"),
    "requester__site": (("requester", "site"), "site_by_id"),
    "requester__department": (("requester", "department"), "department_by_id"),
    "requester__customer": (("requester", "customer"), "customer_by_id"),
    "sla_policy": (("sla",), "sla_policy_by_id"),
    "sla_policy__calendar": (("sla",), "calendar_by_id"),
    "form_template": (("formTemplate",), "form_template_by_id"),
}
"""Relation of a ticket (a select_related path): the GraphQL path below the ticket that reads it, and the
loader that reads it otherwise."""


def _customer_id(row: Ticket) -> int | None:
    requester = vars(row).get("_requester")
    return requester.customer_id if requester is not None else None


def _tags(raw: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in arrays.values(raw)]


TICKET_READS: dict[str, tuple[tuple[str, ...], str, Callable[[Ticket], Hashable], Callable[[Any], Any]]] = {
    "tags": (("tags",), "tags_by_ticket", attrgetter("id"), _tags),
    "sla_pauses": (("sla",), "sla_pauses_by_ticket", attrgetter("id"), partial(arrays.instances, SlaPause)),
    "time_entries": (
        ("timeTotals",),
        "time_entries_by_ticket",
        attrgetter("id"),
        partial(arrays.instances, TimeEntry),
    ),
    "field_values": (
        ("customFields",),
        "values_by_ticket",
        attrgetter("id"),
        partial(arrays.instances, TicketFieldValue),
    ),
    "template_fields": (
        ("customFields",),
        "fields_by_template",
        attrgetter("form_template_id"),
        partial(arrays.instances, CustomField),
    ),
    "conversation_count": (
        ("conversation", "totalCount"),
        "conversation_count_by_ticket",
        lambda row: (row.id, None),
        arrays.count,
    ),
    "assignee_open_tickets": (
        ("assignee", "openTicketCount"),
        "open_ticket_count_by_technician",
        attrgetter("assignee_id"),
        arrays.count,
    ),
    "contracts": (
        ("requester", "contracts"),
        "contracts_by_customer",
        _customer_id,
        partial(arrays.instances, Contract),
    ),
    "devices": (
        ("requester", "devices"),
        "devices_by_requester",
        attrgetter("requester_id"),
        partial(arrays.instances, Device),
    ),
    "surveys": (
        ("requester", "satisfaction", "surveys"),
        "surveys_by_requester",
        attrgetter("requester_id"),
        partial(arrays.instances, SatisfactionSurvey),
    ),
}
"""List or count read in the ticket's statement (services.visibility.ticket_read): the GraphQL path below
the ticket that reads it, the loader it primes, the loader's key (None: nothing to prime) and how the
value is read. The conversation's count is the count of all it shows (no ``filter``): another filter
reads its own."""
AUTHOR_LOADERS = {"technician": "technician_shown_by_id", "requester": "requester_by_id"}
PLANS = 512

_plans: OrderedDict[Hashable, Any] = OrderedDict()


def _paths(selections: Sequence[Selection], depth: int) -> Iterable[tuple[str, ...]]:
    """The paths of field names selected, through fragments, at most ``depth`` fields deep."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield (selection.name,)
            if depth > 1:
                yield from ((selection.name, *path) for path in _paths(selection.selections, depth - 1))
        else:
            yield from _paths(selection.selections, depth)


def _plan_key(info: Info) -> Hashable | None:
    raw = info._raw_info
    location = raw.operation.loc
    if location is None:
        return None
    path = tuple(key for key in raw.path.as_list() if isinstance(key, str))
    name = raw.operation.name.value if raw.operation.name else None
    return (location.source.body, name, path)


def _asked(info: Info, depth: int) -> frozenset[tuple[str, ...]]:
    """The paths (``_paths``) the selection of this field asks for, worked out once per document, operation
    and field; ``@skip`` and ``@include`` are not evaluated, so a skipped field counts as asked for (and a
    planned read of it only primes a loader)."""
    key = _plan_key(info)
    found = _plans.get((key, depth)) if key is not None else None
    if found is not None:
        return found
    asked = frozenset(path for field in info.selected_fields for path in _paths(field.selections, depth))
    if key is not None:
        _plans[(key, depth)] = asked
        if len(_plans) > PLANS:
            _plans.popitem(last=False)
    return asked


def ticket_plan(info: Info, *under: tuple[str, ...]) -> frozenset[str]:
    """The relations of the ticket (TICKET_RELATIONS) the selection of this field asks for; with ``under``
    (``("nodes",)``), of the tickets at those paths below it (a list's)."""
    prefixes = under or ((),)
    asked = _asked(info, 2 + max(len(prefix) for prefix in prefixes))
    return frozenset(
        name
        for name, (path, _) in TICKET_RELATIONS.items()
        if any((*prefix, *path) in asked for prefix in prefixes)
    )


def reads_plan(info: Info) -> frozenset[str]:
    """The lists and counts (TICKET_READS) the selection of this field asks for."""
    asked = _asked(info, 3)
    return frozenset(name for name, (path, *_) in TICKET_READS.items() if path in asked)


def prime_reads(loaders: Loaders, row: Ticket, names: Iterable[str]) -> None:
    """Prime the loader of each list or count read in the ticket's statement (and drop it from the row)."""
    for name in names:
        _, loader_name, key_of, read = TICKET_READS[name]
        value = vars(row).pop(f"{name}_read", None)
        key = key_of(row)
        if key is not None:
            getattr(loaders, loader_name).prime(key, read(value))


def joins_authors(info: Info, field: str) -> bool:
    """Whether a connection's page is read with its authors (``author``) or actors (``actor``) joined: when
    its selection asks for them (through ``edges { node }`` or ``nodes``) and the fast path is on."""
    return asks(info, ("edges", "node", field), ("nodes", field))


def asks(info: Info, *paths: tuple[str, ...]) -> bool:
    """Whether the fast path is on and this field's selection asks for one of ``paths`` (``_asked``)."""
    if not switch.on():
        return False
    asked = _asked(info, max(len(path) for path in paths))
    return any(path in asked for path in paths)


def prime_authors(info: Info, rows: Iterable[Model], field: str) -> None:
    """Prime the technician and requester loaders with the authors or actors joined to a page's rows."""
    viewer = info.context.viewer
    prime_joined(info.context.loaders, viewer, rows, author_relations(field, viewer))


def _related(row: Model, relation: str) -> tuple[Any, Model | None]:
    """The foreign key and the joined row at the end of ``relation`` (a__b), or (None, None)."""
    *parents, last = relation.split("__")
    parent: Any = row
    for name in parents:
        parent = vars(parent).get(f"_{name}")
        if parent is None:
            return None, None
    return getattr(parent, f"{last}_id", None), vars(parent).get(f"_{last}")


def prime_joined(loaders: Loaders, viewer: Viewer, rows: Iterable[Model], relations: dict[str, str]) -> None:
    """Prime the loader named by each relation with the rows joined to ``rows`` that the viewer may see
    (visibility.joined_visible); others are left for the loader to read."""
    for relation, loader_name in relations.items():
        primed: dict[Any, Model] = {}
        for row in rows:
            key, related = _related(row, relation)
            if key is not None and related is not None and visibility.joined_visible(viewer, related):
                primed[key] = related
        if primed:
            getattr(loaders, loader_name).prime_many(primed)


def author_relations(prefix: str, viewer: Viewer) -> dict[str, str]:
    """The joined authors of a comment (``author``) or activity row (``actor``) and their loaders."""
    return {f"{prefix}_{kind}": AUTHOR_LOADERS[kind] for kind in visibility.author_joins(viewer) if kind}


async def ticket(info: Info, field: str, key: int) -> Ticket | None:
    """The ticket whose ``field`` (id or number) is ``key``, as the loader of that field reads it, with the
    loaders primed with what its selection asks for."""
    loaders = info.context.loaders
    loader = loaders.ticket_by_id if field == "id" else loaders.ticket_by_number
    if not switch.on() or loader.cache_map.get(key) is not None:
        return await loader.load(key)
    plan, reads = ticket_plan(info), reads_plan(info)
    if not plan and not reads:
        return await loader.load(key)
    viewer = info.context.viewer
    relations = plan & visibility.ticket_joins(viewer)
    reads &= visibility.ticket_reads(viewer)

    def query():  # type: ignore[no-untyped-def]
        return visibility.tickets_with(viewer, relations, reads)

    found = await rows_where_in(query, field, [key])
    row = found[0] if found else None
    loader.prime(key, row)
    if row is not None:
        loaders.ticket_by_id.prime(row.id, row)
        prime_joined(loaders, viewer, [row], {name: TICKET_RELATIONS[name][1] for name in relations})
        prime_reads(loaders, row, reads)
    return row
