"""The one schema: Query, Mutation and Subscription, with the limits of the API."""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache, partial

import strawberry
from graphql import parse

from schema.error_logging import ErrorLoggingSchema
from schema.errors import (
    AiUnavailableError,
    ConflictError,
    InvalidCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from schema.execution import executor_for
from schema.introspection import IntrospectionCache
from schema.limits import Parsing, QueryLimits, Validation
from schema.masking import ErrorCodes
from schema.operations.actions import ActionMutations, ActionQueries
from schema.operations.ai import AiMutations, AiQueries
from schema.operations.context import ContextMutations, ContextQueries
from schema.operations.conversation import ConversationMutations, ConversationQueries
from schema.operations.foundation import FoundationMutations, FoundationQueries
from schema.operations.mail import MailMutations, MailQueries
from schema.operations.realtime import RealtimeMutations, Subscription
from schema.operations.settings import SettingsMutations, SettingsQueries
from schema.operations.tickets import TicketMutations, TicketQueries
from schema.operations.time import TimeMutations
from schema.rate_limiting import MutationRateLimit
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
    ConversationQueries,
    SettingsQueries,
    MailQueries,
    ActionQueries,
    ContextQueries,
    AiQueries,
):
    pass


@strawberry.type(
    description="Everything that can be changed. Each takes one `input` and returns a result union."
)
class Mutation(
    FoundationMutations,
    TicketMutations,
    ConversationMutations,
    TimeMutations,
    SettingsMutations,
    MailMutations,
    ActionMutations,
    ContextMutations,
    AiMutations,
    RealtimeMutations,
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


def build_schema(limits: QueryLimits = QueryLimits()) -> strawberry.Schema:
    return ErrorLoggingSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=EXTRA_TYPES,
        execution_context_class=executor_for(limits.max_response_bytes),
        extensions=[
            partial(Parsing, max_tokens=limits.max_tokens, parse=lru_cache(maxsize=1000)(parse)),
            partial(Validation, limits=limits, valid=OrderedDict(), maxsize=1000),
            ErrorCodes,
            MutationRateLimit,
            partial(IntrospectionCache, answers=OrderedDict(), maxsize=64),
        ],
    )
