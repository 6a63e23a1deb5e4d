from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

from services.duration_backfill import backfill

# ticketMetrics reads stored durations (services/ticket_durations.py) instead of measuring every ticket of
# the period at each request: the columns are added here and every ticket already met is measured, with the
# SLA policy it has now (the figures it had until now). PostgreSQL answers the period's figures from
# indexes alone (docs/performance.md, "Dashboard counts and metrics"): first responses and resolutions in a
# range with their durations, and the tickets created in a range with their SLA columns (SLA compliance and
# the tickets created per day), keyed as migration 0020's indexes are (is_spam a key column, deleted
# tickets left out; ``id`` included because the statements count it). SQLite gets plain indexes of the
# same keys.
POSTGRES = [
    "CREATE INDEX ticket_first_responses ON ticket (account_id, is_spam, first_responded_at)"
    " INCLUDE (first_response_seconds, first_response_in_business_time, id) WHERE deleted_at IS NULL",
    "CREATE INDEX ticket_resolutions ON ticket (account_id, is_spam, resolved_at)"
    " INCLUDE (resolution_seconds, resolution_in_business_time, id) WHERE deleted_at IS NULL",
    "CREATE INDEX ticket_created_with_sla ON ticket (account_id, is_spam, created_at)"
    " INCLUDE (sla_policy_id, first_response_due_at, first_responded_at, resolution_due_at, resolved_at, id)"
    " WHERE deleted_at IS NULL",
]
SQLITE = [
    "CREATE INDEX ticket_first_responses ON ticket (account_id, is_spam, first_responded_at)",
    "CREATE INDEX ticket_resolutions ON ticket (account_id, is_spam, resolved_at)",
    "CREATE INDEX ticket_created_with_sla ON ticket (account_id, is_spam, created_at)",
]
DOWN = [
    "DROP INDEX ticket_first_responses",
    "DROP INDEX ticket_resolutions",
    "DROP INDEX ticket_created_with_sla",
]


async def measure_and_index(apps, schema_editor) -> None:
    client = schema_editor.client
    await backfill(client)
    for statement in SQLITE if client.capabilities.dialect == "sqlite" else POSTGRES:
        await client.execute_script(statement)


async def drop_indexes(apps, schema_editor) -> None:
    for statement in DOWN:
        await schema_editor.client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("deskql", "0020_dashboard_indexes")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Ticket",
            name="first_response_in_business_time",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="Ticket",
            name="first_response_seconds",
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name="Ticket",
            name="resolution_in_business_time",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="Ticket",
            name="resolution_seconds",
            field=fields.BigIntField(null=True),
        ),
        ops.RunPython(measure_and_index, drop_indexes),
    ]
