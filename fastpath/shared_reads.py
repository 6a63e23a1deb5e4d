"""Shared reads: what the subscribers of one event in one audience (services.visibility.audience) read is
read once, so that an event read by 500 technicians costs the queries, and with api.execution's shared
results the execution, of one. With the fast path off every subscriber reads for itself."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from fastpath import switch

Read = TypeVar("Read")


class SharedReads(Generic[Read]):
    """The reads of the last ``size`` events, per event and audience."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._reads: OrderedDict[tuple[int, Hashable], tuple[object, Read]] = OrderedDict()

    def for_event(self, event: object, audience: Hashable, read: Callable[[], Read]) -> Read:
        """The read of ``event`` for ``audience``: made by ``read()`` the first time it is asked for."""
        if not switch.on():
            return read()
        # The event is kept in the entry, so that its id() cannot be reused while the entry is kept.
        key = (id(event), audience)
        found = self._reads.get(key)
        if found is not None:
            self._reads.move_to_end(key)
            return found[1]
        made = read()
        self._reads[key] = (event, made)
        if len(self._reads) > self.size:
            self._reads.popitem(last=False)
        return made
