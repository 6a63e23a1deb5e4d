"""The README and docs/ hold together: every link and anchor resolves, and the settings table is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUNTIME_PACKAGES = ("app", "models", "services", "schema", "resolvers", "subscriptions", "integrations")
TEST_ONLY = ("DESKQL_TEST_", "DESKQL_REQUIRE_SERVICES", "DESKQL_BENCH_", "DESKQL_FUZZ_")
"""Variables read by the tests and benchmarks, not by deskql: documented beside the tests, not as settings."""

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
VARIABLE = re.compile(r"DESKQL_[A-Z0-9_]+")
READ_FROM_ENVIRONMENT = re.compile(r"""(?:environ(?:\.get)?\s*[\[(]|getenv\s*\()\s*["'](DESKQL_[A-Z0-9_]+)""")


def prose(text: str) -> str:
    """The text without code blocks and code spans, where brackets and hashes are not markdown."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text lower-cased, punctuation other than '-' and '_' dropped,
    spaces turned into '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of a page's headings; a repeated heading gets -1, -2, ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for match in HEADING.finditer(FENCE.sub("", page.read_text())):
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(page: Path) -> list[str]:
    return LINK.findall(prose(page.read_text()))


def test_the_slug_follows_github() -> None:
    assert slug("The ticket's context") == "the-tickets-context"
    assert slug("Persisted queries and failures") == "persisted-queries-and-failures"
    assert slug("`deskql serve` and its_workers: 2 (two)") == "deskql-serve-and-its_workers-2-two"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_and_anchor_resolves(page: Path) -> None:
    broken = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:, ...
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.relative_to(ROOT)}")
    assert broken == []


def test_the_readme_links_every_docs_page() -> None:
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in links(ROOT / "README.md")}
    assert [page.name for page in PAGES[1:] if page.resolve() not in linked] == []


def settings_table() -> list[str]:
    """The variables named in the first column of the table under '## Settings' in docs/operations.md."""
    text = (ROOT / "docs" / "operations.md").read_text()
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `DESKQL_")]
    return [name for row in rows for name in VARIABLE.findall(row.split("|")[1])]


def settings_read() -> set[str]:
    """Every DESKQL_* variable deskql reads: the fields of Settings, and any read from os.environ directly."""
    names = {f"DESKQL_{field.upper()}" for field in Settings.model_fields}
    for package in RUNTIME_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            names.update(READ_FROM_ENVIRONMENT.findall(path.read_text()))
    return {name for name in names if not name.startswith(TEST_ONLY)}


def test_the_settings_table_lists_every_setting_and_nothing_else() -> None:
    table = settings_table()
    read = settings_read()
    missing = sorted(read - set(table))
    assert missing == [], f"add rows to the settings table in docs/operations.md for {missing}"
    unknown = sorted(set(table) - read)
    assert unknown == [], (
        f"the settings table in docs/operations.md lists {unknown}, which deskql does not read"
    )
    assert sorted({name for name in table if table.count(name) > 1}) == []


def test_every_variable_of_the_tests_and_benchmarks_is_documented() -> None:
    documented = set(VARIABLE.findall("\n".join(page.read_text() for page in PAGES)))
    read = set()
    for folder in ("tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            read.update(READ_FROM_ENVIRONMENT.findall(path.read_text()))
    assert sorted(read - documented) == []
