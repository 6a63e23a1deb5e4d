"""The browser side in a real browser: Debian's Chromium driven by Playwright against a real `deskql serve`
with the demo data, every request outside the server refused (as on an intranet without internet).

GraphiQL runs the README's query and a subscription; two technicians on one ticket see each other's avatars
and typing, and each other's replies and notes, live; the end user sees replies live and never a note; the
timer bar counts and survives a reload. A screenshot of the ticket page is kept in the test's tmp_path.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.servers import deskql, environment, free_port, migrate, serving

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
WEB_DIST = ROOT / "web" / "dist"

if not CHROMIUM.exists():
    pytest.skip(
        f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run installs it)",
        allow_module_level=True,
    )
if not (WEB_DIST / "index.html").exists():
    pytest.skip(
        "web/dist is not built: npm is missing or `make` has not built it yet", allow_module_level=True
    )

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, expect, sync_playwright  # noqa: E402

expect.set_options(timeout=10_000)

PRIYA = "Priya Shah"
MARCO = "Marco Bianchi"
EMMA = "Emma Fischer"
LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
  __typename ... on LoginSuccess { token } ... on Error { message } } }"""
CREATE_TICKET = """mutation($input: CreateTicketInput!) { createTicket(input: $input) {
  __typename ... on CreateTicketSuccess { ticket { id number } } ... on Error { message } } }"""


@dataclass
class Desk:
    """The running server, and its API for what the browser is not asked to do."""

    base: str
    refused: list[str] = field(default_factory=list)

    def post(self, query: str, variables: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = httpx.post(
            f"{self.base}/graphql", json={"query": query, "variables": variables}, headers=headers, timeout=10
        ).json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def token(self, email: str, password: str) -> str:
        login = self.post(LOGIN, {"input": {"email": email, "password": password}})["login"]
        assert login["__typename"] == "LoginSuccess", login
        token: str = login["token"]
        return token

    def new_ticket(self, title: str) -> tuple[str, int]:
        """A ticket Emma Fischer (the demo end user) opens herself: its id and number."""
        token = self.token("emma.fischer@contoso.example", "demo-end-user")
        created = self.post(
            CREATE_TICKET, {"input": {"title": title, "description": "Seen in a browser."}}, token
        )
        ticket = created["createTicket"]["ticket"]
        return ticket["id"], ticket["number"]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    cwd = tmp_path_factory.mktemp("browser")
    env = environment(
        database_url=f"sqlite://{cwd}/deskql.sqlite3",
        rate_limit_mutations_per_minute="100000",
        rate_limit_failed_logins="1000",
    )
    migrate(env, cwd)
    demo = deskql("demo", env=env, cwd=cwd)
    assert demo.returncode == 0, demo.stderr
    with serving(env, cwd, free_port()) as base:
        yield Desk(base)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        yield launch(playwright)


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM))


@pytest.fixture
def offline(browser: Browser, desk: Desk) -> Iterator[Any]:
    """New browser contexts (each its own cookies and storage: another person) that may reach deskql and
    nothing else; the test fails if a page asked for anything outside, or raised an error."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def only_deskql(route: Route) -> None:
        if route.request.url.startswith(f"{desk.base}/"):
            route.continue_()
        else:
            desk.refused.append(route.request.url)
            route.abort()

    def open_context() -> BrowserContext:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", only_deskql)
        context.on("weberror", lambda error: errors.append(str(error.error)))
        contexts.append(context)
        return context

    desk.refused.clear()
    yield open_context
    for context in contexts:
        context.close()
    assert desk.refused == []
    assert errors == []


def signed_in(context: BrowserContext, desk: Desk, who: str, path: str) -> Page:
    """A page of the context at ``path``, signed in with the login screen's demo account button."""
    page = context.new_page()
    page.goto(f"{desk.base}{path}")
    page.get_by_role("button", name=re.compile(f"^{who},")).click()
    expect(page.get_by_test_id("me")).to_contain_text(who)
    return page


def avatar(page: Page, name: str) -> Any:
    return page.get_by_test_id("presence").locator(f'[data-name="{name}"]')


def clock_seconds(page: Page) -> int:
    hours, minutes, seconds = (
        int(part) for part in page.get_by_test_id("timer-clock").inner_text().split(":")
    )
    return hours * 3600 + minutes * 60 + seconds


def readme_query() -> str:
    """The query under 'A first query' in the README."""
    section = (ROOT / "README.md").read_text().split("\n## A first query\n", 1)[1]
    return section.split("```graphql\n", 1)[1].split("```", 1)[0]


def graphiql(page: Page, desk: Desk, query: str, variables: dict[str, Any], token: str) -> None:
    """GraphiQL opened with a query, its variables and the header, then run."""
    headers = {"Authorization": f"Bearer {token}"}
    address = urllib.parse.urlencode(
        {"q": query, "variables": json.dumps(variables), "headers": json.dumps(headers)}
    )
    page.goto(f"{desk.base}/graphql?{address}")
    expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible()
    expect(page.locator(".result-window .CodeMirror")).to_be_attached()
    page.get_by_role("button", name="Execute query").click()


def test_graphiql_loads_without_internet_and_runs_the_readmes_query_and_a_subscription(
    desk: Desk, offline: Any
) -> None:
    token = desk.token("priya.shah@northwind.example", "demo-technician")
    ticket_id, number = desk.new_ticket("GraphiQL follows this ticket")
    page = offline().new_page()

    graphiql(page, desk, readme_query(), {"number": 200}, token)
    result = page.locator(".result-window")
    expect(result).to_contain_text('"number": 200')
    expect(result).to_contain_text('"conversation"')
    expect(page.locator("#graphiql")).not_to_contain_text("Loading...")

    subscription = (
        "subscription Follow($id: ID!) { ticketUpdated(ticketId: $id) { kind ticket { number priority } } }"
    )
    graphiql(page, desk, subscription, {"id": ticket_id}, token)
    expect(result).to_contain_text('"SNAPSHOT"')
    expect(result).to_contain_text(f'"number": {number}')
    change = "mutation($id: ID!) { updateTicket(input: {id: $id, priority: CRITICAL}) { __typename } }"
    assert desk.post(change, {"id": ticket_id}, token)["updateTicket"]["__typename"] == "UpdateTicketSuccess"
    expect(result).to_contain_text('"TICKET_UPDATED"')
    expect(result).to_contain_text('"CRITICAL"')


def test_two_technicians_on_one_ticket_see_each_other_and_each_others_words_live(
    desk: Desk, offline: Any, tmp_path: Path
) -> None:
    _, number = desk.new_ticket("VPN drops every ten minutes")
    priya = signed_in(offline(), desk, PRIYA, f"/tickets/{number}")
    expect(priya.get_by_test_id("ticket-title")).to_have_text(f"#{number} VPN drops every ten minutes")
    expect(avatar(priya, PRIYA)).to_be_visible()
    marco_context = offline()
    marco = signed_in(marco_context, desk, MARCO, f"/tickets/{number}")
    expect(avatar(marco, MARCO)).to_be_visible()
    expect(avatar(marco, PRIYA)).to_be_visible(timeout=1000)
    expect(avatar(priya, MARCO)).to_be_visible(timeout=1000)

    priya.get_by_role("tab", name="Internal note").click()
    priya.get_by_role("textbox", name="Internal note").press_sequentially("Checking the firewall", delay=10)
    expect(avatar(marco, PRIYA)).to_have_attribute("data-state", "TYPING_NOTE")
    priya.get_by_role("textbox", name="Internal note").fill("NOTE-8e1f: the firewall drops idle tunnels")
    priya.get_by_role("button", name="Add note").click()
    expect(priya.get_by_test_id("conversation")).to_contain_text("NOTE-8e1f")
    priya.get_by_role("tab", name="Reply").click()
    priya.get_by_role("textbox", name="Reply").fill("REPLY-8e1f: please try again now")
    priya.get_by_role("button", name="Send reply").click()

    conversation = marco.get_by_test_id("conversation")
    expect(conversation).to_contain_text("NOTE-8e1f")
    expect(conversation).to_contain_text("REPLY-8e1f")
    expect(marco.get_by_test_id("activity")).to_contain_text("public reply added")
    expect(avatar(marco, PRIYA)).to_have_attribute("data-state", "VIEWING")

    screenshot = tmp_path / "ticket-page.png"
    priya.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert screenshot.stat().st_size > 10_000

    marco_context.close()
    expect(avatar(priya, MARCO)).to_have_count(0)
    expect(avatar(priya, PRIYA)).to_be_visible()


def test_the_end_user_sees_replies_live_and_never_a_note(desk: Desk, offline: Any) -> None:
    ticket_id, number = desk.new_ticket("Printer on floor 2 jams")
    emma = signed_in(offline(), desk, EMMA, f"/tickets/{number}")
    expect(emma.get_by_test_id("ticket-title")).to_have_text(f"#{number} Printer on floor 2 jams")
    expect(emma.get_by_role("tab", name="Internal note")).to_have_count(0)
    expect(emma.get_by_test_id("presence")).to_have_count(0)

    token = desk.token("priya.shah@northwind.example", "demo-technician")
    note = "mutation($input: AddInternalNoteInput!) { addInternalNote(input: $input) { __typename } }"
    reply = "mutation($input: AddPublicReplyInput!) { addPublicReply(input: $input) { __typename } }"
    desk.post(note, {"input": {"ticketId": ticket_id, "body": "<p>NOTE-51c2: jams when duplex</p>"}}, token)
    desk.post(reply, {"input": {"ticketId": ticket_id, "body": "<p>REPLY-51c2: on the way</p>"}}, token)

    expect(emma.get_by_test_id("conversation")).to_contain_text("REPLY-51c2")
    assert "NOTE-51c2" not in emma.content()
    emma.reload()
    expect(emma.get_by_test_id("conversation")).to_contain_text("REPLY-51c2")
    assert "NOTE-51c2" not in emma.content()

    emma.get_by_role("textbox", name="Reply").fill("REPLY-51c2-back: thank you")
    emma.get_by_role("button", name="Send reply").click()
    expect(emma.get_by_test_id("conversation")).to_contain_text("REPLY-51c2-back")


def test_the_timer_bar_counts_and_survives_a_reload(desk: Desk, offline: Any) -> None:
    _, number = desk.new_ticket("New starter needs a laptop")
    page = signed_in(offline(), desk, PRIYA, f"/tickets/{number}")
    timer = page.get_by_test_id("timer")
    expect(timer).to_have_attribute("data-state", "RUNNING")  # opening the ticket started it
    expect(page.get_by_test_id("timer-clock")).to_have_text(re.compile(r"^0:00:0[2-9]$"))

    counted = clock_seconds(page)
    page.reload()
    expect(timer).to_have_attribute("data-state", "RUNNING")
    expect(page.get_by_test_id("timer-clock")).to_have_text(re.compile(r"^0:00:\d\d$"))
    assert clock_seconds(page) >= counted

    page.get_by_role("button", name="Pause").click()
    expect(timer).to_have_attribute("data-state", "PAUSED")
    paused_at = page.get_by_test_id("timer-clock").inner_text()
    page.reload()
    expect(timer).to_have_attribute("data-state", "PAUSED")
    expect(page.get_by_test_id("timer-clock")).to_have_text(paused_at)

    page.get_by_role("button", name="Stop").click()
    expect(timer).to_have_attribute("data-state", "NONE")
    expect(page.get_by_test_id("activity")).to_contain_text("time entry added")
    page.get_by_role("button", name="Start").click()
    expect(timer).to_have_attribute("data-state", "RUNNING")
