"""The vocabulary leaves the registry for its own app (`amparo.vocabulary`), keeping its table
(`registry_term`) and every row: the incidents' and defenders' terms point at vocabulary.Term,
then the registry forgets the model. State only, the database is not touched.

It waits for the appeals' own step (their themes and outcome), so that no app still points at
registry.Term when the registry lets it go."""

import django.db.models.deletion
from django.db import migrations, models


def _terms(name, **extra):
    return migrations.AlterField(
        model_name='incident', name=name,
        field=models.ManyToManyField(blank=True, related_name='+', to='vocabulary.term', **extra))


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0009_attachment_metadata'),
        ('vocabulary', '0001_initial'),
        ('appeals', '0005_terms_from_vocabulary'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _terms('attack_types'),
                _terms('perpetrators'),
                _terms('risk_factors'),
                _terms('profiles'),
                _terms('victim_genders'),
                migrations.AlterField(
                    model_name='defender',
                    name='gender',
                    field=models.ForeignKey(blank=True, limit_choices_to={'kind': 'gender'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='vocabulary.term'),
                ),
                migrations.AlterField(
                    model_name='defender',
                    name='profiles',
                    field=models.ManyToManyField(blank=True, limit_choices_to={'kind': 'profile'}, related_name='+', to='vocabulary.term'),
                ),
                migrations.DeleteModel(name='Term'),
            ],
            database_operations=[],
        ),
    ]
