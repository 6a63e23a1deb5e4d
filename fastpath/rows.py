"""Model instances from the rows of a kept statement, as Tortoise's ``Model._init_from_db`` makes them.

Tortoise turns a row into keyword arguments and sets each attribute through the model's ``__setattr__``
guard: 10 to 15 µs a comment, most of the CPU a page of 50 comments costs once the SQL is kept. A reader is worked out once
per model from the same field lists ``_init_from_db`` walks (values the driver returns as they are, values
passed through the field's type, values converted by the field) and fills the instance's ``__dict__``
directly. A row without some column (never the case for a kept statement, which selects every field), or
a model with a field that a descriptor on its class would intercept, takes Tortoise's own way.

Which values the driver returns as they are depends on the dialect (asyncpg returns dates, SQLite text),
and Tortoise works those lists out again whenever it is initialised for a database: so a reader is kept per
model and dialect, and one process may read PostgreSQL and then SQLite (``make bench`` does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from tortoise.fields import Field
from tortoise.fields.data import CharEnumFieldInstance, DatetimeField
from tortoise.models import Model
from tortoise.timezone import get_default_timezone, get_use_tz

ModelT = TypeVar("ModelT", bound=Model)
Reader = Callable[[Mapping[str, Any]], Model]

_readers: dict[tuple[type[Model], str], Reader] = {}


def _tortoise_reader(model: type[Model]) -> Reader:
    return lambda row: model._init_from_db(**dict(row))


def _intercepted(model: type[Model], attribute: str) -> bool:
    return hasattr(type(getattr(model, attribute, None)), "__set__")


def _reader(model: type[Model], prefix: str = "") -> Reader:
    """``prefix``: the alias before the columns of a joined model (``ticket__status.``)."""
    meta = model._meta
    native = tuple((prefix + key, attribute) for key, attribute, _ in meta.db_native_fields)
    typed = tuple(
        (prefix + key, attribute, field.field_type) for key, attribute, field in meta.db_default_fields
    )
    converted = tuple(
        (prefix + key, attribute, _converter(field)) for key, attribute, field in meta.db_complex_fields
    )
    fallback = _tortoise_reader(model) if not prefix else _unreadable
    fields = (*meta.db_native_fields, *meta.db_default_fields, *meta.db_complex_fields)
    if any(_intercepted(model, attribute) for _, attribute, _ in fields):
        return fallback
    custom_generated_pk = meta.db_pk_column not in meta.generated_db_fields
    new = model.__new__

    def read(row: Mapping[str, Any]) -> Model:
        instance = new(model)
        values = instance.__dict__
        values["_partial"] = False
        values["_saved_in_db"] = True
        values["_custom_generated_pk"] = custom_generated_pk
        values["_await_when_save"] = {}
        try:
            for key, attribute in native:
                values[attribute] = row[key]
            for key, attribute, kind in typed:
                value = row[key]
                values[attribute] = None if value is None else kind(value)
            for key, attribute, convert in converted:
                values[attribute] = convert(row[key])
        except KeyError:
            return fallback(row)
        return instance

    return read


def _converter(field: Field[Any]) -> Callable[[Any], Any]:
    """The field's ``to_python_value``, quicker with the same result for the values a ticket row holds a
    dozen of: an aware UTC time as asyncpg returns it (Tortoise moves it to the default time zone) and the
    text of an enum member (Tortoise calls the enum)."""
    convert = field.to_python_value
    if isinstance(field, DatetimeField):

        def time(value: Any) -> Any:
            if type(value) is datetime and value.tzinfo is UTC and get_use_tz():
                return value.astimezone(get_default_timezone())
            return convert(value)

        return time
    if isinstance(field, CharEnumFieldInstance):
        members = field.enum_type._value2member_map_

        def member(value: Any) -> Any:
            found = members.get(value) if type(value) is str else None
            return convert(value) if found is None else found

        return member
    return convert


def _unreadable(row: Mapping[str, Any]) -> Model:
    raise KeyError("a joined row without some column")


def _joined_reader(model: type[Model], related: tuple[Any, ...]) -> Callable[[Mapping[str, Any]], Model]:
    """A reader of rows with ``select_related`` ones, as Tortoise's executor reads them (``related``: its
    ``_select_related_idx`` after the model's own entry): each joined row under its alias's columns (the
    same names Tortoise reads them by), set on its parent as ``_<relation>``, or None when its primary key
    is null (a LEFT JOIN that found nothing). Tortoise's way for a model with intercepted fields."""
    read = _reader(model)
    base = model._meta.db_table
    joins = []
    for related_model, _, relation, _, path in related:
        alias = "__".join([base, *[name for name in path if name]])
        parent_path = tuple(name for name in path if name)[:-1]
        pk_key = f"{alias}.{related_model._meta.db_pk_column}"
        joins.append((parent_path, relation, pk_key, _reader(related_model, f"{alias}.")))

    def read_joined(row: Mapping[str, Any]) -> Model:
        instance = read(row)
        made: dict[tuple[str, ...], Model] = {(): instance}
        for parent_path, relation, pk_key, read_related in joins:
            joined = None if row[pk_key] is None else read_related(row)
            parent = made.get(parent_path)
            if parent is not None:
                vars(parent)[f"_{relation}"] = joined
            if joined is not None:
                made[(*parent_path, relation)] = joined
        return instance

    return read_joined


def joined_reader(
    model: type[Model], related: tuple[Any, ...], dialect: str
) -> Callable[[Mapping[str, Any]], Model] | None:
    """The reader of rows of ``model`` with ``select_related`` rows (``related``: see ``_joined_reader``),
    or None when one of the models takes Tortoise's own way: then Tortoise's executor reads them."""
    key = (model, dialect, related)
    if key not in _joined_readers:
        models = (model, *[entry[0] for entry in related])
        plain = not any(_intercepted_model(m) for m in models)
        _joined_readers[key] = _joined_reader(model, related) if plain else None
    return _joined_readers[key]


def _intercepted_model(model: type[Model]) -> bool:
    meta = model._meta
    fields = (*meta.db_native_fields, *meta.db_default_fields, *meta.db_complex_fields)
    return any(_intercepted(model, attribute) for _, attribute, _ in fields)


_joined_readers: dict[tuple[Any, ...], Callable[[Mapping[str, Any]], Model] | None] = {}


def instances(model: type[ModelT], rows: Iterable[Any], dialect: str) -> list[ModelT]:
    """The model instances of complete rows of ``model``'s table, read from a database of ``dialect``."""
    read = _readers.get((model, dialect))
    if read is None:
        read = _readers[model, dialect] = _reader(model)
    return [read(row) for row in rows]  # type: ignore[misc]
