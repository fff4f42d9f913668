"""Appeals not yet published keep their words and addressees sealed (appeals/sealing.py): each
existing draft's texts, addressees and draft updates' texts are sealed to the desk's ring and
its network's coordinators, with the rings' public keys only (no member needs to be unlocked),
and their clear columns emptied. Published appeals stay as they are: public by nature.
Responses (an authority's reply, a note on the outcome) are never published: their source and
note are sealed the same way, whatever the appeal's state.

Going back is refused once anything is sealed: opening needs a member's key, which a
migration never has."""

import json

from django.db import migrations

import amparo.vault.fields

BEFORE_PUBLICATION = ("draft", "review")
WORDS = {
    "appealtext": ("title", "summary", "background", "concerns", "actions", "letter"),
    "addressee": ("authority", "postal_address", "email", "phone", "salutation"),
    "updatetext": ("title", "body"),
}


def seal(apps, schema_editor):
    from amparo.vault import services as vault

    RingEpoch = apps.get_model("vault", "RingEpoch")
    Appeal = apps.get_model("appeals", "Appeal")

    def newest(ring_id):
        epoch = RingEpoch.objects.filter(ring_id=ring_id).order_by("-number").first() if ring_id else None
        return (epoch.pk, bytes(epoch.public_key)) if epoch is not None else None

    def epochs_of(appeal):
        network = appeal.network
        rings = [appeal.desk.ring_id, network.ring_id, network.parent.ring_id if network.parent_id else None]
        found = [e for e in map(newest, rings) if e is not None]
        if not found:
            raise RuntimeError(f"appeal {appeal.pk}: neither its desk nor its coordinators hold a key to seal to")
        return found

    def seal_rows(rows, model_name, epochs):
        names = WORDS[model_name]
        for row in rows:
            if row.sealed is not None:
                continue
            words = {name: getattr(row, name) for name in names}
            row.sealed = vault.seal_for_epochs(epochs, json.dumps(words, ensure_ascii=False),
                                               label=f"appeals.{model_name}.sealed")
            for name in names:
                setattr(row, name, "")
            row.save(update_fields=[*names, "sealed"])

    for appeal in Appeal.objects.select_related("desk", "network", "network__parent").iterator():
        unpublished = appeal.status in BEFORE_PUBLICATION
        drafts = appeal.updates.filter(status="draft")
        responses = appeal.responses.all()
        if not unpublished and not drafts.exists() and not responses.exists():
            continue
        epochs = epochs_of(appeal)
        for response in responses:
            for name in ("source", "note"):
                text = getattr(response, name)
                setattr(response, f"{name}_sealed", vault.seal_for_epochs(
                    epochs, text, label=f"appeals.response.{name}") if text else None)
            response.save(update_fields=["source_sealed", "note_sealed"])
        if unpublished:
            seal_rows(appeal.texts.all(), "appealtext", epochs)
            seal_rows(appeal.addressees.all(), "addressee", epochs)
        for update in drafts:
            seal_rows(update.texts.all(), "updatetext", epochs)


def refuse_to_open(apps, schema_editor):
    for name in WORDS:
        if apps.get_model("appeals", name).objects.filter(sealed__isnull=False).exists():
            raise RuntimeError("sealed drafts cannot be opened by a migration: going back would lose them")
    if apps.get_model("appeals", "Response").objects.filter(note_sealed__isnull=False).exists():
        raise RuntimeError("sealed responses cannot be opened by a migration: going back would lose them")


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0002_circulation"),
        ("network", "0003_desk_ring_network_ring_membercontact"),
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.AddField("addressee", "sealed", amparo.vault.fields.SealedField(blank=True, null=True)),
        migrations.AddField("appealtext", "sealed", amparo.vault.fields.SealedField(blank=True, null=True)),
        migrations.AddField("updatetext", "sealed", amparo.vault.fields.SealedField(blank=True, null=True)),
        migrations.AddField("response", "source_sealed", amparo.vault.fields.SealedField(blank=True, null=True)),
        migrations.AddField("response", "note_sealed", amparo.vault.fields.SealedField(blank=True, null=True)),
        migrations.RunPython(seal, refuse_to_open, elidable=False),
        migrations.RemoveField("response", "source"),
        migrations.RemoveField("response", "note"),
        migrations.RenameField("response", "source_sealed", "source"),
        migrations.RenameField("response", "note_sealed", "note"),
    ]
