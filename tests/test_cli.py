"""The ``deskql`` command as an operator runs it: one clear line for each mistake, never a traceback or a secret."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.servers import DESKQL, deskql, environment, migrate

ACCOUNT = ("create-account", "--name", "Initech", "--admin-name", "Bill")


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


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """A folder whose SQLite database is migrated, with the environment that uses it."""
    folder = tmp_path_factory.mktemp("cli")
    env = environment(database_url=f"sqlite://{folder}/deskql.sqlite3")
    migrate(env, folder)
    return env, folder


def test_create_account_asks_for_a_password_and_says_so_when_standard_input_is_closed(
    migrated: tuple[dict[str, str], Path],
) -> None:
    env, folder = migrated
    result = deskql(*ACCOUNT, "--admin-email", "bill@initech.test", "--password", env=env, cwd=folder)
    assert result.returncode == 2
    assert _one_line(result.stderr) == (
        "deskql: --password: no password could be read: standard input is closed "
        "(type it at a terminal or pipe it in)"
    )
    created = deskql(
        *ACCOUNT,
        "--admin-email",
        "bill@initech.test",
        "--password",
        env=env,
        cwd=folder,
        input="correct horse battery staple\n",
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip().splitlines()[-1].startswith("dq_")


def test_create_account_names_the_flag_of_a_wrong_value(migrated: tuple[dict[str, str], Path]) -> None:
    env, folder = migrated
    first = deskql(*ACCOUNT, "--admin-email", "peter@initech.test", env=env, cwd=folder)
    assert first.returncode == 0, first.stderr
    again = deskql(*ACCOUNT, "--admin-email", "Peter@Initech.test", env=env, cwd=folder)
    assert again.returncode == 2
    assert _one_line(again.stderr) == "deskql: --admin-email: A technician with this email already exists."
    wrong = deskql(*ACCOUNT, "--admin-email", "peter", env=env, cwd=folder)
    assert (
        _one_line(wrong.stderr) == "deskql: --admin-email: Must be an email address such as name@example.com."
    )


def test_makemigrations_says_so_when_the_models_need_no_migration(
    tmp_path: Path, repository_root: Path
) -> None:
    # The models and migrations are copied, so that nothing is ever written into the working tree.
    for package in ("models", "migrations"):
        shutil.copytree(repository_root / package, tmp_path / package)
    env = {**environment(), "PYTHONPATH": str(tmp_path)}
    result = deskql("makemigrations", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "deskql: no migration written: the models match the migrations."
    assert sorted(path.name for path in (tmp_path / "migrations").glob("*.py")) == sorted(
        path.name for path in (repository_root / "migrations").glob("*.py")
    )


def test_the_demo_names_the_command_as_it_can_be_run_from_the_shell(
    migrated: tuple[dict[str, str], Path],
) -> None:
    env, folder = migrated
    outside = deskql("demo", env={**env, "PATH": "/usr/bin:/bin"}, cwd=folder)
    assert outside.returncode == 0, outside.stderr
    assert f"run `{DESKQL} mail-in`" in outside.stdout
    activated = deskql("demo", env={**env, "PATH": f"{Path(DESKQL).parent}:/usr/bin:/bin"}, cwd=folder)
    assert "run `deskql mail-in`" in activated.stdout
