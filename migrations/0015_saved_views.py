from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0014_teams')]

    initial = False

    operations = [
        ops.CreateModel(
            name='View',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='views', on_delete=OnDelete.CASCADE)),
                ('owner', fields.ForeignKeyField('deskql.Technician', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='views', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('conditions', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('order', fields.CharField(max_length=40)),
                ('columns', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('position', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'view', 'app': 'deskql', 'indexes': [Index(fields=['account_id', 'owner_id', 'position'])], 'pk_attr': 'id', 'table_description': 'A saved ticket list: personal (``owner``) or shared with the account (no owner).'},
            bases=['Model'],
        ),
    ]
