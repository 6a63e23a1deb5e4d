"""Whether the speed-ups of this package are applied (``DESKQL_FAST_PATH``, on by default). Answers are the
same either way (tests/test_fast_path.py); only the work done for them differs."""

from __future__ import annotations

_on = True


def on() -> bool:
    return _on


def turn(on: bool) -> None:
    global _on
    _on = on
