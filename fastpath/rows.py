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
from typing import Any, TypeVar

from tortoise.models import Model

ModelT = TypeVar("ModelT", bound=Model)
Reader = Callable[[Mapping[str, Any]], Model]

_readers: dict[tuple[type[Model], str], Reader] = {}


def _tortoise_reader(model: type[Model]) -> Reader:
    return lambda row: model._init_from_db(**dict(row))


def _intercepted(model: type[Model], attribute: str) -> bool:
    return hasattr(type(getattr(model, attribute, None)), "__set__")


def _reader(model: type[Model]) -> Reader:
    meta = model._meta
    native = tuple((key, attribute) for key, attribute, _ in meta.db_native_fields)
    typed = tuple((key, attribute, field.field_type) for key, attribute, field in meta.db_default_fields)
    converted = tuple(
        (key, attribute, field.to_python_value) for key, attribute, field in meta.db_complex_fields
    )
    fallback = _tortoise_reader(model)
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


def instances(model: type[ModelT], rows: Iterable[Any], dialect: str) -> list[ModelT]:
    """The model instances of complete rows of ``model``'s table, read from a database of ``dialect``."""
    read = _readers.get((model, dialect))
    if read is None:
        read = _readers[model, dialect] = _reader(model)
    return [read(row) for row in rows]  # type: ignore[misc]
