from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import InboundOutcome, MailTrust, NotificationKind
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('deskql', '0008_ai')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='InboundMail',
            name='outcome',
            field=fields.CharEnumField(description='REPLY_POSTED: REPLY_POSTED\nTICKET_CREATED: TICKET_CREATED\nDUPLICATE: DUPLICATE\nAUTO_REPLY: AUTO_REPLY\nLOOP: LOOP\nSTORM: STORM\nUNKNOWN_SENDER: UNKNOWN_SENDER\nUNVERIFIED_SENDER: UNVERIFIED_SENDER\nNO_MAILBOX: NO_MAILBOX\nBLOCKED: BLOCKED\nEMPTY: EMPTY\nMALFORMED: MALFORMED\nFAILED: FAILED', enum_type=InboundOutcome, max_length=20),
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='MENTION: MENTION\nNOTE_ON_FOLLOWED_TICKET: NOTE_ON_FOLLOWED_TICKET\nMAIL_HELD: MAIL_HELD', enum_type=NotificationKind, max_length=40),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='requester_mail_trust',
            field=fields.CharEnumField(default=MailTrust.SENDER_ADDRESS, description='SENDER_ADDRESS: SENDER_ADDRESS\nREPLY_ADDRESS: REPLY_ADDRESS', db_default='SENDER_ADDRESS', enum_type=MailTrust, max_length=20),
        ),
    ]
