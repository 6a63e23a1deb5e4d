from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from models.enums import ActivityKind, TimeEntrySource
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0003_conversation')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TimeEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='time_entries', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='time_entries', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('deskql.Technician', source_field='technician_id', db_constraint=True, to_field='id', related_name='time_entries', on_delete=OnDelete.RESTRICT)),
                ('source', fields.CharEnumField(description='TIMER: TIMER\nMANUAL: MANUAL', enum_type=TimeEntrySource, max_length=10)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('duration_seconds', fields.IntField()),
                ('description', fields.TextField(default='', unique=False)),
                ('billable', fields.BooleanField(default=True)),
                ('rate', fields.DecimalField(null=True, max_digits=12, decimal_places=2)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'time_entry', 'app': 'deskql', 'indexes': [Index(fields=['ticket_id', 'started_at', 'id']), Index(fields=['technician_id', 'started_at'])], 'pk_attr': 'id', 'table_description': 'A recorded span of work on a ticket, from a timer or entered by hand.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Timer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='timers', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('deskql.Technician', source_field='technician_id', db_constraint=True, to_field='id', related_name='timers', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='timers', on_delete=OnDelete.CASCADE)),
                ('running_since', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('running_technician_id', fields.IntField(null=True, unique=True)),
                ('accumulated_ms', fields.BigIntField(default=0)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'timer', 'app': 'deskql', 'unique_together': (('technician_id', 'ticket_id'),), 'pk_attr': 'id', 'table_description': "A technician's clock on a ticket: paused, or running since ``running_since``."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Activity',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nFIELD_CHANGED: FIELD_CHANGED\nSTATUS_CHANGED: STATUS_CHANGED\nASSIGNEE_CHANGED: ASSIGNEE_CHANGED\nREQUESTER_CHANGED: REQUESTER_CHANGED\nACTIVITY_STATUS_CHANGED: ACTIVITY_STATUS_CHANGED\nFORM_TEMPLATE_CHANGED: FORM_TEMPLATE_CHANGED\nCUSTOM_FIELD_CHANGED: CUSTOM_FIELD_CHANGED\nTAG_ADDED: TAG_ADDED\nTAG_REMOVED: TAG_REMOVED\nSLA_BREACHED: SLA_BREACHED\nPUBLIC_REPLY_ADDED: PUBLIC_REPLY_ADDED\nINTERNAL_NOTE_ADDED: INTERNAL_NOTE_ADDED\nRESOLUTION_MARKED: RESOLUTION_MARKED\nRESOLUTION_UNMARKED: RESOLUTION_UNMARKED\nCC_ADDED: CC_ADDED\nFOLLOWER_ADDED: FOLLOWER_ADDED\nTIME_ENTRY_ADDED: TIME_ENTRY_ADDED\nTIME_ENTRY_UPDATED: TIME_ENTRY_UPDATED\nTIME_ENTRY_DELETED: TIME_ENTRY_DELETED', enum_type=ActivityKind, max_length=40),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='auto_start_timer',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='default_time_entry_minutes',
            field=fields.SmallIntField(default=15, db_default=15),
        ),
    ]
