from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('deskql', '0018_automation_rules')]

    initial = False

    operations = [
        ops.AddField(
            model_name='AutomationRun',
            name='error',
            field=fields.CharField(null=True, max_length=500),
        ),
    ]
