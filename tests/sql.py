"""Counting the SQL statements a piece of work sends, from Tortoise's own query log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from tortoise.log import db_client_logger


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(("Created connection pool", "Closed connection pool", "PRAGMA")):
            return
        self.statements.append(message)


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """The statements sent inside the block, in order."""
    recorder = _Recorder()
    previous_level = db_client_logger.level
    db_client_logger.setLevel(logging.DEBUG)
    db_client_logger.addHandler(recorder)
    try:
        yield recorder.statements
    finally:
        db_client_logger.removeHandler(recorder)
        db_client_logger.setLevel(previous_level)
