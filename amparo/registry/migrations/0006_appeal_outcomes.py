"""The outcomes of urgent appeals once shipped here. Its terms are shipped by the vocabulary app now
(amparo/vocabulary/migrations/0003_appeal_outcomes.py): a database migrated before the move holds them already,
a new one gets them there. Kept, empty, so that the migration history stays whole."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0005_term_kind_outcome"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
