"""The ``deskql`` command."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import shutil
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from app.settings import Settings, SettingsError, load_settings

EXAMPLE_QUERY = """{ ticketByNumber(number: 200) { number title status { name category } priority
    assignee { name openTicketCount } requester { name jobTitle customer { name } recentTickets { number title } }
    conversation(first: 5) { edges { node { kind text author { ... on Technician { name } ... on Requester { name } } } } } } }"""


def _invocation() -> str:
    """How to run this deskql again: ``deskql`` when the PATH finds it, else the path it was started by."""
    found = shutil.which("deskql")
    if found and Path(found).resolve() == Path(sys.argv[0]).resolve():
        return "deskql"
    return sys.argv[0]


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        print(f"deskql: {error}", file=sys.stderr)
        raise SystemExit(2) from None


async def _with_database(settings: Settings, work: Callable[[], Awaitable[None]]) -> None:
    from app.database import Database

    database = Database(settings.database_url)
    await database.open()
    try:
        await work()
    finally:
        await database.close()


def migrate(args: argparse.Namespace) -> None:
    from app.database import migrate as run

    settings = _settings()
    asyncio.run(run(settings.database_url))
    print("deskql: database is up to date.")


def makemigrations(args: argparse.Namespace) -> None:
    from app.migrations_check import write_migrations

    paths = asyncio.run(write_migrations(args.name))
    for path in paths:
        print(f"deskql: wrote {path}")
    if not paths:
        print("deskql: no migration written: the models match the migrations.")


def demo(args: argparse.Namespace) -> None:
    from app import demo as demo_data

    settings = _settings()

    async def work() -> None:
        if not await demo_data.has_demo_data():
            print("deskql: loading demo data (first run only)...")
            await demo_data.load()
        logins = await demo_data.issue_logins()
        url = f"http://{settings.host}:{settings.port}/graphql"
        print(f"""
deskql demo: account "{demo_data.ACCOUNT_NAME}" on {settings.database_url}

Open {url} (GraphiQL) and add this header, with one of the tokens below:
  {{"Authorization": "Bearer <token>"}}

  admin       {logins.admin.email:<40} {logins.admin_token}
  technician  {logins.technician.email:<40} {logins.technician_token}
  end user    {logins.requester.email:<40} {logins.requester_token}

Or log in with the login mutation: technicians' password is "{demo_data.TECHNICIAN_PASSWORD}",
the end user's is "{demo_data.REQUESTER_PASSWORD}".

Email goes to {settings.smtp_url or str(settings.mail_dir) + "/ (one .eml file per mail; set DESKQL_SMTP_URL)"}.
Mail to {demo_data.MAILBOX} opens tickets: run `{_invocation()} mail-in` (SMTP, port 2525) beside the server.

Example query (the ticket page of ticket #200):
{EXAMPLE_QUERY}

With curl:
  curl -s {url} -H 'Authorization: Bearer {logins.technician_token}' \\
    -H 'Content-Type: application/json' -d '{{"query": "{{ viewer {{ technician {{ name }} }} }}"}}'
""")

    asyncio.run(_with_database(settings, work))


ACCOUNT_FLAGS = {
    "name": "--name",
    "adminEmail": "--admin-email",
    "adminName": "--admin-name",
    "adminPassword": "--password",
}
"""create-account's flag for each field that services.accounts.create names in its errors."""


def _password(prompt: str) -> str:
    """A password typed at the terminal, or the first line of standard input when that is not a terminal."""
    try:
        if sys.stdin is not None and sys.stdin.isatty():
            return getpass.getpass(prompt)
        line = sys.stdin.readline() if sys.stdin is not None else ""
    except EOFError:
        line = ""
    if not line:
        print(
            "deskql: --password: no password could be read: standard input is closed "
            "(type it at a terminal or pipe it in)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return line.removesuffix("\n").removesuffix("\r")


def create_account(args: argparse.Namespace) -> None:
    from services.accounts import create
    from services.authentication import issue_token
    from services.errors import ValidationFailed

    settings = _settings()
    password = _password("Admin password (empty for none): ") if args.password else None

    async def work() -> None:
        try:
            account, admin = await create(args.name, args.admin_email, args.admin_name, password or None)
        except ValidationFailed as error:
            for field, message in error.fields.items():
                print(f"deskql: {ACCOUNT_FLAGS.get(field, field)}: {message}", file=sys.stderr)
            raise SystemExit(2) from None
        token = await issue_token(admin, label="create-account")
        print(f"Account {account.name!r} created. Admin token for {admin.email}:\n{token}")

    asyncio.run(_with_database(settings, work))


def create_token(args: argparse.Namespace) -> None:
    from models.accounts import Technician
    from models.people import Requester
    from services.authentication import issue_token

    settings = _settings()

    async def work() -> None:
        email = args.email.strip().lower()
        owner: Technician | Requester | None = await Technician.get_or_none(email=email, active=True)
        if owner is None:
            matches = await Requester.filter(email=email).limit(2)
            if len(matches) > 1:
                print(
                    f"deskql: {email} is a requester in several accounts; use the API instead.",
                    file=sys.stderr,
                )
                raise SystemExit(2)
            owner = matches[0] if matches else None
        if owner is None:
            print(f"deskql: no active technician or requester has the email {email}.", file=sys.stderr)
            raise SystemExit(2)
        print(await issue_token(owner, label=args.label))

    asyncio.run(_with_database(settings, work))


def export_person(args: argparse.Namespace) -> None:
    import json

    from services.errors import NotFound, ValidationFailed
    from services.personal_data import export_everyone_with

    settings = _settings()
    exported: list[dict[str, object]] = []

    async def work() -> None:
        try:
            exported.append(await export_everyone_with(args.email))
        except ValidationFailed as error:
            for message in error.fields.values():
                print(f"deskql: --email: {message}", file=sys.stderr)
            raise SystemExit(2) from None
        except NotFound as error:
            print(f"deskql: --{error.message}", file=sys.stderr)
            raise SystemExit(1) from None

    asyncio.run(_with_database(settings, work))
    text = json.dumps(exported[0], indent=2, ensure_ascii=False) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
        return
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"deskql: {exported[0]['email']} exported to {args.output}.")


def export_schema(args: argparse.Namespace) -> None:
    from app.schema_files import possible_types_json, sdl

    text = sdl()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text)
        print(f"deskql: wrote {args.output}")
    if args.possible_types:
        Path(args.possible_types).write_text(possible_types_json())
        print(f"deskql: wrote {args.possible_types}")


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await stop.wait()


def worker(args: argparse.Namespace) -> None:
    from app import jobs
    from app.main import ensure_default_rules, install_services, periodic_jobs
    from app.request_log import handler_for
    from app.requests import configure_logging

    settings = _settings()

    async def work() -> None:
        configure_logging(settings.log_level, handler_for(settings.log_format))
        install_services(settings)
        await ensure_default_rules()
        print(
            "deskql: worker running (mail delivery, SLA breaches, automation rules, clean-up); Ctrl+C stops it.",
            flush=True,
        )
        async with jobs.running(periodic_jobs(settings), settings.shutdown_timeout_seconds):
            await _until_stopped()

    asyncio.run(_with_database(settings, work))


def mail_in(args: argparse.Namespace) -> None:
    from app.main import install_services
    from app.request_log import handler_for
    from app.requests import configure_logging
    from integrations import smtp_in

    settings = _settings()
    host, port = args.host or settings.smtp_in_host, args.port or settings.smtp_in_port or 2525

    async def work() -> None:
        configure_logging(settings.log_level, handler_for(settings.log_format))
        install_services(settings)
        server = await smtp_in.start(host, port, settings.mail_max_bytes)
        print(f"deskql: taking mail (SMTP) on {host}:{port}; Ctrl+C stops it.", flush=True)
        try:
            await _until_stopped()
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(_with_database(settings, work))


def move_attachments(args: argparse.Namespace) -> None:
    from app.storage import build_storage
    from services.file_moves import move_files

    settings = _settings()
    source_kind = args.source or settings.attachment_storage
    if source_kind == args.to:
        print(f"deskql: --to: the files are in {args.to} already (name another storage)", file=sys.stderr)
        raise SystemExit(2)
    try:
        source, target = build_storage(settings, source_kind), build_storage(settings, args.to)
    except SettingsError as error:
        print(f"deskql: {error}", file=sys.stderr)
        raise SystemExit(2) from None

    def progress(sha256: str, outcome: str) -> None:
        if outcome != "already moved":
            print(f"{sha256} {outcome}", flush=True)

    async def work() -> None:
        report = await move_files(source, target, progress)
        print(
            f"deskql: {report.moved} files moved from {source_kind} to {args.to} (checksums verified), "
            f"{report.already_moved} moved before, {len(report.failed)} failed."
        )
        if report.failed:
            print(
                "deskql: the files that failed stay where they were; repair them and run the command again.",
                file=sys.stderr,
            )
            raise SystemExit(1)

    asyncio.run(_with_database(settings, work))


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from app.main import create_app
    from app.observability import uvicorn_logging, workers_sharing_metrics

    settings = _settings()
    workers = args.workers or settings.workers
    with workers_sharing_metrics(settings, workers):
        # Build the app once here: with several workers uvicorn would respawn a worker that cannot import
        # the app for ever, so a broken configuration must fail before any worker starts.
        create_app(settings)
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=args.host or settings.host,
            port=args.port or settings.port,
            workers=workers,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            log_level=settings.log_level,
            timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
            # uvicorn's websockets-sansio protocol, lighter per open websocket (app.websocket_protocol).
            ws="app.websocket_protocol:WebSocketProtocol",
            ws_ping_interval=20,
            ws_ping_timeout=20,
            # Compressing every event for every subscriber costs more CPU than the bandwidth it saves.
            ws_per_message_deflate=False,
            **uvicorn_logging(settings),
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="deskql", description="GraphQL API for the ticket page of an IT helpdesk."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    command = commands.add_parser("serve", help="serve the API (uvicorn)")
    command.add_argument("--host")
    command.add_argument("--port", type=int)
    command.add_argument("--workers", type=int)
    command.set_defaults(run=serve)

    commands.add_parser("migrate", help="apply pending database migrations").set_defaults(run=migrate)

    commands.add_parser(
        "worker", help="run the background jobs (mail delivery, SLA breaches) without serving the API"
    ).set_defaults(run=worker)

    command = commands.add_parser("mail-in", help="take mail in over SMTP (replies and new tickets)")
    command.add_argument("--host")
    command.add_argument("--port", type=int, help="default: DESKQL_SMTP_IN_PORT, else 2525")
    command.set_defaults(run=mail_in)

    command = commands.add_parser(
        "move-attachments",
        help="move the attachment files to another storage (checked by SHA-256; run again to resume)",
    )
    command.add_argument("--to", required=True, choices=["folder", "database", "s3"])
    command.add_argument(
        "--from",
        dest="source",
        choices=["folder", "database", "s3"],
        help="default: DESKQL_ATTACHMENTS_STORAGE (or its default)",
    )
    command.set_defaults(run=move_attachments)

    command = commands.add_parser("makemigrations", help="write a migration for model changes (development)")
    command.add_argument("--name")
    command.set_defaults(run=makemigrations)

    commands.add_parser("demo", help="load demo data (once) and print fresh demo tokens").set_defaults(
        run=demo
    )

    command = commands.add_parser("create-account", help="create an account and print its admin's token")
    command.add_argument("--name", required=True)
    command.add_argument("--admin-email", required=True)
    command.add_argument("--admin-name", required=True)
    command.add_argument(
        "--password",
        action="store_true",
        help="prompt for the admin's password (read from standard input when it is not a terminal)",
    )
    command.set_defaults(run=create_account)

    command = commands.add_parser("create-token", help="print a new API token for a technician or requester")
    command.add_argument("--email", required=True)
    command.add_argument("--label", default="cli")
    command.set_defaults(run=create_token)

    command = commands.add_parser(
        "export-person",
        help="write everything deskql holds about the requesters and technicians with an email, as JSON",
    )
    command.add_argument("--email", required=True)
    command.add_argument("--output", default="-", help="a file to write (default: standard output)")
    command.set_defaults(run=export_person)

    command = commands.add_parser("export-schema", help="print or write the GraphQL SDL")
    command.add_argument("--output", default="schema.graphql")
    command.add_argument(
        "--possible-types", metavar="PATH", help="also write Apollo Client's possibleTypes (JSON) to PATH"
    )
    command.set_defaults(run=export_schema)

    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
