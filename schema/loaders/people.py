"""Loaders of accounts, technicians and requesters, and of what a requester's panel shows: customer,
contracts, site, department, devices, surveys, satisfaction, recent tickets."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.functions import Count, Sum
from tortoise.queryset import ValuesListQuery

from fastpath.statements import values_where_in
from models.accounts import Account, Technician
from models.people import Contract, Customer, Department, Device, Requester, SatisfactionSurvey, Site
from models.tickets import Ticket
from schema.loaders.base import ConnectionKey, LoaderBase, by_id, grouped_by, pages
from schema.pagination import Page
from services import visibility

JOINED_STATUS = frozenset({"status"})


def satisfaction(count: int, ratings: int) -> tuple[int, float | None]:
    """(number of surveys, the mean of their three ratings each, rounded to 2 places) from the sum of all
    ratings."""
    return (count, round(ratings / (3 * count), 2) if count else None)


def satisfaction_of(surveys: list[SatisfactionSurvey]) -> tuple[int, float | None]:
    """``satisfaction_by_requester`` worked out from all the requester's surveys, when those are read."""
    ratings = sum(s.support_quality + s.technician_knowledge + s.overall_helpfulness for s in surveys)
    return satisfaction(len(surveys), ratings)


class PeopleLoaders(LoaderBase):
    @cached_property
    def account_by_id(self) -> DataLoader[int, Account | None]:
        v = self.viewer
        return by_id(lambda: visibility.accounts(v))

    @cached_property
    def technician_by_id(self) -> DataLoader[int, Technician | None]:
        v = self.viewer
        return by_id(lambda: visibility.technicians(v))

    @cached_property
    def technician_shown_by_id(self) -> DataLoader[int, Technician | None]:
        v = self.viewer
        return by_id(lambda: visibility.technicians_shown_on_tickets(v))

    @cached_property
    def requester_by_id(self) -> DataLoader[int, Requester | None]:
        v = self.viewer
        return by_id(lambda: visibility.requesters(v))

    @cached_property
    def customer_by_id(self) -> DataLoader[int, Customer | None]:
        v = self.viewer
        return by_id(lambda: visibility.customers(v))

    @cached_property
    def contract_by_id(self) -> DataLoader[int, Contract | None]:
        v = self.viewer
        return by_id(lambda: visibility.contracts(v))

    @cached_property
    def site_by_id(self) -> DataLoader[int, Site | None]:
        v = self.viewer
        return by_id(lambda: visibility.sites(v))

    @cached_property
    def department_by_id(self) -> DataLoader[int, Department | None]:
        v = self.viewer
        return by_id(lambda: visibility.departments(v))

    @cached_property
    def device_by_id(self) -> DataLoader[int, Device | None]:
        v = self.viewer
        return by_id(lambda: visibility.devices(v))

    @cached_property
    def survey_by_id(self) -> DataLoader[int, SatisfactionSurvey | None]:
        v = self.viewer
        return by_id(lambda: visibility.surveys(v))

    @cached_property
    def survey_by_ticket(self) -> DataLoader[int, list[SatisfactionSurvey]]:
        v = self.viewer
        return grouped_by(lambda: visibility.surveys(v), "ticket_id", "id")

    @cached_property
    def contracts_by_customer(self) -> DataLoader[int, list[Contract]]:
        v = self.viewer
        return grouped_by(lambda: visibility.contracts(v), "customer_id", *visibility.CONTRACT_ORDER)

    @cached_property
    def devices_by_requester(self) -> DataLoader[int, list[Device]]:
        v = self.viewer
        return grouped_by(lambda: visibility.devices(v), "requester_id", *visibility.DEVICE_ORDER)

    @cached_property
    def surveys_by_requester(self) -> DataLoader[int, list[SatisfactionSurvey]]:
        v = self.viewer
        return grouped_by(lambda: visibility.surveys(v), "requester_id", *visibility.SURVEY_ORDER)

    @cached_property
    def open_ticket_count_by_technician(self) -> DataLoader[int, int]:
        return self._open_ticket_count_by_technician()

    @cached_property
    def satisfaction_by_requester(self) -> DataLoader[int, tuple[int, float | None]]:
        return self._satisfaction_by_requester()

    @cached_property
    def recent_tickets_by_requester(self) -> DataLoader[ConnectionKey, Page[Ticket]]:
        v = self.viewer
        return pages(lambda _: visibility.tickets(v), "requester_id")

    @cached_property
    def recent_tickets_with_status_by_requester(self) -> DataLoader[ConnectionKey, Page[Ticket]]:
        """``recent_tickets_by_requester`` with each ticket's status joined (schema.planned)."""
        v = self.viewer
        return pages(lambda _: visibility.tickets_with(v, JOINED_STATUS), "requester_id")

    def _open_ticket_count_by_technician(self) -> DataLoader[int, int]:
        v = self.viewer

        def query(technician_ids: list[int]) -> ValuesListQuery[Any]:
            return (
                visibility.open_tickets(v)
                .filter(assignee_id__in=technician_ids)
                .group_by("assignee_id")
                .annotate(count=Count("id"))
                .values_list("assignee_id", "count")
            )

        async def load(technician_ids: list[int]) -> list[int]:
            counts = dict(await values_where_in(query, technician_ids))
            return [counts.get(technician_id, 0) for technician_id in technician_ids]

        return DataLoader(load_fn=load)

    def _satisfaction_by_requester(self) -> DataLoader[int, tuple[int, float | None]]:
        """(number of surveys, average of all their ratings rounded to 2 places) per requester."""

        v = self.viewer

        def query(requester_ids: list[int]) -> ValuesListQuery[Any]:
            return (
                visibility.surveys(v)
                .filter(requester_id__in=requester_ids)
                .group_by("requester_id")
                .annotate(
                    count=Count("id"),
                    quality=Sum("support_quality"),
                    knowledge=Sum("technician_knowledge"),
                    helpfulness=Sum("overall_helpfulness"),
                )
                .values_list("requester_id", "count", "quality", "knowledge", "helpfulness")
            )

        async def load(requester_ids: list[int]) -> list[tuple[int, float | None]]:
            rows = await values_where_in(query, requester_ids)
            found = {row[0]: satisfaction(int(row[1]), sum(row[2:])) for row in rows}
            return [found.get(requester_id, (0, None)) for requester_id in requester_ids]

        return DataLoader(load_fn=load)
