"""Loaders of an account's settings: ticket settings, automation rules and their failures, custom fields
and form templates, SLA policies and their calendars; and of a ticket's field values and SLA pauses."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import NamedTuple

from strawberry.dataloader import DataLoader
from tortoise.functions import Count, Max
from tortoise.queryset import QuerySet

from fastpath.statements import rows_where_in
from models.automation import AutomationRule, AutomationRun
from models.forms import CustomField, FormTemplate, FormTemplateField, TicketFieldValue
from models.settings import TicketSettings
from models.sla import BusinessCalendar, SlaPause, SlaPolicy
from schema.loaders.base import LoaderBase, by_id, grouped_by
from services import visibility


class RuleFailures(NamedTuple):
    times: int
    latest: AutomationRun | None


class SettingsLoaders(LoaderBase):
    @cached_property
    def ticket_settings_by_account(self) -> DataLoader[int, TicketSettings]:
        async def load(account_ids: list[int]) -> list[TicketSettings]:
            found = {row.account_id: row for row in await TicketSettings.filter(account_id__in=account_ids)}
            return [found.get(key) or TicketSettings(account_id=key) for key in account_ids]

        return DataLoader(load_fn=load)

    @cached_property
    def automation_rule_by_id(self) -> DataLoader[int, AutomationRule | None]:
        v = self.viewer
        return by_id(lambda: visibility.automation_rules(v))

    @cached_property
    def failures_by_rule(self) -> DataLoader[int, RuleFailures]:
        """How often each rule could not act, and its latest such run: two statements for any rules."""
        v = self.viewer

        async def load(rule_ids: list[int]) -> list[RuleFailures]:
            grouped = (
                visibility.automation_failures(v)
                .filter(rule_id__in=rule_ids)
                .annotate(count=Count("id"), latest=Max("id"))
                .group_by("rule_id")
                .values_list("rule_id", "count", "latest")
            )
            counts = {rule_id: (count, latest) for rule_id, count, latest in await grouped}
            latest = {
                row.rule_id: row
                for row in await visibility.automation_failures(v).filter(
                    id__in=[x[1] for x in counts.values()]
                )
            }
            return [RuleFailures(counts.get(key, (0, 0))[0], latest.get(key)) for key in rule_ids]

        return DataLoader(load_fn=load)

    @cached_property
    def custom_field_by_id(self) -> DataLoader[int, CustomField | None]:
        v = self.viewer
        return by_id(lambda: visibility.custom_fields(v))

    @cached_property
    def form_template_by_id(self) -> DataLoader[int, FormTemplate | None]:
        v = self.viewer
        return by_id(lambda: visibility.form_templates(v))

    @cached_property
    def sla_policy_by_id(self) -> DataLoader[int, SlaPolicy | None]:
        v = self.viewer
        return by_id(lambda: visibility.sla_policies(v))

    @cached_property
    def calendar_by_id(self) -> DataLoader[int, BusinessCalendar | None]:
        v = self.viewer
        return by_id(lambda: visibility.calendars(v))

    @cached_property
    def fields_by_template(self) -> DataLoader[int, list[CustomField]]:
        return self._fields_by_template()

    @cached_property
    def values_by_ticket(self) -> DataLoader[int, list[TicketFieldValue]]:
        v = self.viewer
        return grouped_by(lambda: visibility.field_values(v), "ticket_id", *visibility.FIELD_VALUE_ORDER)

    @cached_property
    def sla_pauses_by_ticket(self) -> DataLoader[int, list[SlaPause]]:
        v = self.viewer
        return grouped_by(lambda: visibility.sla_pauses(v), "ticket_id", *visibility.SLA_PAUSE_ORDER)

    def _fields_by_template(self) -> DataLoader[int, list[CustomField]]:
        v = self.viewer

        def query() -> QuerySet[FormTemplateField]:
            return visibility.template_fields(v).select_related("field")

        async def load(template_ids: list[int]) -> list[list[CustomField]]:
            groups: dict[int, list[CustomField]] = defaultdict(list)
            for row in await rows_where_in(
                query, "template_id", template_ids, visibility.TEMPLATE_FIELD_ORDER
            ):
                groups[row.template_id].append(row.field)
            return [groups.get(template_id, []) for template_id in template_ids]

        return DataLoader(load_fn=load)
