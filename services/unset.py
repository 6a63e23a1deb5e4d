"""The marker of an argument that was not given (as opposed to given as None, which clears a value)."""

from typing import Any, Final


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final[Any] = _Unset()
