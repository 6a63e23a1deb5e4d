from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from models.enums import ActivityKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0013_ticket_filters')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Team',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='teams', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('name_key', fields.CharField(null=True, max_length=100)),
                ('archived_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('round_robin_last_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'team', 'app': 'deskql', 'unique_together': (('account_id', 'name_key'),), 'pk_attr': 'id', 'table_description': 'A named group of technicians of one account.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TeamMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('team', fields.ForeignKeyField('deskql.Team', source_field='team_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('deskql.Technician', source_field='technician_id', db_constraint=True, to_field='id', related_name='team_memberships', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'team_member', 'app': 'deskql', 'unique_together': (('team_id', 'technician_id'),), 'indexes': [Index(fields=['technician_id', 'team_id'])], 'pk_attr': 'id', 'table_description': 'A technician in a team. A technician may be in several teams of their account.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Activity',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nFIELD_CHANGED: FIELD_CHANGED\nSTATUS_CHANGED: STATUS_CHANGED\nASSIGNEE_CHANGED: ASSIGNEE_CHANGED\nTEAM_CHANGED: TEAM_CHANGED\nREQUESTER_CHANGED: REQUESTER_CHANGED\nACTIVITY_STATUS_CHANGED: ACTIVITY_STATUS_CHANGED\nFORM_TEMPLATE_CHANGED: FORM_TEMPLATE_CHANGED\nCUSTOM_FIELD_CHANGED: CUSTOM_FIELD_CHANGED\nTAG_ADDED: TAG_ADDED\nTAG_REMOVED: TAG_REMOVED\nSLA_BREACHED: SLA_BREACHED\nPUBLIC_REPLY_ADDED: PUBLIC_REPLY_ADDED\nINTERNAL_NOTE_ADDED: INTERNAL_NOTE_ADDED\nRESOLUTION_MARKED: RESOLUTION_MARKED\nRESOLUTION_UNMARKED: RESOLUTION_UNMARKED\nCC_ADDED: CC_ADDED\nFOLLOWER_ADDED: FOLLOWER_ADDED\nTIME_ENTRY_ADDED: TIME_ENTRY_ADDED\nTIME_ENTRY_UPDATED: TIME_ENTRY_UPDATED\nTIME_ENTRY_DELETED: TIME_ENTRY_DELETED\nMERGED_INTO: MERGED_INTO\nMERGED_FROM: MERGED_FROM\nUNMERGED: UNMERGED\nSPAM_MARKED: SPAM_MARKED\nSPAM_UNMARKED: SPAM_UNMARKED\nTICKET_DELETED: TICKET_DELETED\nTICKET_RESTORED: TICKET_RESTORED\nITEM_ADDED: ITEM_ADDED\nITEM_UPDATED: ITEM_UPDATED\nITEM_DELETED: ITEM_DELETED\nCHAT_STARTED: CHAT_STARTED\nCHAT_ENDED: CHAT_ENDED\nDEVICE_ASSIGNED: DEVICE_ASSIGNED\nDEVICE_UNASSIGNED: DEVICE_UNASSIGNED\nSURVEY_SUBMITTED: SURVEY_SUBMITTED\nEVENT_SCHEDULED: EVENT_SCHEDULED\nEVENT_UPDATED: EVENT_UPDATED\nEVENT_CANCELLED: EVENT_CANCELLED\nALERT_LINKED: ALERT_LINKED\nALERT_UNLINKED: ALERT_UNLINKED\nREQUESTER_ERASED: REQUESTER_ERASED', enum_type=ActivityKind, max_length=40),
        ),
        ops.AddField(
            model_name='Ticket',
            name='team',
            field=fields.ForeignKeyField('deskql.Team', source_field='team_id', null=True, db_constraint=True, to_field='id', related_name='tickets', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['account_id', 'team_id', 'created_at', 'id']),
        ),
    ]
