"""The staff statistics' summary tables (docs/analytics.md, "Rollups"), filled from the
incidents already recorded."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    """Nothing: the summaries of the incidents recorded so far are built by the `build_rollups`
    job (every five minutes) or `manage.py rebuild_rollups`; until then statistics count over
    the incidents. (It called the live service once: a later column of the summaries, unknown
    to this migration's tables, made that fail on a database with incidents.)"""


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0003_public_versions'),
        ('registry', '0012_conversation_and_consent_records'),
        ('vocabulary', '0003_appeal_outcomes'),
    ]

    operations = [
        migrations.CreateModel(
            name='RollupFact',
            fields=[
                ('incident_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('desk_id', models.BigIntegerField()),
                ('country', models.CharField(max_length=4)),
                ('subdivision', models.CharField(max_length=8)),
                ('year', models.IntegerField()),
                ('month', models.CharField(max_length=7)),
                ('yearly', models.BooleanField()),
                ('status', models.CharField(max_length=16)),
                ('reported', models.CharField(max_length=8)),
                ('justice', models.CharField(max_length=16)),
                ('victims', models.BigIntegerField()),
            ],
            options={
                'db_table': 'analytics_rollup_fact',
            },
        ),
        migrations.CreateModel(
            name='RollupFactNext',
            fields=[
                ('incident_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('desk_id', models.BigIntegerField()),
                ('country', models.CharField(max_length=4)),
                ('subdivision', models.CharField(max_length=8)),
                ('year', models.IntegerField()),
                ('month', models.CharField(max_length=7)),
                ('yearly', models.BooleanField()),
                ('status', models.CharField(max_length=16)),
                ('reported', models.CharField(max_length=8)),
                ('justice', models.CharField(max_length=16)),
                ('victims', models.BigIntegerField()),
            ],
            options={
                'db_table': 'analytics_rollup_fact_next',
            },
        ),
        migrations.CreateModel(
            name='RollupState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fingerprint', models.CharField(max_length=64)),
                ('depths', models.JSONField(default=dict)),
                ('built_at', models.DateTimeField()),
            ],
            options={
                'db_table': 'analytics_rollup_state',
            },
        ),
        migrations.CreateModel(
            name='RollupCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grain', models.SmallIntegerField()),
                ('desk_id', models.BigIntegerField()),
                ('country', models.CharField(max_length=4)),
                ('subdivision', models.CharField(max_length=8)),
                ('year', models.IntegerField()),
                ('month', models.CharField(max_length=7)),
                ('yearly', models.BooleanField()),
                ('status', models.CharField(max_length=16)),
                ('reported', models.CharField(max_length=8)),
                ('justice', models.CharField(max_length=16)),
                ('incidents', models.BigIntegerField()),
                ('victims', models.BigIntegerField()),
            ],
            options={
                'db_table': 'analytics_rollup_cell',
                'constraints': [models.UniqueConstraint(fields=('grain', 'desk_id', 'country', 'subdivision', 'year', 'month', 'yearly', 'status', 'reported', 'justice'), name='one_rollup_cell')],
            },
        ),
        migrations.CreateModel(
            name='RollupFactTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('incident_id', models.BigIntegerField()),
                ('relation', models.CharField(max_length=16)),
                ('term_id', models.BigIntegerField()),
            ],
            options={
                'db_table': 'analytics_rollup_fact_term',
                'indexes': [models.Index(fields=['incident_id'], name='rollup_fact_term_incident')],
            },
        ),
        migrations.CreateModel(
            name='RollupFactTermNext',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('incident_id', models.BigIntegerField()),
                ('relation', models.CharField(max_length=16)),
                ('term_id', models.BigIntegerField()),
            ],
            options={
                'db_table': 'analytics_rollup_fact_term_next',
                'indexes': [models.Index(fields=['incident_id'], name='rollup_next_term_incident')],
            },
        ),
        migrations.CreateModel(
            name='RollupTermCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dim', models.CharField(max_length=16)),
                ('level', models.SmallIntegerField()),
                ('key', models.CharField(max_length=16)),
                ('desk_id', models.BigIntegerField()),
                ('country', models.CharField(max_length=4)),
                ('year', models.IntegerField()),
                ('status', models.CharField(max_length=16)),
                ('incidents', models.BigIntegerField()),
                ('victims', models.BigIntegerField()),
            ],
            options={
                'db_table': 'analytics_rollup_term_cell',
                'constraints': [models.UniqueConstraint(fields=('dim', 'level', 'key', 'desk_id', 'country', 'year', 'status'), name='one_rollup_term_cell')],
            },
        ),
        migrations.CreateModel(
            name='RollupTermKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dim', models.CharField(max_length=16)),
                ('level', models.SmallIntegerField()),
                ('term_id', models.BigIntegerField()),
                ('key', models.CharField(max_length=16)),
            ],
            options={
                'db_table': 'analytics_rollup_term_key',
                'constraints': [models.UniqueConstraint(fields=('dim', 'level', 'term_id'), name='one_rollup_key_per_term')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
