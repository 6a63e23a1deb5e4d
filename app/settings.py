"""Settings, read once at start from ``DESKQL_*`` environment variables."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite://var/deskql.sqlite3"
DEFAULT_SECRET_KEY_FILE = Path("var/secret-key")


class SettingsError(Exception):
    """A setting is missing or wrong; the message is one line naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKQL_", extra="ignore", frozen=True)

    database_url: str = Field(DEFAULT_DATABASE_URL, description="sqlite://PATH or postgres://USER@HOST/DB")
    broadcast_url: str = Field("memory://", description="memory:// (one process) or redis://HOST:PORT/DB")
    host: str = Field("127.0.0.1", description="address the server listens on")
    port: int = Field(8000, ge=1, le=65535, description="port the server listens on")
    workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes")
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated addresses "
        "or networks, or *): behind them the client is the forwarded address",
    )
    shutdown_timeout_seconds: int = Field(
        20,
        ge=1,
        le=600,
        description="on SIGTERM, how long a worker waits for the requests in flight, then for its background "
        "work, before it stops",
    )
    secret_key: str = Field(
        "",
        description="key for signed links and reply tokens; generated into var/secret-key when unset on SQLite",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", description="log level")
    log_format: Literal["text", "json"] = Field(
        "text", description="text lines, or one JSON object per line and per request (deskql.access)"
    )
    metrics: str = Field(
        "off",
        description="Prometheus metrics: off, on (GET /metrics on the API's port) or a port of their own",
    )
    metrics_host: str = Field("127.0.0.1", description="address the metrics port listens on")
    graphiql: bool = Field(True, description="serve GraphiQL on GET /graphql")
    web_dir: Path = Field(
        Path(__file__).resolve().parents[1] / "web" / "dist",
        description="the built reference page (served at /) and GraphiQL's own assets; `make` builds web/dist",
    )
    max_depth: int = Field(15, ge=3, le=100, description="deepest selection a query may have")
    max_aliases: int = Field(30, ge=0, le=1000, description="aliases a document may use")
    max_tokens: int = Field(5000, ge=100, le=100_000, description="tokens a document may have")
    max_page_size: int = Field(100, ge=1, le=1000, description="largest `first` a connection accepts")
    max_metrics_days: int = Field(
        366, ge=1, le=3660, description="longest period, in days, a ticketMetrics request may cover"
    )
    sla_check_seconds: float = Field(30, gt=0, le=3600, description="how often SLA breaches are looked for")
    automation_check_seconds: float = Field(
        60,
        gt=0,
        le=3600,
        description="how often time-based automation rules and stale rule runs are looked for",
    )
    automation_lease_seconds: float = Field(
        60,
        gt=0,
        le=3600,
        description="how long a process holds a change's pending rule runs before another may",
    )
    app_url: str = Field("http://127.0.0.1:8000", description="the front end's address, for links to tickets")
    public_url: str = Field(
        "",
        description="the API's own address as browsers reach it, for absolute download links; "
        "unset: links are relative to the API; required with DESKQL_CORS_ORIGINS",
    )
    cors_origins: str = Field(
        "",
        description="origins whose pages may call the API from a browser, comma-separated "
        "(http://localhost:5173,https://desk.example.com), or *; unset: the API's own origin only",
    )
    cors_allow_credentials: bool = Field(
        False, description="let those pages send cookies (a sign-in proxy in front); not with * origins"
    )
    attachments_storage: Literal["", "folder", "database", "s3"] = Field(
        "",
        description="where attachment files are kept: folder (DESKQL_ATTACHMENTS_DIR), database or s3; "
        "unset: database on PostgreSQL, folder on SQLite",
    )
    attachments_dir: Path = Field(
        Path("var/attachments"), description="where attachment files are kept with the folder storage"
    )
    s3_endpoint_url: str = Field(
        "", description="an S3-compatible API such as https://minio.example.com:9000; unset: AWS S3"
    )
    s3_bucket: str = Field("", description="the bucket of the s3 storage (it must exist)")
    s3_prefix: str = Field("", description="put before every object key, such as deskql/")
    s3_region: str = Field("", description="the bucket's region; unset: AWS_REGION / AWS_DEFAULT_REGION")
    s3_access_key_id: str = Field("", description="unset: AWS_ACCESS_KEY_ID, a profile or an instance role")
    s3_secret_access_key: SecretStr = Field(
        SecretStr(""), description="with DESKQL_S3_ACCESS_KEY_ID; unset: AWS_SECRET_ACCESS_KEY ..."
    )
    max_attachment_bytes: int = Field(25_000_000, ge=1, description="largest file one upload may be")
    max_comment_attachment_bytes: int = Field(
        25_000_000, ge=1, description="all files of one comment together"
    )
    max_unclaimed_upload_bytes: int = Field(
        100_000_000, ge=1, description="uploads not attached to a comment yet, together, per person"
    )
    unclaimed_upload_seconds: int = Field(
        86_400, ge=60, le=30 * 86_400, description="how long an upload not attached to a comment is kept"
    )
    max_body_bytes: int = Field(1_000_000, ge=10_000, description="largest request body other than an upload")
    download_link_seconds: int = Field(
        3600, ge=60, le=7 * 86400, description="how long a download link works"
    )
    presence_ttl_seconds: float = Field(
        30, ge=1, le=600, description="how long a silent presence entry lasts"
    )
    presence_heartbeat_seconds: float = Field(10, gt=0, le=300, description="how often presence is renewed")
    subscriber_queue_size: int = Field(
        100, ge=1, le=100_000, description="events a subscriber may fall behind"
    )
    max_nodes: int = Field(
        10_000, ge=100, le=1_000_000, description="node budget: `first` multiplied through nested connections"
    )
    fast_path: bool = Field(
        True,
        description="the speed-ups of fastpath/ (kept statements, row reader, plain leaves, shared reads)",
    )
    max_fields: int = Field(
        10_000, ge=100, le=1_000_000, description="fields a document may select once its fragments are spread"
    )
    max_response_bytes: int = Field(
        32_000_000, ge=100_000, description="largest answer a query may build, in bytes of JSON"
    )
    smtp_url: str = Field(
        "",
        description="smtp://[user:password@]host[:port] (STARTTLS when offered; ?starttls=required insists) "
        "or smtps://... (TLS); unset: mail is written as .eml files into DESKQL_MAIL_DIR",
    )
    mail_dir: Path = Field(Path("var/mail"), description="where mail goes when DESKQL_SMTP_URL is unset")
    mail_from: str = Field("support@deskql.localhost", description="the From address of every email")
    mail_inbound_domain: str = Field(
        "deskql.localhost", description="replies come back to reply+<token>@ this domain"
    )
    smtp_in_port: int | None = Field(
        None, ge=1, le=65535, description="when set, the server also listens for mail (SMTP) on this port"
    )
    smtp_in_host: str = Field("127.0.0.1", description="address the SMTP listener binds to")
    mail_inbound_secret: str = Field(
        "", description="shared secret of POST /mail/inbound (raw MIME); unset: the endpoint is off"
    )
    mail_trusted_authserv_id: str = Field(
        "",
        description="the authserv-id of the mail server in front of deskql whose topmost "
        "Authentication-Results header vouches for a sender (DMARC or aligned DKIM pass); unset: none does",
    )
    mail_max_bytes: int = Field(25_000_000, ge=10_000, description="largest email taken in")
    mail_poll_seconds: float = Field(1.0, gt=0, le=600, description="how often the outbox is looked at")
    mail_retry_seconds: float = Field(
        30, gt=0, le=3600, description="first retry delay of a failed mail; doubles each time, at most 1 h"
    )
    mail_max_attempts: int = Field(12, ge=1, le=100, description="delivery attempts before a mail is FAILED")
    mail_lease_seconds: float = Field(
        120, ge=1, le=3600, description="how long a worker holds a mail it is sending"
    )
    openai_base_url: str = Field(
        "",
        description="an OpenAI-compatible API such as https://api.openai.com/v1 or http://127.0.0.1:11434/v1 "
        "(Ollama); unset: no language model",
    )
    openai_api_key: SecretStr = Field(
        SecretStr(""), description="bearer key of DESKQL_OPENAI_BASE_URL; unset for servers without keys"
    )
    openai_model: str = Field("gpt-4o-mini", min_length=1, description="the chat model to ask")
    openai_timeout_seconds: float = Field(
        30, gt=0, le=600, description="longest wait for a language model to begin answering, retries included"
    )
    rate_limit_mutations_per_minute: int = Field(
        300,
        ge=1,
        le=1_000_000,
        description="mutations one token (or one address without a token) may send a minute",
    )
    rate_limit_failed_logins: int = Field(
        10,
        ge=1,
        le=10_000,
        description="failed sign-ins per email address in 15 minutes before it is refused",
    )
    rate_limit_sign_ins_per_client: int = Field(
        100,
        ge=1,
        le=1_000_000,
        description="sign-ins (successful ones too) from one client address in 15 minutes",
    )
    ai_analysis_seconds: float = Field(
        2, gt=0, le=3600, description="how often tickets are looked at for sentiment and suggested tags"
    )
    openai_max_retries: int = Field(
        2, ge=0, le=10, description="retries of a language model call after a timeout, 429 or 5xx"
    )
    otlp_endpoint: str = Field(
        "",
        description="an OpenTelemetry collector's OTLP/HTTP address (http://127.0.0.1:4318): traces of "
        "requests, operations, resolvers, SQL and broadcasts go there; unset: no tracing",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgres://", "postgresql://")):
            raise ValueError("must start with sqlite://, postgres:// or postgresql://")
        return value

    @field_validator("app_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("otlp_endpoint")
    @classmethod
    def _otlp_endpoint(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^?#\s]+", value):
            raise ValueError("must be an address such as http://127.0.0.1:4318")
        return value.rstrip("/")

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^/?#@\s]+(/[^?#\s]*)?", value):
            raise ValueError("must be an address such as https://api.example.com (no query)")
        return value.rstrip("/")

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        origins = [origin.strip().rstrip("/").lower() for origin in value.split(",") if origin.strip()]
        if "*" in origins and len(origins) > 1:
            raise ValueError("* stands alone: any origin, or a list of origins")
        for origin in origins:
            if origin != "*" and not re.fullmatch(r"https?://[^/?#@\s]+", origin):
                raise ValueError(f"{origin!r} is not an origin such as https://desk.example.com (no path)")
        # As browsers send them: without the scheme's default port.
        return ",".join(re.sub(r"^(http://.+):80$|^(https://.+):443$", r"\1\2", origin) for origin in origins)

    @field_validator("s3_endpoint_url")
    @classmethod
    def _s3_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("metrics")
    @classmethod
    def _metrics(cls, value: str) -> str:
        value = value.strip().lower()
        if value in ("off", "on") or (value.isdigit() and 1 <= int(value) <= 65535):
            return value
        raise ValueError("must be off, on or a port number")

    @property
    def metrics_port(self) -> int | None:
        """The port of its own that DESKQL_METRICS names, if it names one."""
        return int(self.metrics) if self.metrics.isdigit() else None

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str) -> str:
        if value and not value.startswith(("smtp://", "smtps://")):
            raise ValueError("must start with smtp:// or smtps://")
        return value

    @field_validator("openai_base_url")
    @classmethod
    def _openai_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("mail_from")
    @classmethod
    def _address(cls, value: str) -> str:
        if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.?[^@\s<>]*", value):
            raise ValueError("must be an email address such as support@example.com")
        return value.lower()

    @field_validator("mail_inbound_domain")
    @classmethod
    def _domain(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", value.lower()):
            raise ValueError("must be a domain name such as mail.example.com")
        return value.lower()

    @field_validator("broadcast_url")
    @classmethod
    def _known_broadcast(cls, value: str) -> str:
        if not value.startswith(("memory://", "redis://", "rediss://")):
            raise ValueError("must start with memory://, redis:// or rediss://")
        return value

    @field_validator("secret_key", "mail_inbound_secret")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("must be at least 32 characters")
        return value

    @model_validator(mode="after")
    def _shared_state_needs_shared_backends(self) -> Settings:
        if self.workers > 1 and self.broadcast_url.startswith("memory://"):
            raise ValueError("DESKQL_WORKERS > 1 needs DESKQL_BROADCAST_URL=redis://...")
        if self.workers > 1 and self.uses_sqlite:
            raise ValueError("DESKQL_WORKERS > 1 needs DESKQL_DATABASE_URL=postgres://...")
        if self.metrics_port == self.port:
            raise ValueError("DESKQL_METRICS must be another port than DESKQL_PORT (or on)")
        if self.presence_heartbeat_seconds >= self.presence_ttl_seconds:
            raise ValueError(
                "DESKQL_PRESENCE_HEARTBEAT_SECONDS must be shorter than DESKQL_PRESENCE_TTL_SECONDS"
            )
        if not self.secret_key and not self.uses_sqlite:
            raise ValueError("DESKQL_SECRET_KEY must be set when the database is not SQLite")
        if self.cors_origins == "*" and self.cors_allow_credentials:
            raise ValueError(
                "DESKQL_CORS_ORIGINS=* cannot be used with DESKQL_CORS_ALLOW_CREDENTIALS=true: list the origins"
            )
        if self.cors_origins and not self.public_url:
            raise ValueError(
                "DESKQL_CORS_ORIGINS needs DESKQL_PUBLIC_URL (the API's address, for download links that "
                "work on other origins)"
            )
        if self.attachment_storage == "s3" and not self.s3_bucket:
            raise ValueError("DESKQL_ATTACHMENTS_STORAGE=s3 needs DESKQL_S3_BUCKET")
        return self

    @property
    def attachment_storage(self) -> Literal["folder", "database", "s3"]:
        """DESKQL_ATTACHMENTS_STORAGE, or its default: the database on PostgreSQL, the folder on SQLite."""
        if self.attachments_storage:
            return self.attachments_storage
        return "folder" if self.uses_sqlite else "database"

    @property
    def cors_origin_list(self) -> list[str]:
        """The origins of DESKQL_CORS_ORIGINS (["*"] for any); empty: the API's own origin only."""
        return self.cors_origins.split(",") if self.cors_origins else []

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite://")

    @property
    def signing_key(self) -> bytes:
        """The secret key; on the embedded default one is generated once and kept under var/."""
        if self.secret_key:
            return self.secret_key.encode()
        if not DEFAULT_SECRET_KEY_FILE.exists():
            DEFAULT_SECRET_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
            DEFAULT_SECRET_KEY_FILE.write_text(secrets.token_urlsafe(48))
            DEFAULT_SECRET_KEY_FILE.chmod(0o600)
        return DEFAULT_SECRET_KEY_FILE.read_text().strip().encode()


def confidential(name: str) -> bool:
    """Whether a setting's value is a secret or may hold one (a password in a URL): errors never show it."""
    field = Settings.model_fields.get(name)
    return name.endswith(("_url", "_key", "_secret", "_password")) or (
        field is not None and field.annotation is SecretStr
    )


def load_settings() -> Settings:
    """Read the environment; a wrong value raises SettingsError naming the variable (and the value given,
    unless it is confidential)."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        location = first["loc"]
        message = str(first["msg"]).removeprefix("Value error, ")
        if location:
            name = str(location[0])
            given = "" if confidential(name) else f" (got {first.get('input')!r})"
            raise SettingsError(f"DESKQL_{name.upper()}: {message}{given}") from None
        raise SettingsError(message) from None
