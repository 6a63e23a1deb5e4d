from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('deskql', '0010_comment_counts_and_resolutions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FileContent',
            fields=[
                ('sha256', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('size', fields.BigIntField()),
                ('content', fields.BinaryField()),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'file_content', 'app': 'deskql', 'pk_attr': 'sha256', 'table_description': "A file's content under its SHA-256: attachments and raw inbound mail with the same bytes share it."},
            bases=['Model'],
        ),
    ]
