"""Loaders of teams: by id (staff, or as a ticket's team for everyone), members and open-ticket counts."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.functions import Count
from tortoise.queryset import ValuesListQuery

from fastpath.statements import values_where_in
from models.accounts import Technician
from models.enums import StatusCategory
from models.teams import Team
from schema.loaders.base import LoaderBase, by_id
from services import visibility

OPEN_CATEGORIES = [StatusCategory.OPEN, StatusCategory.PENDING]


class TeamLoaders(LoaderBase):
    @cached_property
    def team_by_id(self) -> DataLoader[int, Team | None]:
        v = self.viewer
        return by_id(lambda: visibility.teams(v))

    @cached_property
    def team_shown_by_id(self) -> DataLoader[int, Team | None]:
        v = self.viewer
        return by_id(lambda: visibility.teams_shown_on_tickets(v))

    @cached_property
    def members_by_team(self) -> DataLoader[int, list[Technician]]:
        return self._members_by_team()

    @cached_property
    def open_ticket_count_by_team(self) -> DataLoader[int, int]:
        return self._open_ticket_count_by_team()

    def _members_by_team(self) -> DataLoader[int, list[Technician]]:
        v = self.viewer

        async def load(team_ids: list[int]) -> list[list[Technician]]:
            pairs = (
                await visibility.team_members(v)
                .filter(team_id__in=team_ids)
                .values_list("team_id", "technician_id")
            )
            rows = await visibility.technicians(v).filter(id__in={t for _, t in pairs}).order_by("name", "id")
            position = {row.id: row for row in rows}
            groups: dict[int, list[Technician]] = defaultdict(list)
            for team_id, technician_id in pairs:
                groups[team_id].append(position[technician_id])
            order = {row.id: index for index, row in enumerate(rows)}
            return [sorted(groups.get(team_id, []), key=lambda t: order[t.id]) for team_id in team_ids]

        return DataLoader(load_fn=load)

    def _open_ticket_count_by_team(self) -> DataLoader[int, int]:
        v = self.viewer

        def query(team_ids: list[int]) -> ValuesListQuery[Any]:
            return (
                visibility.tickets(v)
                .filter(team_id__in=team_ids, status__category__in=OPEN_CATEGORIES)
                .group_by("team_id")
                .annotate(count=Count("id"))
                .values_list("team_id", "count")
            )

        async def load(team_ids: list[int]) -> list[int]:
            counts = dict(await values_where_in(query, team_ids))
            return [counts.get(team_id, 0) for team_id in team_ids]

        return DataLoader(load_fn=load)
