from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

POSTGRES = [
    # the text search of ticket filters (services/ticket_search.py): expression indexes over what it matches
    "CREATE INDEX ticket_search ON ticket USING gin (to_tsvector('english', title || ' ' || description))",
    "CREATE INDEX comment_search ON comment USING gin (to_tsvector('english', text))",
    # custom field values are compared for equality; a hash index holds values of any length (TEXTAREA)
    "CREATE INDEX ticket_field_value_value ON ticket_field_value USING hash (value)",
]
POSTGRES_DOWN = [
    "DROP INDEX ticket_search",
    "DROP INDEX comment_search",
    "DROP INDEX ticket_field_value_value",
]
SQLITE = [
    # FTS5 indexes kept by triggers: the ticket's title and description (rowid = ticket id) and each comment
    # (rowid = comment id) with its ticket and kind, so that a requester's search leaves notes out.
    "CREATE VIRTUAL TABLE ticket_search USING fts5(body, tokenize='porter')",
    "CREATE VIRTUAL TABLE comment_search USING fts5(body, ticket_id UNINDEXED, kind UNINDEXED, tokenize='porter')",
    "INSERT INTO ticket_search (rowid, body) SELECT id, title || ' ' || description FROM ticket",
    "INSERT INTO comment_search (rowid, body, ticket_id, kind) SELECT id, text, ticket_id, kind FROM comment",
    "CREATE TRIGGER ticket_search_insert AFTER INSERT ON ticket BEGIN"
    " INSERT INTO ticket_search (rowid, body) VALUES (new.id, new.title || ' ' || new.description); END",
    "CREATE TRIGGER ticket_search_update AFTER UPDATE OF title, description ON ticket BEGIN"
    " DELETE FROM ticket_search WHERE rowid = old.id;"
    " INSERT INTO ticket_search (rowid, body) VALUES (new.id, new.title || ' ' || new.description); END",
    "CREATE TRIGGER ticket_search_delete AFTER DELETE ON ticket BEGIN"
    " DELETE FROM ticket_search WHERE rowid = old.id; END",
    "CREATE TRIGGER comment_search_insert AFTER INSERT ON comment BEGIN"
    " INSERT INTO comment_search (rowid, body, ticket_id, kind) VALUES (new.id, new.text, new.ticket_id, new.kind);"
    " END",
    "CREATE TRIGGER comment_search_update AFTER UPDATE OF text, ticket_id, kind ON comment BEGIN"
    " DELETE FROM comment_search WHERE rowid = old.id;"
    " INSERT INTO comment_search (rowid, body, ticket_id, kind) VALUES (new.id, new.text, new.ticket_id, new.kind);"
    " END",
    "CREATE TRIGGER comment_search_delete AFTER DELETE ON comment BEGIN"
    " DELETE FROM comment_search WHERE rowid = old.id; END",
    "CREATE INDEX ticket_field_value_value ON ticket_field_value (field_id, value)",
]
SQLITE_DOWN = [
    "DROP TRIGGER ticket_search_insert",
    "DROP TRIGGER ticket_search_update",
    "DROP TRIGGER ticket_search_delete",
    "DROP TRIGGER comment_search_insert",
    "DROP TRIGGER comment_search_update",
    "DROP TRIGGER comment_search_delete",
    "DROP TABLE ticket_search",
    "DROP TABLE comment_search",
    "DROP INDEX ticket_field_value_value",
]


async def _run(schema_editor, postgres: list[str], sqlite: list[str]) -> None:
    client = schema_editor.client
    for statement in sqlite if client.capabilities.dialect == "sqlite" else postgres:
        await client.execute_script(statement)


async def add_search_indexes(apps, schema_editor) -> None:
    await _run(schema_editor, POSTGRES, SQLITE)


async def drop_search_indexes(apps, schema_editor) -> None:
    await _run(schema_editor, POSTGRES_DOWN, SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("deskql", "0012_requester_erased")]

    initial = False

    operations = [
        ops.AddIndex(
            model_name="Requester",
            index=Index(fields=["customer_id"]),
        ),
        ops.AddIndex(
            model_name="Requester",
            index=Index(fields=["site_id"]),
        ),
        ops.AddIndex(
            model_name="Requester",
            index=Index(fields=["department_id"]),
        ),
        ops.AddIndex(
            model_name="Ticket",
            index=Index(fields=["account_id", "resolved_at", "id"]),
        ),
        ops.AddIndex(
            model_name="TicketTag",
            index=Index(fields=["tag_id", "ticket_id"]),
        ),
        ops.RunPython(add_search_indexes, drop_search_indexes),
    ]
