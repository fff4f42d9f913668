"""Who wrote any of an appeal's words, or of an update's, is kept on the appeal and the update
(`writers`), so that the four-eyes rule of approval asks the data, not the audit chain. Filled
once here from the audit entries the writing steps recorded until now."""

from django.conf import settings
from django.db import migrations, models

APPEAL_WRITING = ("appeal.drafted", "appeal.edited", "appeal.translated", "appeal.addressee_added",
                  "appeal.addressee_removed")
UPDATE_WRITING = ("appeal_update.drafted", "appeal_update.translated")


def _writers(apps, model_name, object_type, actions):
    AuditEntry = apps.get_model("core", "AuditEntry")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    model = apps.get_model("appeals", model_name)
    through = model.writers.through
    owner = f"{model._meta.model_name}_id"
    users = set(User.objects.values_list("pk", flat=True))
    rows = {str(pk): pk for pk in model.objects.values_list("pk", flat=True)}
    pairs = set(AuditEntry.objects.filter(object_type=object_type, action__in=actions, actor_id__isnull=False)
                .values_list("object_id", "actor_id"))
    through.objects.bulk_create([through(**{owner: rows[object_id], "user_id": actor})
                                 for object_id, actor in sorted(pairs) if object_id in rows and actor in users],
                                ignore_conflicts=True)


def fill_writers(apps, schema_editor):
    _writers(apps, "Appeal", "appeals.appeal", APPEAL_WRITING)
    _writers(apps, "AppealUpdate", "appeals.appealupdate", UPDATE_WRITING)


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0003_seal_drafts_until_publication"),
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="writers",
            field=models.ManyToManyField(blank=True, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="appealupdate",
            name="writers",
            field=models.ManyToManyField(blank=True, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(fill_writers, migrations.RunPython.noop),
    ]
