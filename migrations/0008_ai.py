from tortoise import migrations
from tortoise.migrations import operations as ops
from models.clock import utcnow
from models.enums import AiFeature, ArticleStatus, SentimentLabel
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('deskql', '0007_context_panels')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AiUsage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='ai_usage', on_delete=OnDelete.CASCADE)),
                ('technician', fields.ForeignKeyField('deskql.Technician', source_field='technician_id', null=True, db_constraint=True, to_field='id', related_name='ai_usage', on_delete=OnDelete.SET_NULL)),
                ('feature', fields.CharEnumField(description='SENTIMENT: SENTIMENT\nAUTO_TAGS: AUTO_TAGS\nGENERATE_REPLY: GENERATE_REPLY\nREWRITE_TEXT: REWRITE_TEXT\nSUMMARIZE_TICKET: SUMMARIZE_TICKET\nSUGGEST_SOLUTIONS: SUGGEST_SOLUTIONS\nGENERATE_SCRIPT: GENERATE_SCRIPT\nGENERATE_ARTICLE: GENERATE_ARTICLE', enum_type=AiFeature, max_length=30)),
                ('model', fields.CharField(default='', max_length=200)),
                ('prompt_tokens', fields.IntField(default=0)),
                ('completion_tokens', fields.IntField(default=0)),
                ('succeeded', fields.BooleanField()),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ai_usage', 'app': 'deskql', 'indexes': [Index(fields=['account_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One call to the language model: what for, by whom, how many tokens, whether it answered.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='KbArticle',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('deskql.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='kb_articles', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('text', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=ArticleStatus.DRAFT, description='DRAFT: DRAFT\nPUBLISHED: PUBLISHED', enum_type=ArticleStatus, max_length=10)),
                ('source_ticket', fields.ForeignKeyField('deskql.Ticket', source_field='source_ticket_id', null=True, db_constraint=True, to_field='id', related_name='kb_articles', on_delete=OnDelete.SET_NULL)),
                ('created_by', fields.ForeignKeyField('deskql.Technician', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='kb_articles', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(default=utcnow, auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'kb_article', 'app': 'deskql', 'indexes': [Index(fields=['account_id', 'status', 'updated_at'])], 'pk_attr': 'id', 'table_description': 'A knowledge-base article for end users. ``body`` is sanitised HTML, ``text`` its plain text.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Ticket',
            name='sentiment',
            field=fields.CharEnumField(null=True, description='POSITIVE: POSITIVE\nNEUTRAL: NEUTRAL\nNEGATIVE: NEGATIVE', enum_type=SentimentLabel, max_length=10),
        ),
        ops.AddField(
            model_name='Ticket',
            name='sentiment_analyzed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='sentiment_due_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='sentiment_score',
            field=fields.FloatField(null=True),
        ),
        ops.AddField(
            model_name='Ticket',
            name='tags_due_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['sentiment_due_at']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['tags_due_at']),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='ai_auto_tags',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name='TicketSettings',
            name='copilot_enabled',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
