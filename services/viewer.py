"""Who is asking: a technician or a requester of one account."""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import Channel, Role


@dataclass(frozen=True)
class Viewer:
    account_id: int
    token_id: int | None = None
    technician_id: int | None = None
    requester_id: int | None = None
    role: Role | None = None
    channel: Channel = Channel.API
    rule_id: int | None = None
    """Set when an automation rule acts (services.automation): its changes are logged as made by the rule."""
    rule_name: str | None = None

    @property
    def statement_key(self) -> tuple[int, int | None, int | None, Role | None]:
        """What a read's SQL may depend on (fastpath.statements): not the token or the channel, so that the
        tokens of one person share kept statements."""
        return self.account_id, self.technician_id, self.requester_id, self.role

    @property
    def is_technician(self) -> bool:
        """Technicians, and automation rules, which act with a technician's reach in their account."""
        return self.technician_id is not None or self.rule_id is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_requester(self) -> bool:
        return self.requester_id is not None

    @classmethod
    def system(cls, account_id: int) -> Viewer:
        """The account itself acting, for demo data, jobs and automations."""
        return cls(account_id=account_id, channel=Channel.SYSTEM)

    @classmethod
    def automation(cls, account_id: int, rule_id: int, rule_name: str) -> Viewer:
        """An automation rule acting in its account: channel AUTOMATION, logged as 'by rule <name>'."""
        return cls(account_id=account_id, channel=Channel.AUTOMATION, rule_id=rule_id, rule_name=rule_name)
