from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from models.enums import InboundOutcome, MailKind, OutboundStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0004_time_tracking')]

    initial = False

    operations = [
        ops.CreateModel(
            name='InboundMail',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', null=True, db_constraint=True, to_field='id', related_name='inbound_mails', on_delete=OnDelete.CASCADE)),
                ('message_id', fields.CharField(default='', max_length=250)),
                ('sender', fields.CharField(default='', max_length=254)),
                ('subject', fields.CharField(default='', max_length=300)),
                ('body_sha256', fields.CharField(default='', max_length=64)),
                ('raw_sha256', fields.CharField(default='', max_length=64)),
                ('size', fields.IntField(default=0)),
                ('outcome', fields.CharEnumField(description='REPLY_POSTED: REPLY_POSTED\nTICKET_CREATED: TICKET_CREATED\nDUPLICATE: DUPLICATE\nAUTO_REPLY: AUTO_REPLY\nLOOP: LOOP\nSTORM: STORM\nUNKNOWN_SENDER: UNKNOWN_SENDER\nNO_MAILBOX: NO_MAILBOX\nEMPTY: EMPTY\nMALFORMED: MALFORMED\nFAILED: FAILED', enum_type=InboundOutcome, max_length=20)),
                ('detail', fields.CharField(default='', max_length=500)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', null=True, db_constraint=True, to_field='id', related_name='inbound_mails', on_delete=OnDelete.SET_NULL)),
                ('comment', fields.ForeignKeyField('deskql.Comment', source_field='comment_id', null=True, db_constraint=True, to_field='id', related_name='inbound_mails', on_delete=OnDelete.SET_NULL)),
                ('author_technician', fields.ForeignKeyField('deskql.Technician', source_field='author_technician_id', null=True, db_constraint=True, to_field='id', related_name='inbound_mails', on_delete=OnDelete.SET_NULL)),
                ('author_requester', fields.ForeignKeyField('deskql.Requester', source_field='author_requester_id', null=True, db_constraint=True, to_field='id', related_name='inbound_mails', on_delete=OnDelete.SET_NULL)),
                ('received_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'inbound_mail', 'app': 'deskql', 'indexes': [Index(fields=['message_id']), Index(fields=['sender', 'received_at']), Index(fields=['account_id', 'outcome', 'id']), Index(fields=['ticket_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One email received, kept with its raw bytes (in the file storage) whatever became of it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MailTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='mail_templates', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nPUBLIC_REPLY: PUBLIC_REPLY\nINTERNAL_NOTE: INTERNAL_NOTE\nTICKET_RESOLVED: TICKET_RESOLVED\nTICKET_CLOSED: TICKET_CLOSED', enum_type=MailKind, max_length=30)),
                ('subject', fields.CharField(max_length=250)),
                ('body', fields.TextField(unique=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mail_template', 'app': 'deskql', 'unique_together': (('account_id', 'kind'),), 'pk_attr': 'id', 'table_description': "An admin's version of one kind of email. Kinds without a row use the built-in text."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Mailbox',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='mailbox', on_delete=OnDelete.CASCADE)),
                ('address', fields.CharField(unique=True, max_length=254)),
                ('allow_new_requesters', fields.BooleanField(default=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mailbox', 'app': 'deskql', 'pk_attr': 'id', 'table_description': 'The address an account receives new tickets on, and whether strangers may open tickets there.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboundMail',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='outbound_mails', on_delete=OnDelete.CASCADE)),
                ('ticket', fields.ForeignKeyField('deskql.Ticket', source_field='ticket_id', null=True, db_constraint=True, to_field='id', related_name='outbound_mails', on_delete=OnDelete.CASCADE)),
                ('comment', fields.ForeignKeyField('deskql.Comment', source_field='comment_id', null=True, db_constraint=True, to_field='id', related_name='outbound_mails', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nPUBLIC_REPLY: PUBLIC_REPLY\nINTERNAL_NOTE: INTERNAL_NOTE\nTICKET_RESOLVED: TICKET_RESOLVED\nTICKET_CLOSED: TICKET_CLOSED', enum_type=MailKind, max_length=30)),
                ('recipient', fields.CharField(max_length=254)),
                ('recipient_name', fields.CharField(default='', max_length=200)),
                ('message_id', fields.CharField(unique=True, max_length=250)),
                ('reply_to', fields.CharField(max_length=254)),
                ('references', fields.TextField(default='', unique=False)),
                ('subject', fields.CharField(max_length=300)),
                ('text', fields.TextField(unique=False)),
                ('html', fields.TextField(unique=False)),
                ('attachment_ids', fields.TextField(default='[]', unique=False)),
                ('status', fields.CharEnumField(default=OutboundStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nFAILED: FAILED', enum_type=OutboundStatus, max_length=10)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('leased_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('lease_owner', fields.CharField(null=True, max_length=64)),
                ('last_error', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbound_mail', 'app': 'deskql', 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['ticket_id', 'id']), Index(fields=['account_id', 'status', 'id'])], 'pk_attr': 'id', 'table_description': 'One email to one recipient, written in the transaction of the change it tells of.'},
            bases=['Model'],
        ),
    ]
