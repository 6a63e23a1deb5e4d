"""The one schema: Query, Mutation and Subscription, with the limits of the API."""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache, partial

import strawberry
from graphql import parse
from opentelemetry.trace import TracerProvider

from api.execution import executor_for
from api.introspection import IntrospectionCache
from api.limits import Budgets, Parsing, QueryLimits, Validation
from api.observing import Observe, Observed
from api.operations.actions import ActionMutations, ActionQueries
from api.operations.ai import AiMutations, AiQueries
from api.operations.automation import AutomationMutations, AutomationQueries
from api.operations.context import ContextMutations, ContextQueries
from api.operations.conversation import ConversationMutations, ConversationQueries
from api.operations.dashboards import DashboardQueries
from api.operations.foundation import FoundationMutations, FoundationQueries
from api.operations.mail import MailMutations, MailQueries
from api.operations.realtime import RealtimeMutations, Subscription
from api.operations.settings import SettingsMutations, SettingsQueries
from api.operations.teams import TeamMutations, TeamQueries
from api.operations.tickets import TicketMutations, TicketQueries
from api.operations.time import TimeMutations
from api.operations.views import ViewMutations, ViewQueries
from api.rate_limiting import MutationRateLimit
from api.streams import DeskqlSchema
from api.tracing import OperationSpans, trace_resolvers
from schema.errors import (
    AiUnavailableError,
    ConflictError,
    InvalidCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from schema.masking import ErrorCodes
from schema.types.activity import Activity
from schema.types.ai import KbArticle
from schema.types.context import Alert, CalendarEvent
from schema.types.conversation import Attachment, Comment
from schema.types.people import (
    Account,
    Contract,
    Customer,
    Department,
    Device,
    SatisfactionSurvey,
    Site,
)


@strawberry.type(description="Everything that can be read.")
class Query(
    FoundationQueries,
    TicketQueries,
    DashboardQueries,
    TeamQueries,
    ConversationQueries,
    SettingsQueries,
    MailQueries,
    ActionQueries,
    ContextQueries,
    AiQueries,
    ViewQueries,
    AutomationQueries,
):
    pass


@strawberry.type(
    description="Everything that can be changed. Each takes one `input` and returns a result union."
)
class Mutation(
    FoundationMutations,
    TicketMutations,
    TeamMutations,
    ConversationMutations,
    TimeMutations,
    SettingsMutations,
    MailMutations,
    ActionMutations,
    ContextMutations,
    AiMutations,
    AutomationMutations,
    RealtimeMutations,
    ViewMutations,
):
    pass


EXTRA_TYPES = [
    Account,
    Activity,
    Alert,
    CalendarEvent,
    KbArticle,
    Attachment,
    Comment,
    Contract,
    Customer,
    Department,
    Device,
    SatisfactionSurvey,
    Site,
    AiUnavailableError,
    ConflictError,
    InvalidCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
]


def build_schema(
    limits: QueryLimits = QueryLimits(),
    observe: Observe | None = None,
    tracer_provider: TracerProvider | None = None,
) -> strawberry.Schema:
    """The schema; with ``observe``, each query and mutation answered is handed to it (api.observing); with
    a ``tracer_provider``, every operation records its spans there (api.tracing)."""
    observing = [partial(Observed, observe=observe)] if observe is not None else []
    tracing = [partial(OperationSpans, tracer_provider=tracer_provider)] if tracer_provider else []
    schema = DeskqlSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=EXTRA_TYPES,
        execution_context_class=executor_for(limits.max_response_bytes),
        extensions=[
            *tracing,
            partial(Parsing, max_tokens=limits.max_tokens, parse=lru_cache(maxsize=1000)(parse)),
            partial(Validation, limits=limits, valid=OrderedDict(), maxsize=1000, budgets=Budgets(1000)),
            ErrorCodes,
            MutationRateLimit,
            partial(IntrospectionCache, answers=OrderedDict(), maxsize=64),
            *observing,
        ],
    )
    if tracer_provider is not None:
        trace_resolvers(schema, tracer_provider)
    return schema
