from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from models.enums import ActivityKind, AlertSeverity, AlertStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('deskql', '0006_ticket_actions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Alert',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='alerts', on_delete=OnDelete.CASCADE)),
                ('device', fields.ForeignKeyField('deskql.Device', source_field='device_id', null=True, db_constraint=True, to_field='id', related_name='alerts', on_delete=OnDelete.SET_NULL)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', null=True, db_constraint=True, to_field='id', related_name='alerts', on_delete=OnDelete.SET_NULL)),
                ('name', fields.CharField(max_length=300)),
                ('message', fields.TextField(default='', unique=False)),
                ('severity', fields.CharEnumField(description='INFORMATION: INFORMATION\nWARNING: WARNING\nCRITICAL: CRITICAL', enum_type=AlertSeverity, max_length=20)),
                ('status', fields.CharEnumField(default=AlertStatus.OPEN, description='OPEN: OPEN\nRESOLVED: RESOLVED', enum_type=AlertStatus, max_length=20)),
                ('source', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'alert', 'app': 'deskql', 'indexes': [Index(fields=['account_id', 'status', 'created_at']), Index(fields=['ticket_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A monitoring alert. It is related to at most one ticket.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CalendarEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='calendar_events', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='calendar_events', on_delete=OnDelete.CASCADE)),
                ('uid', fields.CharField(unique=True, max_length=100)),
                ('title', fields.CharField(max_length=200)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('location', fields.CharField(default='', max_length=300)),
                ('notes', fields.TextField(default='', unique=False)),
                ('sequence', fields.IntField(default=0)),
                ('created_by', fields.ForeignKeyField('deskql.Technician', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='created_events', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'calendar_event', 'app': 'deskql', 'indexes': [Index(fields=['ticket_id', 'starts_at'])], 'pk_attr': 'id', 'table_description': 'An appointment about a ticket (an on-site visit, a call). ``uid`` and ``sequence`` identify it'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CalendarAttendee',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('deskql.CalendarEvent', source_field='event_id', db_constraint=True, to_field='id', related_name='attendees', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('deskql.Technician', source_field='technician_id', db_constraint=True, to_field='id', related_name='calendar_attendances', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'calendar_attendee', 'app': 'deskql', 'unique_together': (('event_id', 'technician_id'),), 'indexes': [Index(fields=['technician_id', 'event_id'])], 'pk_attr': 'id', 'table_description': 'A technician invited to an event: it appears in their calendar feed.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('technician', fields.OneToOneField('deskql.Technician', source_field='technician_id', db_constraint=True, to_field='id', related_name='calendar_feed', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'calendar_feed', 'app': 'deskql', 'pk_attr': 'id', 'table_description': "A technician's secret feed address. Only the SHA-256 of its token is kept, and one per technician."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Activity',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nFIELD_CHANGED: FIELD_CHANGED\nSTATUS_CHANGED: STATUS_CHANGED\nASSIGNEE_CHANGED: ASSIGNEE_CHANGED\nREQUESTER_CHANGED: REQUESTER_CHANGED\nACTIVITY_STATUS_CHANGED: ACTIVITY_STATUS_CHANGED\nFORM_TEMPLATE_CHANGED: FORM_TEMPLATE_CHANGED\nCUSTOM_FIELD_CHANGED: CUSTOM_FIELD_CHANGED\nTAG_ADDED: TAG_ADDED\nTAG_REMOVED: TAG_REMOVED\nSLA_BREACHED: SLA_BREACHED\nPUBLIC_REPLY_ADDED: PUBLIC_REPLY_ADDED\nINTERNAL_NOTE_ADDED: INTERNAL_NOTE_ADDED\nRESOLUTION_MARKED: RESOLUTION_MARKED\nRESOLUTION_UNMARKED: RESOLUTION_UNMARKED\nCC_ADDED: CC_ADDED\nFOLLOWER_ADDED: FOLLOWER_ADDED\nTIME_ENTRY_ADDED: TIME_ENTRY_ADDED\nTIME_ENTRY_UPDATED: TIME_ENTRY_UPDATED\nTIME_ENTRY_DELETED: TIME_ENTRY_DELETED\nMERGED_INTO: MERGED_INTO\nMERGED_FROM: MERGED_FROM\nUNMERGED: UNMERGED\nSPAM_MARKED: SPAM_MARKED\nSPAM_UNMARKED: SPAM_UNMARKED\nTICKET_DELETED: TICKET_DELETED\nTICKET_RESTORED: TICKET_RESTORED\nITEM_ADDED: ITEM_ADDED\nITEM_UPDATED: ITEM_UPDATED\nITEM_DELETED: ITEM_DELETED\nCHAT_STARTED: CHAT_STARTED\nCHAT_ENDED: CHAT_ENDED\nDEVICE_ASSIGNED: DEVICE_ASSIGNED\nDEVICE_UNASSIGNED: DEVICE_UNASSIGNED\nSURVEY_SUBMITTED: SURVEY_SUBMITTED\nEVENT_SCHEDULED: EVENT_SCHEDULED\nEVENT_UPDATED: EVENT_UPDATED\nEVENT_CANCELLED: EVENT_CANCELLED\nALERT_LINKED: ALERT_LINKED\nALERT_UNLINKED: ALERT_UNLINKED', enum_type=ActivityKind, max_length=40),
        ),
        ops.AddConstraint(
            model_name='Device',
            constraint=UniqueConstraint(fields=('account_id', 'hostname'), name=None),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='remote_connect_url_template',
            field=fields.CharField(default='', db_default='', max_length=500),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='send_survey_on_resolve',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
