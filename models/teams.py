"""Teams of technicians that tickets can be routed to."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account, Technician
from models.clock import utcnow


class Team(Model):
    """A named group of technicians of one account.

    ``name_key`` is the casefolded name while the team is not archived and null once it is: the unique key
    on (account, name_key) keeps names unique among an account's live teams, also against concurrent saves,
    and an archived team's name is free again. ``round_robin_last_id`` is the technician the last
    round-robin pick chose (services.teams), kept here so that every worker process continues from it.
    """

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "deskql.Account", related_name="teams", on_delete=fields.CASCADE
    )
    account_id: int
    name = fields.CharField(max_length=100)
    name_key = fields.CharField(max_length=100, null=True)
    archived_at = fields.DatetimeField(null=True)
    round_robin_last_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "team"
        unique_together = (("account_id", "name_key"),)


class TeamMember(Model):
    """A technician in a team. A technician may be in several teams of their account."""

    id = fields.IntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "deskql.Team", related_name="memberships", on_delete=fields.CASCADE
    )
    team_id: int
    technician: fields.ForeignKeyRelation[Technician] = fields.ForeignKeyField(
        "deskql.Technician", related_name="team_memberships", on_delete=fields.CASCADE
    )
    technician_id: int
    created_at = fields.DatetimeField(default=utcnow)

    class Meta:
        table = "team_member"
        unique_together = (("team_id", "technician_id"),)
        indexes = (("technician_id", "team_id"),)
