"""The one schema: Query, Mutation (and later Subscription), with the limits of the API."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache, partial

import strawberry
from graphql import parse
from strawberry.extensions import max_aliases, query_depth_limiter

from schema.errors import (
    AiUnavailableError,
    ConflictError,
    InvalidCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from schema.execution import DeskqlExecutor
from schema.limits import Parsing, Validation, node_budget_rule
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


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 5000
    max_page_size: int = 100
    max_nodes: int = 10_000


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
    # The rule classes are made here, once (see schema.limits.Validation).
    rules = (
        query_depth_limiter.create_validator(limits.max_depth, should_ignore=None),
        max_aliases.create_validator(limits.max_aliases),
        node_budget_rule(limits.max_page_size, limits.max_nodes),
    )
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=EXTRA_TYPES,
        execution_context_class=DeskqlExecutor,
        extensions=[
            partial(Parsing, max_tokens=limits.max_tokens, parse=lru_cache(maxsize=1000)(parse)),
            partial(Validation, rules=rules, valid=OrderedDict(), maxsize=1000),
            ErrorCodes,
            MutationRateLimit,
        ],
    )
