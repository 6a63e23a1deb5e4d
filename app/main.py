"""``create_app()``: the ASGI application."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from app import jobs, mail, observability, web
from app.ai import build_ai
from app.calendar import calendar_endpoint
from app.cors import cors_middleware
from app.database import Database
from app.downloads import download_endpoint
from app.graphql import DeskqlGraphQL
from app.guards import RequestGuards
from app.http_only import HttpOnly
from app.limits import rate_limit_storage, rate_limits_of
from app.persisted_documents import document_store
from app.persisted_queries import PersistedQueries
from app.realtime import build_realtime
from app.realtime import start as start_realtime
from app.realtime import stop as stop_realtime
from app.request_log import handler_for
from app.requests import RequestIdMiddleware, configure_logging
from app.settings import Settings, load_settings
from app.shutdown import first_on_signal
from app.storage import build_storage
from app.tracing import Tracing, tracing_of
from app.unavailable import DatabaseUnavailable
from fastpath import switch as fastpath_switch
from services import ai_analysis, attachments, consumers, mail_out, notifications, sla, ticket_lifecycle
from services.ai_provider import install_ai
from services.automation import defaults, engine, timed
from services.mail_config import install_mail_config
from services.rate_limits import install_rate_limits
from services.storage import install_storage
from subscriptions.broadcast import BroadcastPublisher, Realtime


def periodic_jobs(settings: Settings) -> list[jobs.Job]:
    """What every server process (and ``deskql worker``) runs in the background."""
    unclaimed_uploads = timedelta(seconds=settings.unclaimed_upload_seconds)
    return [
        jobs.Job("sla-breaches", settings.sla_check_seconds, sla.record_breaches),
        jobs.Job("automation-timed", settings.automation_check_seconds, timed.run_due),
        jobs.Job("automation-recover", settings.automation_check_seconds, engine.recover),
        jobs.Job("expired-notifications", 3600, notifications.purge_expired),
        jobs.Job("purge-deleted-tickets", 3600, ticket_lifecycle.purge_deleted),
        jobs.Job("purge-unclaimed-uploads", 600, partial(attachments.purge_unclaimed, unclaimed_uploads)),
        jobs.Job("ai-analysis", settings.ai_analysis_seconds, ai_analysis.analyse_due),
        mail.delivery_job(settings, mail.mail_config(settings)),
    ]


async def ensure_default_rules() -> None:
    """Accounts from before automation rules get the default rules at start (services.automation.defaults);
    a database out of reach leaves that to the next start."""
    try:
        await defaults.ensure_all()
    except Exception as error:
        logging.getLogger("deskql.automation").warning("default automation rules not ensured: %s", error)


def settle_garbage_collection() -> None:
    """A serving process keeps its start-up objects for life: freeze them out of the collector's scans, and
    collect the young generation less often (a ticket page allocates tens of thousands of objects). Measured
    on the ticket-page benchmark: 18-23% less CPU per request, half the p99 at one connection."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def install_services(settings: Settings) -> None:
    """Plug the outside world into the services: file storage, mail, AI and rate limits, what a change sets
    off; and the fast path on or off."""
    fastpath_switch.turn(settings.fast_path)
    install_storage(build_storage(settings))
    install_rate_limits(rate_limit_storage(settings), rate_limits_of(settings))
    install_mail_config(mail.mail_config(settings))
    install_ai(*build_ai(settings))
    install_consumers()
    engine.set_lease(settings.automation_lease_seconds)
    observability.install(settings)


def install_consumers(realtime: Realtime | None = None) -> None:
    """What a change sets off, in this order (services.consumers):
    - before it commits, in its own transaction: its email, as outbox rows (services.mail_out), as durable
      as the change itself;
    - once it has committed: its events on the broadcast, to the subscribers on every worker (in a process
      whose realtime hub runs: the server's lifespan, not the CLI's worker);
    - and the automation rules (services.automation.engine): their pending work is written before commit,
      with the change, and run once it has committed, in rule order; what the rules change sets off all of
      this again (loops bounded).
    """
    consumers.register("mail", before_commit=mail_out.compose)
    publish = BroadcastPublisher(realtime.hub).publish if realtime is not None else None
    consumers.register("broadcast", after_commit=publish)
    consumers.register("automation", before_commit=engine.record, after_commit=engine.run_recorded)


def create_app(
    settings: Settings | None = None, *, database: Database | None = None, tracing: Tracing | None = None
) -> Starlette:
    """The application. Given a ``database``, the caller owns its lifetime (tests); else the app does.
    Traces go where ``tracing`` says (tests), else where the settings say; none by default (app.tracing)."""
    settings = settings or load_settings()
    tracing = tracing or tracing_of(settings)
    owned = database is None
    db = database or Database(settings.database_url)
    realtime = build_realtime(settings)
    persisted_documents = document_store(settings.broadcast_url)
    graphql = DeskqlGraphQL(
        settings,
        realtime,
        tracer_provider=tracing.provider if tracing else None,
        observe=observability.observer_of(settings),
    )
    if tracing is not None:
        tracing.instrument()
    install_services(settings)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        if await db.is_reachable():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "database unreachable"}, status_code=503)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if owned:
            configure_logging(settings.log_level, handler_for(settings.log_format))
            web.announce(settings.web_dir)
            await db.open()
            await ensure_default_rules()
            settle_garbage_collection()
        await start_realtime(realtime)
        install_consumers(realtime)
        try:
            if owned:
                async with (
                    jobs.running(periodic_jobs(settings), settings.shutdown_timeout_seconds),
                    mail.listening(settings),
                    observability.serving(settings),
                ):
                    with first_on_signal(realtime.connections.go_away):
                        yield
            else:
                yield
        finally:
            await stop_realtime(realtime)
            await persisted_documents.close()
            if owned:
                await db.close()
                if tracing is not None:
                    await asyncio.to_thread(tracing.close)

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/attachments/{id}/{filename}", download_endpoint(graphql.environment.signer)),
            Route("/mail/inbound", mail.inbound_endpoint(settings), methods=["POST"]),
            Route("/calendar/{token}.ics", calendar_endpoint(settings.app_url)),
            *observability.routes(settings),
            *web.routes(settings.web_dir),
        ],
        middleware=[
            *([tracing.middleware()] if tracing is not None else []),
            Middleware(RequestIdMiddleware),
            *observability.middleware(settings),
            Middleware(
                HttpOnly,
                middleware=[
                    # Before the guards and the 503 of an unreachable database, whose answers a page must
                    # read too.
                    *cors_middleware(settings),
                    Middleware(DatabaseUnavailable),
                    Middleware(
                        RequestGuards,
                        max_body_bytes=settings.max_body_bytes,
                        max_upload_bytes=settings.max_attachment_bytes,
                        path_limits={"/mail/inbound": settings.mail_max_bytes},
                    ),
                    Middleware(PersistedQueries, store=persisted_documents),
                ],
                sockets={"/graphql": graphql},
            ),
        ],
        lifespan=lifespan,
    )
    app.state.graphql = graphql
    return app
