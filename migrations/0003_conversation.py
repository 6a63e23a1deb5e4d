from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from models.enums import ActivityKind, NotificationKind, ReplyType
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0002_details_and_sla')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CcRecipient',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='cc_recipients', on_delete=OnDelete.CASCADE)),
                ('comment', fields.ForeignKeyField('deskql.Comment', source_field='comment_id', null=True, db_constraint=True, to_field='id', related_name='cc', on_delete=OnDelete.CASCADE)),
                ('email', fields.CharField(max_length=254)),
                ('technician', fields.ForeignKeyField('deskql.Technician', source_field='technician_id', null=True, db_constraint=True, to_field='id', related_name='cc_on', on_delete=OnDelete.SET_NULL)),
                ('requester', fields.ForeignKeyField('deskql.Requester', source_field='requester_id', null=True, db_constraint=True, to_field='id', related_name='cc_on', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'cc_recipient', 'app': 'deskql', 'indexes': [Index(fields=['ticket_id', 'comment_id', 'email']), Index(fields=['comment_id', 'id'])], 'pk_attr': 'id', 'table_description': "Someone copied on a ticket's public updates, by email, linked to a known person when there is one."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CommentMention',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('comment', fields.ForeignKeyField('deskql.Comment', source_field='comment_id', db_constraint=True, to_field='id', related_name='mentions', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('deskql.Technician', source_field='technician_id', db_constraint=True, to_field='id', related_name='mentions', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'comment_mention', 'app': 'deskql', 'unique_together': (('comment_id', 'technician_id'),), 'pk_attr': 'id', 'table_description': 'A technician @mentioned in an internal note.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('recipient', fields.ForeignKeyField('deskql.Technician', source_field='recipient_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='MENTION: MENTION\nNOTE_ON_FOLLOWED_TICKET: NOTE_ON_FOLLOWED_TICKET', enum_type=NotificationKind, max_length=40)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('comment', fields.ForeignKeyField('deskql.Comment', source_field='comment_id', null=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notification', 'app': 'deskql', 'indexes': [Index(fields=['recipient_id', 'created_at', 'id']), Index(fields=['expires_at'])], 'pk_attr': 'id', 'table_description': 'One notice for one technician. ``expires_at`` is when the purge job removes it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReplyTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='reply_templates', on_delete=OnDelete.CASCADE)),
                ('owner', fields.ForeignKeyField('deskql.Technician', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='reply_templates', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'reply_template', 'app': 'deskql', 'indexes': [Index(fields=['account_id', 'owner_id', 'name'])], 'pk_attr': 'id', 'table_description': 'A quick-reply text with placeholders, personal (``owner``) or shared with the account (no owner).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketFollower',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', db_constraint=True, to_field='id', related_name='followers', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('deskql.Technician', source_field='technician_id', db_constraint=True, to_field='id', related_name='following', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ticket_follower', 'app': 'deskql', 'unique_together': (('ticket_id', 'technician_id'),), 'pk_attr': 'id', 'table_description': 'A technician who follows a ticket: notified of every internal note (mentions make followers).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TicketSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='ticket_settings', on_delete=OnDelete.CASCADE)),
                ('default_reply_type', fields.CharEnumField(default=ReplyType.PUBLIC_REPLY, description='PUBLIC_REPLY: PUBLIC_REPLY\nINTERNAL_NOTE: INTERNAL_NOTE', enum_type=ReplyType, max_length=20)),
            ],
            options={'table': 'ticket_settings', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'One row per account, created with defaults the first time they are changed.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Activity',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nFIELD_CHANGED: FIELD_CHANGED\nSTATUS_CHANGED: STATUS_CHANGED\nASSIGNEE_CHANGED: ASSIGNEE_CHANGED\nREQUESTER_CHANGED: REQUESTER_CHANGED\nACTIVITY_STATUS_CHANGED: ACTIVITY_STATUS_CHANGED\nFORM_TEMPLATE_CHANGED: FORM_TEMPLATE_CHANGED\nCUSTOM_FIELD_CHANGED: CUSTOM_FIELD_CHANGED\nTAG_ADDED: TAG_ADDED\nTAG_REMOVED: TAG_REMOVED\nSLA_BREACHED: SLA_BREACHED\nPUBLIC_REPLY_ADDED: PUBLIC_REPLY_ADDED\nINTERNAL_NOTE_ADDED: INTERNAL_NOTE_ADDED\nRESOLUTION_MARKED: RESOLUTION_MARKED\nRESOLUTION_UNMARKED: RESOLUTION_UNMARKED\nCC_ADDED: CC_ADDED\nFOLLOWER_ADDED: FOLLOWER_ADDED', enum_type=ActivityKind, max_length=40),
        ),
        ops.AddField(
            model_name='Attachment',
            name='uploaded_by_requester',
            field=fields.ForeignKeyField('deskql.Requester', source_field='uploaded_by_requester_id', null=True, db_constraint=True, to_field='id', related_name='uploads', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Attachment',
            name='uploaded_by_technician',
            field=fields.ForeignKeyField('deskql.Technician', source_field='uploaded_by_technician_id', null=True, db_constraint=True, to_field='id', related_name='uploads', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddIndex(
            model_name='Attachment',
            index=Index(fields=['sha256']),
        ),
        ops.AddField(
            model_name='Comment',
            name='truncated',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
