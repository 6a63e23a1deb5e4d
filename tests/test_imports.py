"""Imports point one way: app -> api (the assembly) -> {resolvers, subscriptions} -> schema (leaf types and
the request context) -> services -> models, with integrations beside the API (called by app, calling
services) and fastpath underneath services and the executor. Every import counts, a function's own or one
under TYPE_CHECKING too."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MAY_IMPORT: dict[str, set[str]] = {
    "models": set(),
    "fastpath": {"models"},
    "services": {"models", "fastpath"},
    "integrations": {"services", "models"},
    "schema": {"services", "models", "fastpath"},
    "resolvers": {"schema", "services", "models", "fastpath"},
    "subscriptions": {"schema", "services", "models", "fastpath"},
    "api": {"resolvers", "subscriptions", "schema", "services", "models", "fastpath"},
    "app": {"api", "resolvers", "subscriptions", "schema", "services", "models", "fastpath", "integrations"},
}
ALLOWED: set[tuple[str, str]] = set()
"""(module, imported package) pairs that may cross the picture; none today."""


def imports_of(path: Path) -> set[str]:
    """The top-level packages of ours that a module imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(MAY_IMPORT)


def crossings() -> list[str]:
    wrong = []
    for package, allowed in MAY_IMPORT.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for imported in sorted(imports_of(path) - allowed - {package}):
                if (module, imported) not in ALLOWED:
                    wrong.append(f"{module} imports {imported}")
    return wrong


def test_every_import_points_inward() -> None:
    assert crossings() == []


def test_the_check_sees_an_import_against_the_direction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "late.py").write_text(
        "def f():\n    from schema.context import Info\n    return Info\n"
    )
    for package in MAY_IMPORT:
        (tmp_path / package).mkdir(exist_ok=True)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert crossings() == ["services.late imports schema"]


def test_no_test_module_imports_from_another() -> None:
    """What several test modules share lives in tests/support/ or the other helper modules of tests/."""
    wrong = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            wrong += [f"{path.name} imports {name}" for name in names if name.startswith("tests.test_")]
    assert wrong == []


OPTIONAL = ("aioboto3", "redis", "aiosmtpd", "opentelemetry.sdk", "opentelemetry.exporter")
"""Heavy packages only some configurations use (S3 attachments, Redis, the SMTP listener, tracing):
imported where configured, not by every process that imports the application."""


def test_importing_the_application_leaves_the_optional_packages_to_the_configurations_that_use_them() -> None:
    script = (
        "import sys, app.main; "
        f"print(' '.join(name for name in {OPTIONAL!r} if any(m == name or m.startswith(name + '.') "
        "for m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == []
