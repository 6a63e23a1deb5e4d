from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index, PartialIndex

class Migration(migrations.Migration):
    dependencies = [('deskql', '0009_mail_senders')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['ticket_id', 'account_id', 'kind']),
        ),
        ops.AddIndex(
            model_name='Comment',
            index=PartialIndex(fields=['ticket_id', 'created_at', 'id'], name='comment_resolution', condition={'is_resolution': True}),
        ),
    ]
