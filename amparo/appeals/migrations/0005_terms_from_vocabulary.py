"""Appeals' themes and outcome point at the vocabulary app's Term, which kept its table:
state only, the database is not touched."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0004_writers_for_four_eyes'),
        ('vocabulary', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='appeal',
                    name='outcome',
                    field=models.ForeignKey(blank=True, limit_choices_to={'kind': 'outcome'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='vocabulary.term'),
                ),
                migrations.AlterField(
                    model_name='appeal',
                    name='themes',
                    field=models.ManyToManyField(blank=True, limit_choices_to={'kind': 'theme'}, related_name='+', to='vocabulary.term'),
                ),
                migrations.AlterField(
                    model_name='supporter',
                    name='themes',
                    field=models.ManyToManyField(blank=True, limit_choices_to={'kind': 'theme'}, related_name='+', to='vocabulary.term'),
                ),
            ],
            database_operations=[],
        ),
    ]
