from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from models.enums import MailKind, NotificationKind, RuleTrigger
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0017_held_mail_discarded')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AutomationRule',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='automation_rules', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=120)),
                ('position', fields.IntField(default=0)),
                ('enabled', fields.BooleanField(default=True)),
                ('trigger', fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nTICKET_UPDATED: TICKET_UPDATED\nCOMMENT_ADDED: COMMENT_ADDED\nPENDING_FOR: PENDING_FOR\nRESOLVED_FOR: RESOLVED_FOR\nSLA_DUE_WITHIN: SLA_DUE_WITHIN\nSLA_BREACHED: SLA_BREACHED', enum_type=RuleTrigger, max_length=30)),
                ('trigger_options', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('conditions', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('actions', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_by', fields.ForeignKeyField('deskql.Technician', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='automation_rules', on_delete=OnDelete.SET_NULL)),
                ('revision', fields.IntField(default=0)),
                ('is_default', fields.BooleanField(default=False)),
                ('default_key', fields.CharField(null=True, max_length=40)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'automation_rule', 'app': 'deskql', 'unique_together': (('account_id', 'default_key'),), 'indexes': [Index(fields=['account_id', 'enabled', 'position'])], 'pk_attr': 'id', 'table_description': 'One rule. ``conditions`` is ``{"all": [...], "any": [...]}`` and ``actions`` a list, both as validated'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AutomationRun',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rule_id', fields.IntField()),
                ('event_key', fields.CharField(max_length=120)),
                ('account_id', fields.IntField()),
                ('ticket_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'automation_run', 'app': 'deskql', 'unique_together': (('rule_id', 'event_key'),), 'pk_attr': 'id', 'table_description': "The ledger: one row per rule and event key, written in the transaction of the rule's actions, so a"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AutomationWork',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account_id', fields.IntField()),
                ('ticket_id', fields.IntField()),
                ('origin', fields.CharField(max_length=64)),
                ('depth', fields.SmallIntField(default=0)),
                ('events', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('leased_by', fields.CharField(default='', max_length=64)),
                ('leased_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'automation_work', 'app': 'deskql', 'indexes': [Index(fields=['leased_until'])], 'pk_attr': 'id', 'table_description': "Rules still to run for one change of one ticket, written in the change's own transaction. Whoever"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Activity',
            name='rule_id',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Activity',
            name='rule_name',
            field=fields.CharField(null=True, max_length=120),
        ),
        ops.AlterField(
            model_name='MailTemplate',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nPUBLIC_REPLY: PUBLIC_REPLY\nINTERNAL_NOTE: INTERNAL_NOTE\nTICKET_RESOLVED: TICKET_RESOLVED\nTICKET_CLOSED: TICKET_CLOSED\nSATISFACTION_SURVEY: SATISFACTION_SURVEY\nTICKET_UPDATED: TICKET_UPDATED', enum_type=MailKind, max_length=30),
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='MENTION: MENTION\nNOTE_ON_FOLLOWED_TICKET: NOTE_ON_FOLLOWED_TICKET\nMAIL_HELD: MAIL_HELD\nAUTOMATION: AUTOMATION', enum_type=NotificationKind, max_length=40),
        ),
        ops.AlterField(
            model_name='OutboundMail',
            name='kind',
            field=fields.CharEnumField(description='TICKET_CREATED: TICKET_CREATED\nPUBLIC_REPLY: PUBLIC_REPLY\nINTERNAL_NOTE: INTERNAL_NOTE\nTICKET_RESOLVED: TICKET_RESOLVED\nTICKET_CLOSED: TICKET_CLOSED\nSATISFACTION_SURVEY: SATISFACTION_SURVEY\nTICKET_UPDATED: TICKET_UPDATED', enum_type=MailKind, max_length=30),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='auto_close_after_days',
            field=fields.SmallIntField(default=7, db_default=7),
        ),
    ]
