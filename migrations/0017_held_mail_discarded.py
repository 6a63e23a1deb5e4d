from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import InboundOutcome
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('deskql', '0016_search_vectors')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='InboundMail',
            name='outcome',
            field=fields.CharEnumField(description='REPLY_POSTED: REPLY_POSTED\nTICKET_CREATED: TICKET_CREATED\nDUPLICATE: DUPLICATE\nAUTO_REPLY: AUTO_REPLY\nLOOP: LOOP\nSTORM: STORM\nUNKNOWN_SENDER: UNKNOWN_SENDER\nUNVERIFIED_SENDER: UNVERIFIED_SENDER\nNO_MAILBOX: NO_MAILBOX\nBLOCKED: BLOCKED\nEMPTY: EMPTY\nMALFORMED: MALFORMED\nFAILED: FAILED\nDISCARDED: DISCARDED', enum_type=InboundOutcome, max_length=20),
        ),
    ]
