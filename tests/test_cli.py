"""The ``deskql`` command as an operator runs it: one clear line for each mistake, never a traceback or a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import deskql, environment


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("variable", "value", "secret"),
    [
        ("secret_key", "short-but-secret", "short-but-secret"),
        ("mail_inbound_secret", "tiny-inbound-secret", "tiny-inbound-secret"),
        ("database_url", "mysql://deskql:hunter2-db@db.example/deskql", "hunter2-db"),
        ("database_url", "postgres//deskql:hunter2-typo@db.example/deskql", "hunter2-typo"),
        ("smtp_url", "imap://mailer:hunter2-smtp@mail.example", "hunter2-smtp"),
        ("broadcast_url", "amqp://guest:hunter2-broadcast@mq.example", "hunter2-broadcast"),
        ("openai_base_url", "models.example.com/v1?key=hunter2-ai", "hunter2-ai"),
    ],
)
def test_a_wrong_secret_setting_is_named_without_its_value(
    tmp_path: Path, variable: str, value: str, secret: str
) -> None:
    result = deskql("migrate", env=environment(**{variable: value}), cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line(result.stderr).startswith(f"deskql: DESKQL_{variable.upper()}: ")
    assert secret not in result.stderr + result.stdout


def test_a_wrong_plain_setting_still_shows_what_was_given(tmp_path: Path) -> None:
    result = deskql("migrate", env=environment(port="eighty"), cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line(result.stderr) == (
        "deskql: DESKQL_PORT: Input should be a valid integer, unable to parse string as an integer (got 'eighty')"
    )
