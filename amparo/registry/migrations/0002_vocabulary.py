"""The default vocabulary once shipped here. Its terms are shipped by the vocabulary app now
(amparo/vocabulary/migrations/0002_shipped_vocabulary.py): a database migrated before the move holds them already,
a new one gets them there. Kept, empty, so that the migration history stays whole."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
