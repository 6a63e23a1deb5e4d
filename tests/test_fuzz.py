"""Schema fuzzing: every root query and mutation field, as an admin, a technician and an end user,
against a real `deskql serve` process loaded with the demo data (`deskql migrate` + `deskql demo`).

schemathesis (hypothesis-graphql underneath) writes documents for one root field at a time: arguments of
every input type, nested selections, fragments on the result unions. Whatever it sends, the server must
never answer 5xx, and every top-level error must carry one of the codes the README promises for a client
mistake (KNOWN_CODES) with no Python exception text in it. An unexpected failure is masked as
INTERNAL_SERVER_ERROR: that, or an error without a code, is what this test looks for. Expected failures of
mutations are typed errors in `data` and need no check here.

- IDs come mostly from a pool of real ones (the demo data, then every ID a fuzzed answer returned), of
  the type the argument's name suggests (`ticketId`, `setStatusId`, `id` in `updateTimeEntry`), so that
  mutations reach the services instead of stopping at "not a valid ID"; the rest are real IDs of any
  type, well-formed IDs of nothing (also past 32 bits) and junk.
- String arguments are sometimes swapped for text clients do send: NUL, LIKE wildcards, a bidi override,
  70,000 characters.
- Custom scalars get hostile values too: naive and offset DateTimes, the first and last days of the
  calendar, Decimal NaN and huge exponents, arbitrary JSON, and strings where a multipart upload belongs.
- Bounded for `make test`: a fixed seed per operation and role (the same documents every run),
  MAX_EXAMPLES documents per operation and role, generation only (a failure is reported with its
  document and the exception the server logged, not shrunk against data the fuzzing keeps changing).
- The server runs on PostgreSQL when DESKQL_TEST_DATABASE_URL is set (the production database, and the
  stricter one), on SQLite otherwise.
- Nothing is left out. `logout` revokes the token it is called with (and, with allSessions, every login
  token of its viewer), so each of its examples logs in a throwaway user of the role first and logs that
  session out. Subscriptions are not fuzzed: schemathesis generates queries and mutations only.
"""

from __future__ import annotations

import base64
import json
import os
import re
import string
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import graphql
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from models.accounts import Technician
from schema.ids import encode
from tests.api import Api
from tests.conftest import POSTGRES_URL, PostgresDatabases
from tests.factories import make_world
from tests.servers import deskql, environment, free_port, migrate, serving

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = schemathesis.graphql.from_path(ROOT / "schema.graphql")
OPERATIONS = [result.ok().label for result in SCHEMA.get_all_operations()]
NODE_TYPES = sorted(
    name
    for name, type_ in SCHEMA.client_schema.type_map.items()
    if isinstance(type_, graphql.GraphQLObjectType) and "Node" in {i.name for i in type_.interfaces}
)
ROLES = ("admin", "technician", "end user")
# make test sends 10; dig deeper with DESKQL_FUZZ_EXAMPLES=200 DESKQL_FUZZ_SEED=7 pytest tests/test_fuzz.py
MAX_EXAMPLES = int(os.environ.get("DESKQL_FUZZ_EXAMPLES", "10"))
SEED = os.environ.get("DESKQL_FUZZ_SEED", "")

KNOWN_CODES = {
    "BAD_USER_INPUT",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "GRAPHQL_VALIDATION_FAILED",
    "QUERY_TOO_LARGE",
    "AI_UNAVAILABLE",
    "BAD_REQUEST",
}
PYTHON_TEXT = re.compile(
    r"Traceback|File \"|<class '|object has no attribute|NoneType|not subscriptable|keyword argument"
    r"|positional argument|tortoise|asyncpg|sqlite|IntegrityError|OperationalError|decimal\.",
    re.IGNORECASE,
)

HARVEST = """{
  viewer { technician { id } requester { id } account { id } }
  technicians(includeInactive: true) { id }
  ticketStatuses(includeArchived: true) { id }
  replyTemplates { id }
  customFields(includeArchived: true) { id }
  formTemplates(includeArchived: true) { id }
  slaPolicies { id }
  businessCalendars { id }
  devices(first: 50) { id }
  alerts(first: 50) { id }
  kbArticles(first: 50) { id }
  notifications(first: 50) { edges { node { id } } }
  tickets(first: 100, filter: {isSpam: null}) { edges { node {
    id
    requester { id customer { id } site { id } department { id } contracts { id } }
    conversation(first: 10) { edges { node { id attachments { id } } } }
    activity(first: 2) { edges { node { id } } }
    timeEntries(first: 5) { edges { node { id } } }
    items { id } chats { id } calendarEvents { id } satisfactionSurvey { id }
  } } }
}"""


def _token(output: str, role: str) -> str:
    match = re.search(rf"^\s+{role}\s+\S+\s+(dq_\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def _type_of(value: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode().partition(":")[0]
    except ValueError:
        return None


@dataclass
class IdPool:
    """Real global IDs by type, in the order they were first seen (so draws are reproducible)."""

    by_type: dict[str, list[str]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def add(self, answer: Any) -> None:
        if isinstance(answer, dict):
            for key, value in answer.items():
                if key == "id" and isinstance(value, str) and value not in self.seen:
                    type_name = _type_of(value)
                    if type_name:
                        self.seen.add(value)
                        self.by_type.setdefault(type_name, []).append(value)
                else:
                    self.add(value)
        elif isinstance(answer, list):
            for item in answer:
                self.add(item)

    def pick(self, choice: tuple[int, int]) -> str:
        types = list(self.by_type)
        ids = self.by_type[types[choice[0] % len(types)]]
        return ids[choice[1] % len(ids)]

    def of(self, type_names: list[str]) -> list[str]:
        return [value for name in type_names for value in self.by_type.get(name, ())]


def _words(name: str) -> list[str]:
    return re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)


ALIASES = {"Assignee": "Technician", "Attendee": "Technician"}


def types_named(name: str, root_field: str) -> list[str]:
    """The node types an ID argument or input field probably names: `setStatusId` a TicketStatus,
    `mentionTechnicianIds` Technicians, and `id` in `updateTimeEntry` a TimeEntry; all when unsure."""
    if name in ("id", "ids"):
        words = _words(root_field)
        words = words[1:] or words  # the verb off: updateTimeEntry, reorderTicketStatuses; not off ticket
    else:
        words = _words(re.sub(r"Ids?$", "", name))
    for start in range(len(words)):
        suffix = "".join(word[:1].upper() + word[1:] for word in words[start:])
        for singular in (ALIASES.get(suffix, suffix), suffix.removesuffix("s"), suffix.removesuffix("es")):
            matches = [type_name for type_name in NODE_TYPES if type_name.endswith(singular)]
            if matches:
                return matches
    return NODE_TYPES


# Strings clients do send: NUL (PostgreSQL refuses it), LIKE wildcards, bidi overrides, a pasted log.
HOSTILE_STRINGS = ["\x00", "a\x00b@example.com", "%_\\", "\u202e\u0000 ", "x" * 70_000]


class _Tamper(graphql.Visitor):
    """Puts real IDs of the likely type into ID literals and hostile text into String literals; ``choose``
    picks one of the candidates (with a chance in four), or None to keep the literal as generated."""

    def __init__(self, type_info: graphql.TypeInfo, root_field: str, pool: IdPool, choose: Callable) -> None:
        super().__init__()
        self.type_info, self.root_field, self.pool, self.choose = type_info, root_field, pool, choose
        self.names: list[str] = []

    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> None:
        self.names.append(node.name.value)

    def leave_argument(self, *_: Any) -> None:
        self.names.pop()

    def enter_object_field(self, node: graphql.ObjectFieldNode, *_: Any) -> None:
        self.names.append(node.name.value)

    def leave_object_field(self, *_: Any) -> None:
        self.names.pop()

    def enter_string_value(self, node: graphql.ValueNode, *_: Any) -> graphql.ValueNode | None:
        return self._swap()

    def enter_int_value(self, node: graphql.ValueNode, *_: Any) -> graphql.ValueNode | None:
        return self._swap()

    def _swap(self) -> graphql.ValueNode | None:
        named = graphql.get_named_type(self.type_info.get_input_type())
        if named is None or not self.names:
            return None
        if named.name == "ID":  # most of the time a real one
            chosen = self.choose(self.pool.of(types_named(self.names[-1], self.root_field)), 3)
        elif named.name == "String":  # now and then
            chosen = self.choose(HOSTILE_STRINGS, 1)
        else:
            return None
        return None if chosen is None else nodes.String(chosen)


def tampered(body: str, schema: graphql.GraphQLSchema, pool: IdPool, choose: Callable) -> str:
    document = graphql.parse(body)
    operation = next(d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode))
    root = next(s for s in operation.selection_set.selections if isinstance(s, graphql.FieldNode))
    type_info = graphql.TypeInfo(schema)
    visitor = _Tamper(type_info, root.name.value, pool, choose)
    return graphql.print_ast(graphql.visit(document, graphql.TypeInfoVisitor(type_info, visitor)))


def _ids(pool: IdPool) -> st.SearchStrategy[graphql.ValueNode]:
    real = st.tuples(st.integers(0, 2**16), st.integers(0, 2**16)).map(pool.pick)
    forged = st.builds(encode, st.sampled_from(NODE_TYPES), st.integers(0, 2**33).map(int))
    junk = st.text(max_size=12) | st.builds(lambda t, n: f"{t}:{n}", st.sampled_from(NODE_TYPES), st.text())
    return st.one_of(real, real, real, forged, junk).map(nodes.String) | st.integers().map(nodes.Int)


_NAMES = st.text(string.ascii_letters + "_", min_size=1, max_size=8)
_JSON: st.SearchStrategy[graphql.ValueNode] = st.recursive(
    st.just(nodes.Null)
    | st.booleans().map(nodes.Boolean)
    | st.integers().map(nodes.Int)
    | st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float)
    | st.text(max_size=20).map(nodes.String),
    lambda children: (
        st.lists(children, max_size=3).map(nodes.List)
        | st.dictionaries(_NAMES, children, max_size=3).map(
            lambda fields: nodes.Object(
                [
                    graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)
                    for name, value in fields.items()
                ]
            )
        )
    ),
    max_leaves=6,
)
_OFFSETS = st.integers(-23 * 60, 23 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_DATETIMES = st.one_of(
    st.datetimes(timezones=st.just(UTC)).map(lambda moment: moment.isoformat().replace("+00:00", "Z")),
    st.datetimes(timezones=_OFFSETS).map(datetime.isoformat),
    st.datetimes().map(datetime.isoformat),  # naive: no offset at all
    st.sampled_from(["0001-01-01T00:00:00+05:00", "9999-12-31T23:30:00-05:00", "9999-12-31T23:59:59Z"]),
    st.text(max_size=25),
)
SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "DateTime": _DATETIMES.map(nodes.String),
    "Date": (st.dates().map(str) | st.sampled_from(["0001-01-01", "9999-12-31"]) | st.text(max_size=12)).map(
        nodes.String
    ),
    "Decimal": (
        st.one_of(
            st.decimals().map(str), st.sampled_from(["1e999999", "-1E-999999", "0.1e5"]), st.text(max_size=8)
        ).map(nodes.String)
        | st.integers().map(nodes.Int)
        | st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float)
    ),
    "JSON": _JSON,
    # What a client that does not speak the multipart protocol sends for a file.
    "Upload": (st.text(max_size=20).map(nodes.String) | st.integers().map(nodes.Int)),
}


def _messages(answer: Any) -> Iterator[str]:
    """The `message` of every typed mutation error in `data`, and of their `fields`."""
    if isinstance(answer, dict):
        if isinstance(answer.get("message"), str) and ("code" in answer or "field" in answer):
            yield answer["message"]
        for value in answer.values():
            yield from _messages(value)
    elif isinstance(answer, list):
        for item in answer:
            yield from _messages(item)


def problem_with(status: int, text: str) -> str | None:
    """Why this answer breaks the promise, or None."""
    if status >= 500:
        return f"HTTP {status}: {text[:500]}"
    try:
        answer = json.loads(text)
    except ValueError:
        return f"HTTP {status}, not JSON: {text[:500]}"
    for error in answer.get("errors") or ():
        code = (error.get("extensions") or {}).get("code")
        if code not in KNOWN_CODES:
            return f"error with code {code}: {json.dumps(error)[:500]}"
        if PYTHON_TEXT.search(error.get("message", "")):
            return f"Python in an error message: {json.dumps(error)[:500]}"
    for message in _messages(answer.get("data")):
        if PYTHON_TEXT.search(message):
            return f"Python in a mutation error: {message[:500]}"
    return None


@dataclass
class Fuzzing:
    base: str
    tokens: dict[str, str]
    throwaways: dict[str, tuple[str, str]]
    """Per role, the email and password of a user that only `logout` uses."""
    live: Any
    pool: IdPool
    log: Path
    session: requests.Session = field(default_factory=requests.Session)

    def post(self, query: str, token: str, variables: dict[str, Any] | None = None) -> Any:
        response = self.session.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        return response.json()

    def fresh_login(self, role: str) -> str:
        email, password = self.throwaways[role]
        login = """mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) {
          ... on LoginSuccess { token } } }"""
        answer = self.post(login, "", {"e": email, "p": password})
        token: str = answer["data"]["login"]["token"]
        return token

    def token_for(self, label: str, role: str) -> Callable[[], str]:
        if label == "Mutation.logout":
            return lambda: self.fresh_login(role)
        return lambda: self.tokens[role]

    def cause(self, request_id: str) -> str:
        """The exception the server logged for a request (the masked error's cause), or ""."""
        lines = self.log.read_text(errors="replace").splitlines()
        start = next((i for i, line in enumerate(lines) if request_id and f"[{request_id}]" in line), None)
        if start is None:
            return ""
        return next((line for line in lines[start + 2 :] if line and not line[0].isspace()), "")[:300]


def _throwaways(fuzzing: Fuzzing, admin: str) -> None:
    create_technician = """mutation($input: CreateTechnicianInput!) { createTechnician(input: $input) {
      __typename ... on Error { message } } }"""
    create_requester = """mutation($input: CreateRequesterInput!) { createRequester(input: $input) {
      __typename ... on Error { message } } }"""
    password = "throwaway-password"
    for role, mutation, person in (
        ("admin", create_technician, {"email": "fuzz.admin@northwind.example", "role": "ADMIN"}),
        ("technician", create_technician, {"email": "fuzz.technician@northwind.example"}),
        ("end user", create_requester, {"email": "fuzz.requester@contoso.example"}),
    ):
        answer = fuzzing.post(mutation, admin, {"input": {"name": "Fuzz", "password": password, **person}})
        assert "Success" in json.dumps(answer), answer
        fuzzing.throwaways[role] = (person["email"], password)


@pytest.fixture(scope="module")
async def fuzzing(
    tmp_path_factory: pytest.TempPathFactory, postgres_databases: PostgresDatabases | None
) -> AsyncIterator[Fuzzing]:
    cwd = tmp_path_factory.mktemp("fuzz")
    if POSTGRES_URL:
        assert postgres_databases is not None
        database = {"database_url": await postgres_databases.create(migrated=True), "secret_key": "f" * 40}
    else:
        database = {"database_url": f"sqlite://{cwd}/deskql.sqlite3"}
    # A thousand mutations a minute from one token is the point here, not abuse.
    env = environment(**database, rate_limit_mutations_per_minute="1000000", rate_limit_failed_logins="10000")
    migrate(env, cwd)
    demo = deskql("demo", env=env, cwd=cwd)
    assert demo.returncode == 0, demo.stderr
    admin = _token(demo.stdout, "admin")
    port = free_port()
    with serving(env, cwd, port) as base:
        auth = {"Authorization": f"Bearer {admin}"}
        fuzzing = Fuzzing(
            base=base,
            tokens={role: _token(demo.stdout, role) for role in ROLES},
            throwaways={},
            live=schemathesis.graphql.from_url(f"{base}/graphql", headers=auth),
            pool=IdPool(),
            log=cwd / f"server-{port}.log",
        )
        harvest = fuzzing.post(HARVEST, admin)
        assert "errors" not in harvest, harvest
        fuzzing.pool.add(harvest)
        _throwaways(fuzzing, admin)
        for name, strategy in {**SCALARS, "ID": _ids(fuzzing.pool)}.items():
            schemathesis.graphql.scalar(name, strategy)
        yield fuzzing
        fuzzing.session.close()


def _takes_an_id(type_: graphql.GraphQLInputType, seen: frozenset[str] = frozenset()) -> bool:
    named = graphql.get_named_type(type_)
    if named.name == "ID":
        return True
    if isinstance(named, graphql.GraphQLInputObjectType) and named.name not in seen:
        return any(_takes_an_id(field.type, seen | {named.name}) for field in named.fields.values())
    return False


def test_every_mutation_that_takes_an_id_can_answer_that_it_is_malformed() -> None:
    """A malformed ID in an input is a ValidationError (resolvers.results.pk): a result union without it
    turned that into INTERNAL_SERVER_ERROR (setCommentResolution and openTicket did, found by the fuzzing)."""
    mutations = SCHEMA.client_schema.mutation_type
    assert mutations is not None
    missing = []
    for name, mutation in mutations.fields.items():
        if any(_takes_an_id(argument.type) for argument in mutation.args.values()):
            result = graphql.get_named_type(mutation.type)
            members = result.types if isinstance(result, graphql.GraphQLUnionType) else [result]
            if "ValidationError" not in {member.name for member in members}:
                missing.append(name)
    assert missing == []


TEXT_ARGUMENTS = {
    "ccSuggestions": "query($s: String!) { ccSuggestions(query: $s) { __typename } }",
    "tagSuggestions": "query($s: String!) { tagSuggestions(prefix: $s) { name } }",
    "devices": "query($s: String) { devices(search: $s) { id } }",
    "kbArticles": "query($s: String) { kbArticles(search: $s) { id } }",
    "login": 'mutation($s: String!) { login(input: {email: $s, password: "x"}) { __typename } }',
    "createTechnician": """mutation($s: String!) { createTechnician(input: {name: "Nul", email: $s}) {
      ... on CreateTechnicianSuccess { technician { email } } } }""",
    "updateTicket": """mutation($id: ID!, $s: String!) { updateTicket(input: {id: $id, addTags: [$s]}) {
      ... on UpdateTicketSuccess { ticket { tags { name } } } } }""",
}


async def test_nul_and_lone_surrogates_in_text_arguments_are_dropped_not_a_crash(api: Api) -> None:
    """Found by this fuzzing on PostgreSQL (which refuses NUL; no encoder takes a lone surrogate): text
    that reaches a query or a row without validation.text is cleaned by validation.printable too."""
    world = await make_world()
    ticket = encode("Ticket", (await world.ticket()).id)
    answers = {}
    for text in ("ab\x00c@example.com", "ab\ud83dc@example.com"):
        for name, query in TEXT_ARGUMENTS.items():
            # json.dumps escapes the surrogate, which httpx's own encoder refuses to do
            body = json.dumps({"query": query, "variables": {"s": text, "id": ticket}})
            async with api.client() as client:
                response = await client.post(
                    "/graphql",
                    content=body,
                    headers={
                        "Authorization": f"Bearer {world.admin_token}",
                        "Content-Type": "application/json",
                    },
                )
            assert "errors" not in response.json(), (name, text, response.json())
            answers[name] = response.json()["data"][name]
        assert answers["createTechnician"] == {"technician": {"email": "abc@example.com"}}
        assert answers["updateTicket"] == {"ticket": {"tags": [{"name": "abc@example.com"}]}}
        await Technician.filter(email="abc@example.com").delete()


def test_every_served_operation_is_fuzzed(fuzzing: Fuzzing) -> None:
    served = [result.ok().label for result in fuzzing.live.get_all_operations()]
    assert served == OPERATIONS


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", OPERATIONS)
def test_a_fuzzed_operation_never_fails_unexpectedly(fuzzing: Fuzzing, label: str, role: str) -> None:
    operation = fuzzing.live.find_operation_by_label(label)
    assert operation is not None, f"the server does not serve {label}"
    token = fuzzing.token_for(label, role)
    found: list[tuple[str, str, str]] = []

    @seed(zlib.crc32(f"{label} as {role}{SEED}".encode()))
    @settings(
        max_examples=MAX_EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), data=st.data())
    def fuzz(case: Any, data: st.DataObject) -> None:
        def choose(candidates: list[str], in_four: int) -> str | None:
            swap = candidates and data.draw(st.integers(0, 3)) < in_four
            return data.draw(st.sampled_from(candidates)) if swap else None

        case.body = tampered(case.body, SCHEMA.client_schema, fuzzing.pool, choose)
        response = case.call(
            base_url=fuzzing.base,
            session=fuzzing.session,
            headers={"Authorization": f"Bearer {token()}"},
            timeout=30,
        )
        problem = problem_with(response.status_code, response.text)
        if problem is not None:
            found.append((str(case.body), problem, response.headers.get("x-request-id", [""])[0]))
        else:
            fuzzing.pool.add(json.loads(response.text).get("data"))

    fuzz()
    if found:
        report = "\n\n".join(
            f"{body}\n-> {problem}\n-> in the server log: {fuzzing.cause(request_id)}"
            for body, problem, request_id in found[:3]
        )
        pytest.fail(f"{len(found)} of {MAX_EXAMPLES} fuzzed documents failed, the first:\n\n{report}")
