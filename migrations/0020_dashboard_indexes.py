from tortoise import migrations
from tortoise.migrations import operations as ops

# Dashboard counts answered from an index alone (docs/performance.md, "Dashboard lists" and "Dashboard counts
# and metrics"): the tickets every list and count reads (not deleted), keyed by the conditions a dashboard
# gives most. PostgreSQL counts a filtered list's total (status, priority, created in a range) and groups by
# status and assignee with index-only scans: the count of 4,449 tickets of 90 days no longer reads the 45,000
# rows of those days, the status x assignee counts no longer read every ticket's row. ``is_spam`` is a key
# column rather than part of the WHERE, because the statements compare it with a parameter, which a partial
# index's predicate cannot be proven against in a generic plan. SQLite gets plain indexes of the same columns.
POSTGRES = [
    "CREATE INDEX ticket_listed_by_status_priority ON ticket"
    " (account_id, is_spam, status_id, priority, created_at, id) WHERE deleted_at IS NULL",
    "CREATE INDEX ticket_listed_by_status_assignee ON ticket"
    " (account_id, is_spam, status_id, assignee_id, id) WHERE deleted_at IS NULL",
]
SQLITE = [
    "CREATE INDEX ticket_listed_by_status_priority ON ticket"
    " (account_id, is_spam, status_id, priority, created_at, id)",
    "CREATE INDEX ticket_listed_by_status_assignee ON ticket (account_id, is_spam, status_id, assignee_id, id)",
]
DOWN = [
    "DROP INDEX ticket_listed_by_status_priority",
    "DROP INDEX ticket_listed_by_status_assignee",
]


async def _run(schema_editor, postgres: list[str], sqlite: list[str]) -> None:
    client = schema_editor.client
    for statement in sqlite if client.capabilities.dialect == "sqlite" else postgres:
        await client.execute_script(statement)


async def add_dashboard_indexes(apps, schema_editor) -> None:
    await _run(schema_editor, POSTGRES, SQLITE)


async def drop_dashboard_indexes(apps, schema_editor) -> None:
    await _run(schema_editor, DOWN, DOWN)


class Migration(migrations.Migration):
    dependencies = [("deskql", "0019_automation_failures")]

    initial = False

    operations = [
        ops.RunPython(add_dashboard_indexes, drop_dashboard_indexes),
    ]
