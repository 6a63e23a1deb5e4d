"""DataLoaders, created per request (per operation for subscriptions) for one viewer, one mixin class per
domain.

Every loader reads through services.visibility, so a row the viewer may not see loads as None (or is
missing from its list) exactly as if it did not exist. Names follow <Things>By<Key>.
"""

from __future__ import annotations

from schema.loaders.actions import ActionLoaders
from schema.loaders.activity import ActivityLoaders
from schema.loaders.ai import AiLoaders
from schema.loaders.context import ContextLoaders
from schema.loaders.conversation import ConversationLoaders
from schema.loaders.people import PeopleLoaders
from schema.loaders.settings import SettingsLoaders
from schema.loaders.teams import TeamLoaders
from schema.loaders.tickets import TicketLoaders
from schema.loaders.time import TimeLoaders
from schema.loaders.views import ViewLoaders


class Loaders(
    TicketLoaders,
    PeopleLoaders,
    ConversationLoaders,
    ActivityLoaders,
    SettingsLoaders,
    TeamLoaders,
    ContextLoaders,
    ActionLoaders,
    AiLoaders,
    TimeLoaders,
    ViewLoaders,
):
    """Everything a request reads by key, each loader made on first use. One per request, never shared
    (subscriptions share them only within an audience, see fastpath.shared_reads)."""
