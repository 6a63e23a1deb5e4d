from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from models.enums import ActivityKind, InboundOutcome, ItemKind, MailKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0005_mail')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BlockedSender',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='blocked_senders', on_delete=OnDelete.CASCADE)),
                ('email', fields.CharField(max_length=254)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', null=True, db_constraint=True, to_field='id', related_name='blocked_senders', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'blocked_sender', 'app': 'deskql', 'unique_together': (('account_id', 'email'),), 'pk_attr': 'id', 'table_description': 'An address whose mail is recorded and never posted (set when a ticket is marked as spam).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Chat',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='chats', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='chats', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('deskql.Technician', source_field='technician_id', null=True, db_constraint=True, to_field='id', related_name='chats', on_delete=OnDelete.SET_NULL)),
                ('started_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('transcript', fields.ForeignKeyField('deskql.Comment', source_field='transcript_id', null=True, db_constraint=True, to_field='id', related_name='chats', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'chat', 'app': 'deskql', 'indexes': [Index(fields=['ticket_id', 'ended_at'])], 'pk_attr': 'id', 'table_description': 'A live chat between a technician and the requester of a ticket, until it is ended.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ChatMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('chat', fields.ForeignKeyField('deskql.Chat', source_field='chat_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('author_technician', fields.ForeignKeyField('deskql.Technician', source_field='author_technician_id', null=True, db_constraint=True, to_field='id', related_name='chat_messages', on_delete=OnDelete.SET_NULL)),
                ('author_requester', fields.ForeignKeyField('deskql.Requester', source_field='author_requester_id', null=True, db_constraint=True, to_field='id', related_name='chat_messages', on_delete=OnDelete.SET_NULL)),
                ('text', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'chat_message', 'app': 'deskql', 'indexes': [Index(fields=['chat_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One line of a chat.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='ticket_items', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='items', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='PRODUCT: PRODUCT\nEXPENSE: EXPENSE', enum_type=ItemKind, max_length=10)),
                ('name', fields.CharField(max_length=200)),
                ('quantity', fields.DecimalField(max_digits=12, decimal_places=3)),
                ('unit_price', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('billable', fields.BooleanField(default=True)),
                ('date', fields.DateField()),
                ('notes', fields.TextField(default='', unique=False)),
                ('created_by', fields.ForeignKeyField('deskql.Technician', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='ticket_items', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_item', 'app': 'deskql', 'indexes': [Index(fields=['ticket_id', 'date', 'id'])], 'pk_attr': 'id', 'table_description': 'A product or an expense on a ticket, with exact decimal quantity and price.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketMerge',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='merges', on_delete=OnDelete.CASCADE)),
                ('source', fields.ForeignKeyField('deskql.Ticket', source_field='source_id', db_constraint=True, to_field='id', related_name='merges_out', on_delete=OnDelete.CASCADE)),
                ('target', fields.ForeignKeyField('deskql.Ticket', source_field='target_id', db_constraint=True, to_field='id', related_name='merges_in', on_delete=OnDelete.CASCADE)),
                ('merged_by', fields.ForeignKeyField('deskql.Technician', source_field='merged_by_id', null=True, db_constraint=True, to_field='id', related_name='merges', on_delete=OnDelete.SET_NULL)),
                ('moved', fields.TextField(unique=False)),
                ('merged_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('undone_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_merge', 'app': 'deskql', 'indexes': [Index(fields=['source_id', 'merged_at']), Index(fields=['target_id', 'merged_at'])], 'pk_attr': 'id', 'table_description': 'A source ticket merged into a target. ``moved`` (JSON) lists every row the merge moved, deleted or'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Activity',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nFIELD_CHANGED: FIELD_CHANGED\nSTATUS_CHANGED: STATUS_CHANGED\nASSIGNEE_CHANGED: ASSIGNEE_CHANGED\nREQUESTER_CHANGED: REQUESTER_CHANGED\nACTIVITY_STATUS_CHANGED: ACTIVITY_STATUS_CHANGED\nFORM_TEMPLATE_CHANGED: FORM_TEMPLATE_CHANGED\nCUSTOM_FIELD_CHANGED: CUSTOM_FIELD_CHANGED\nTAG_ADDED: TAG_ADDED\nTAG_REMOVED: TAG_REMOVED\nSLA_BREACHED: SLA_BREACHED\nPUBLIC_REPLY_ADDED: PUBLIC_REPLY_ADDED\nINTERNAL_NOTE_ADDED: INTERNAL_NOTE_ADDED\nRESOLUTION_MARKED: RESOLUTION_MARKED\nRESOLUTION_UNMARKED: RESOLUTION_UNMARKED\nCC_ADDED: CC_ADDED\nFOLLOWER_ADDED: FOLLOWER_ADDED\nTIME_ENTRY_ADDED: TIME_ENTRY_ADDED\nTIME_ENTRY_UPDATED: TIME_ENTRY_UPDATED\nTIME_ENTRY_DELETED: TIME_ENTRY_DELETED\nMERGED_INTO: MERGED_INTO\nMERGED_FROM: MERGED_FROM\nUNMERGED: UNMERGED\nSPAM_MARKED: SPAM_MARKED\nSPAM_UNMARKED: SPAM_UNMARKED\nTICKET_DELETED: TICKET_DELETED\nTICKET_RESTORED: TICKET_RESTORED\nITEM_ADDED: ITEM_ADDED\nITEM_UPDATED: ITEM_UPDATED\nITEM_DELETED: ITEM_DELETED\nCHAT_STARTED: CHAT_STARTED\nCHAT_ENDED: CHAT_ENDED', enum_type=ActivityKind, max_length=40),
        ),
        ops.AlterField(
            model_name='InboundMail',
            name='outcome',
            field=fields.CharEnumField(description='REPLY_POSTED: REPLY_POSTED\nTICKET_CREATED: TICKET_CREATED\nDUPLICATE: DUPLICATE\nAUTO_REPLY: AUTO_REPLY\nLOOP: LOOP\nSTORM: STORM\nUNKNOWN_SENDER: UNKNOWN_SENDER\nNO_MAILBOX: NO_MAILBOX\nBLOCKED: BLOCKED\nEMPTY: EMPTY\nMALFORMED: MALFORMED\nFAILED: FAILED', enum_type=InboundOutcome, max_length=20),
        ),
        ops.AlterField(
            model_name='MailTemplate',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nPUBLIC_REPLY: PUBLIC_REPLY\nINTERNAL_NOTE: INTERNAL_NOTE\nTICKET_RESOLVED: TICKET_RESOLVED\nTICKET_CLOSED: TICKET_CLOSED\nSATISFACTION_SURVEY: SATISFACTION_SURVEY', enum_type=MailKind, max_length=30),
        ),
        ops.AlterModelOptions(
            name='Mailbox',
            options={'table': 'mailbox', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'The address an account receives new tickets on.'},
        ),
        ops.RemoveField(model_name='Mailbox', name='allow_new_requesters'),
        ops.AlterField(
            model_name='OutboundMail',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nPUBLIC_REPLY: PUBLIC_REPLY\nINTERNAL_NOTE: INTERNAL_NOTE\nTICKET_RESOLVED: TICKET_RESOLVED\nTICKET_CLOSED: TICKET_CLOSED\nSATISFACTION_SURVEY: SATISFACTION_SURVEY', enum_type=MailKind, max_length=30),
        ),
        ops.AddField(
            model_name='Ticket',
            name='deleted_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='is_spam',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='merged_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='merged_into',
            field=fields.ForeignKeyField('deskql.Ticket', source_field='merged_into_id', null=True, db_constraint=True, to_field='id', related_name='merged_tickets', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['account_id', 'deleted_at', 'id']),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='deleted_retention_days',
            field=fields.SmallIntField(default=30, db_default=30),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='open_tickets_from_unknown_senders',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='require_time_entry_on_close',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='send_survey_on_close',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
