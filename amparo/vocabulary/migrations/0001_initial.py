"""The vocabulary's model, moved here from the registry with its table (`registry_term`): the
database is not touched, only Django's idea of which app owns the model (state only)."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('registry', '0009_attachment_metadata'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Term',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('attack_type', 'Type of attack'), ('perpetrator', 'Perpetrator'), ('risk_factor', 'Risk factor'), ('profile', 'Defender profile'), ('theme', 'Right or theme defended'), ('gender', 'Gender'), ('outcome', 'Outcome of an urgent appeal')], db_index=True, max_length=16, verbose_name='kind')),
                        ('code', models.CharField(max_length=64, unique=True, validators=[django.core.validators.RegexValidator('^[a-z0-9]+(?:[._-][a-z0-9]+)*$', 'Lowercase letters, digits and . _ - only.')], verbose_name='code')),
                        ('label_en', models.CharField(max_length=200, verbose_name='English')),
                        ('label_es', models.CharField(blank=True, max_length=200, verbose_name='Español')),
                        ('label_fr', models.CharField(blank=True, max_length=200, verbose_name='Français')),
                        ('label_pt', models.CharField(blank=True, max_length=200, verbose_name='Português')),
                        ('state_actor', models.BooleanField(blank=True, null=True, verbose_name='state actor')),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('retired_at', models.DateTimeField(blank=True, null=True, verbose_name='retired')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='vocabulary.term', verbose_name='broader term')),
                    ],
                    options={
                        'db_table': 'registry_term',
                        'ordering': ['kind', 'position', 'code'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('kind', 'perpetrator'), ('state_actor__isnull', True), _connector='OR'), name='only_perpetrators_are_state_or_not')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
