"""A saved view's filter: the ``TicketFilter`` input kept as JSON, and read back the way the API reads it.

Nothing here names a filter field: the input is written out over the fields of its GraphQL type (enums by
name, scalars as they serialise, nested inputs as objects, defaults left out), and read back by GraphQL's
own coercion into the same ``TicketFilter`` that ``tickets(filter:)`` receives, then through
``schema.ticket_filter`` like every filter argument. A condition the filter gains later works in views
with no change here.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from graphql.utilities import coerce_input_value, validate_input_value
from strawberry.types.arguments import convert_argument
from strawberry.types.base import get_object_definition

from schema.context import BAD_USER_INPUT, ClientError, Info
from schema.inputs import TicketFilter
from schema.ticket_filter import ticket_conditions
from services import ticket_filters
from services.errors import PermissionDenied, ValidationFailed
from services.ticket_filters import TicketConditions

_NAMED = re.compile(r"^`([^`]+)`: (.*)$", re.DOTALL)


def _filter_type(info: Info) -> GraphQLInputObjectType:
    found = info.schema._schema.get_type("TicketFilter")
    assert isinstance(found, GraphQLInputObjectType)
    return found


def _plain(info: Info, value: Any, type_: GraphQLInputType) -> Any:
    if value is None:
        return None
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        return [_plain(info, item, type_.of_type) for item in value]
    if isinstance(type_, GraphQLInputObjectType):
        definition = get_object_definition(type(value), strict=True)
        names = info.schema.config.name_converter
        written: dict[str, Any] = {}
        for field in definition.fields:
            name = names.get_graphql_name(field)
            given = getattr(value, field.python_name)
            if given is not field.default:  # UNSET and defaults stay out: the default reads them back
                written[name] = _plain(info, given, type_.fields[name].type)
        return written
    assert isinstance(type_, GraphQLScalarType | GraphQLEnumType)
    return type_.serialize(value)


def stored(info: Info, filter: TicketFilter) -> dict[str, Any]:
    """The filter as JSON, as a client would send it (field names in camelCase, enums by name)."""
    written = _plain(info, filter, _filter_type(info))
    assert isinstance(written, dict)
    return written


def parsed(info: Info, data: Any, field: str = "filter") -> TicketFilter:
    """The ``TicketFilter`` of stored JSON, read as GraphQL reads a variable; a wrong one fails validation
    naming the field (``filter.statusCategory``)."""
    type_ = _filter_type(info)
    problems: dict[str, str] = {}

    def report(error: Any, path: Any) -> None:
        named = ".".join([field, *(str(part) for part in path if isinstance(part, str))])
        problems.setdefault(named, error.message)

    validate_input_value(data, type_, report)
    if problems:
        raise ValidationFailed(problems)
    value = coerce_input_value(data, type_)
    converted = convert_argument(
        value, TicketFilter, info.schema.schema_converter.scalar_registry, info.schema.config
    )
    assert isinstance(converted, TicketFilter)
    return converted


def conditions(info: Info, filter: TicketFilter | None, *, sorts_by_sla: bool = False) -> TicketConditions:
    """The filter's conditions checked for the viewer, as a mutation reads them: a wrong value or one the
    viewer may not use fails validation naming ``filter.<field>``."""
    try:
        found = ticket_conditions(filter)
    except ClientError as error:
        named = _NAMED.match(error.message)
        raise (
            ValidationFailed.one(*named.groups()) if named else ValidationFailed.one("filter", error.message)
        ) from error
    try:
        ticket_filters.check(info.context.viewer, found, sorts_by_sla=sorts_by_sla)
    except ValidationFailed as error:
        raise ValidationFailed(
            {f"filter.{name}": message for name, message in error.fields.items()}
        ) from error
    except PermissionDenied as error:
        raise ValidationFailed.one("filter", error.message) from error
    return found


def saved(info: Info, filter: TicketFilter, *, sorts_by_sla: bool = False) -> dict[str, Any]:
    """What a view keeps of ``filter``, checked first (raises ValidationFailed naming ``filter.<field>``)."""
    conditions(info, filter, sorts_by_sla=sorts_by_sla)
    return stored(info, filter)


def view_conditions(info: Info, data: Any, *, sorts_by_sla: bool = False) -> TicketConditions:
    """The conditions of a saved filter for a query or subscription: one that no longer reads (a condition
    retired since it was saved) is a BAD_USER_INPUT error saying what to fix."""
    try:
        return conditions(info, parsed(info, data), sorts_by_sla=sorts_by_sla)
    except ValidationFailed as error:
        detail = "; ".join(f"`{name}`: {message}" for name, message in error.fields.items())
        raise ClientError(
            f"The view's filter no longer applies ({detail}); update the view.", BAD_USER_INPUT
        ) from error
