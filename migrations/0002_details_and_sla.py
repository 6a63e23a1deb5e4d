from tortoise import migrations
from tortoise.migrations import operations as ops
import datetime
import functools
from json import dumps, loads
from models.clock import NO_DUE_TIME, utcnow
from models.enums import ActivityKind, BuiltInField, CustomFieldType
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

PRODUCT_FAMILIES = ["Hardware", "Software", "Network", "Email and collaboration", "Security", "Accounts and access"]


async def give_existing_accounts_their_built_ins(apps, schema_editor) -> None:
    """Accounts created before this migration get the product family field and the default template,
    and their tickets get that template. Plain SQL with only the columns that exist at this point."""
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"

    def sql(text: str) -> str:
        if sqlite:
            return text
        for number in range(1, text.count("?") + 1):
            text = text.replace("?", f"${number}", 1)
        return text

    now = utcnow()
    # The column's SQL default is written in another text form than Tortoise writes datetimes on SQLite;
    # store the one form everywhere so that comparisons (keyset cursors) hold.
    await client.execute_query(sql("UPDATE ticket SET next_sla_due_at = ?"), [NO_DUE_TIME])
    _, accounts = await client.execute_query("SELECT id FROM account")
    for account in accounts:
        account_id = account["id"]
        _, existing = await client.execute_query(
            sql("SELECT id FROM custom_field WHERE account_id = ? AND built_in = ?"), [account_id, "PRODUCT_FAMILY"]
        )
        if existing:
            continue
        await client.execute_query(
            sql(
                "INSERT INTO custom_field (account_id, name, field_type, options, required, help_text, built_in,"
                " archived, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            [account_id, "Product family", "DROPDOWN", dumps(PRODUCT_FAMILIES), False,
             "The product or service the ticket is about.", "PRODUCT_FAMILY", False, now],
        )
        await client.execute_query(
            sql("INSERT INTO form_template (account_id, name, is_default, archived, created_at) VALUES (?, ?, ?, ?, ?)"),
            [account_id, "Standard", True, False, now],
        )
        _, [field] = await client.execute_query(
            sql("SELECT id FROM custom_field WHERE account_id = ? AND built_in = ?"), [account_id, "PRODUCT_FAMILY"]
        )
        _, [template] = await client.execute_query(
            sql("SELECT id FROM form_template WHERE account_id = ? AND is_default = ?"), [account_id, True]
        )
        await client.execute_query(
            sql("INSERT INTO form_template_field (template_id, field_id, position) VALUES (?, ?, ?)"),
            [template["id"], field["id"], 0],
        )
        await client.execute_query(
            sql("UPDATE ticket SET form_template_id = ? WHERE account_id = ? AND form_template_id IS NULL"),
            [template["id"], account_id],
        )


class Migration(migrations.Migration):
    dependencies = [('deskql', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BusinessCalendar',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='calendars', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('timezone', fields.CharField(max_length=64)),
                ('weekly_hours', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('holidays', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'business_calendar', 'app': 'deskql', 'unique_together': (('account_id', 'name'),), 'pk_attr': 'id', 'table_description': 'Working hours in a time zone. ``weekly_hours`` maps MONDAY..SUNDAY to [["09:00", "17:00"], ...].'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CustomField',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='custom_fields', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('field_type', fields.CharEnumField(description='TEXT: TEXT\nTEXTAREA: TEXTAREA\nNUMBER: NUMBER\nDECIMAL: DECIMAL\nDATE: DATE\nDATETIME: DATETIME\nDROPDOWN: DROPDOWN\nMULTI_SELECT: MULTI_SELECT\nCHECKBOX: CHECKBOX\nURL: URL', enum_type=CustomFieldType, max_length=20)),
                ('options', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('required', fields.BooleanField(default=False)),
                ('help_text', fields.CharField(default='', max_length=500)),
                ('built_in', fields.CharEnumField(null=True, description='PRODUCT_FAMILY: PRODUCT_FAMILY', enum_type=BuiltInField, max_length=40)),
                ('archived', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'custom_field', 'app': 'deskql', 'unique_together': (('account_id', 'name'), ('account_id', 'built_in')), 'pk_attr': 'id', 'table_description': 'A ticket property an admin defines. ``built_in`` names the built-in ones (product family).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FormTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='form_templates', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('is_default', fields.BooleanField(default=False)),
                ('archived', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'form_template', 'app': 'deskql', 'unique_together': (('account_id', 'name'),), 'pk_attr': 'id', 'table_description': 'An ordered set of custom fields shown on a ticket.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FormTemplateField',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('template', fields.ForeignKeyField('deskql.FormTemplate', source_field='template_id', db_constraint=True, to_field='id', related_name='template_fields', on_delete=OnDelete.CASCADE)),
                ('field', fields.ForeignKeyField('deskql.CustomField', source_field='field_id', db_constraint=True, to_field='id', related_name='template_fields', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
            ],
            options={'table': 'form_template_field', 'app': 'deskql', 'unique_together': (('template_id', 'field_id'),), 'indexes': [Index(fields=['template_id', 'position'])], 'pk_attr': 'id', 'table_description': "A field's place in a template."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SlaPause',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='sla_pauses', on_delete=OnDelete.CASCADE)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sla_pause', 'app': 'deskql', 'indexes': [Index(fields=['ticket_id', 'started_at'])], 'pk_attr': 'id', 'table_description': "An interval in which a ticket's SLA clocks stood still (open while ``ended_at`` is null)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SlaPolicy',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='sla_policies', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('calendar', fields.ForeignKeyField('deskql.BusinessCalendar', source_field='calendar_id', null=True, db_constraint=True, to_field='id', related_name='policies', on_delete=OnDelete.RESTRICT)),
                ('targets', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('is_default', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sla_policy', 'app': 'deskql', 'unique_together': (('account_id', 'name'),), 'pk_attr': 'id', 'table_description': 'Response and resolution targets per priority, in minutes of the calendar (none: around the clock).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketFieldValue',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='field_values', on_delete=OnDelete.CASCADE)),
                ('field', fields.ForeignKeyField('deskql.CustomField', source_field='field_id', db_constraint=True, to_field='id', related_name='values', on_delete=OnDelete.CASCADE)),
                ('value', fields.TextField(unique=False)),
            ],
            options={'table': 'ticket_field_value', 'app': 'deskql', 'unique_together': (('ticket_id', 'field_id'),), 'pk_attr': 'id', 'table_description': "One custom field's value on one ticket, as JSON text (``json.dumps`` of the stored form)."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Activity',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nFIELD_CHANGED: FIELD_CHANGED\nSTATUS_CHANGED: STATUS_CHANGED\nASSIGNEE_CHANGED: ASSIGNEE_CHANGED\nREQUESTER_CHANGED: REQUESTER_CHANGED\nACTIVITY_STATUS_CHANGED: ACTIVITY_STATUS_CHANGED\nFORM_TEMPLATE_CHANGED: FORM_TEMPLATE_CHANGED\nCUSTOM_FIELD_CHANGED: CUSTOM_FIELD_CHANGED\nTAG_ADDED: TAG_ADDED\nTAG_REMOVED: TAG_REMOVED\nSLA_BREACHED: SLA_BREACHED\nPUBLIC_REPLY_ADDED: PUBLIC_REPLY_ADDED\nINTERNAL_NOTE_ADDED: INTERNAL_NOTE_ADDED', enum_type=ActivityKind, max_length=40),
        ),
        ops.AddField(
            model_name='Customer',
            name='sla_policy',
            field=fields.ForeignKeyField('deskql.SlaPolicy', source_field='sla_policy_id', null=True, db_constraint=True, to_field='id', related_name='customers', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Ticket',
            name='first_responded_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='first_response_breach_logged',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='first_response_due_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='form_template',
            field=fields.ForeignKeyField('deskql.FormTemplate', source_field='form_template_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Ticket',
            name='next_sla_due_at',
            field=fields.DatetimeField(default=datetime.datetime.fromisoformat('9999-12-31T00:00:00+00:00'), db_default=datetime.datetime.fromisoformat('9999-12-31T00:00:00+00:00'), auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='resolution_breach_logged',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='resolution_due_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='resolved_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='sla_policy',
            field=fields.ForeignKeyField('deskql.SlaPolicy', source_field='sla_policy_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['account_id', 'created_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['account_id', 'updated_at', 'id']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['account_id', 'next_sla_due_at', 'id']),
        ),
        ops.AddField(
            model_name='TicketStatus',
            name='pauses_sla',
            field=fields.BooleanField(default=False, db_default=False),
        ),
            ops.RunPython(give_existing_accounts_their_built_ins, ops.RunPython.noop),
    ]
