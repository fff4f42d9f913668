"""The guides shipped with Amparo (amparo/helpdesk/guides/), in four languages: present after
`migrate`. Existing rows of the same guide and language are updated; nothing else is touched."""

from django.db import migrations


def load_guides(apps, schema_editor):
    from amparo.helpdesk.guides import GUIDES, TEXTS

    Tutorial = apps.get_model("helpdesk", "Tutorial")
    for guide in GUIDES:
        for language, texts in TEXTS.items():
            title, summary, body = texts[guide.slug]
            Tutorial.objects.update_or_create(slug=guide.slug, language=language, defaults={
                "title": title, "summary": summary, "body": body, "categories": list(guide.categories),
                "position": guide.position})


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial")]
    operations = [migrations.RunPython(load_guides, migrations.RunPython.noop)]
