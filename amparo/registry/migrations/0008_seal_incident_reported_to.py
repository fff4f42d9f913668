"""Where an incident was reported (an office, a prosecutor, a person) can name the defender:
`Incident.reported_to` is sealed like the other sealed parts, to the desk's ring (and to the
reporter: her account's key, or an anonymous reporter's receipt key). The migration seals what
exists with public keys only, then the clear column goes.

Going back is refused once anything is sealed: opening needs a member's key, which a
migration never has."""

from django.db import migrations

import amparo.vault.fields

LABEL = "registry.incident.reported_to"


def seal(apps, schema_editor):
    from amparo.vault import services as vault

    Incident = apps.get_model("registry", "Incident")
    RingEpoch = apps.get_model("vault", "RingEpoch")
    MemberKey = apps.get_model("vault", "MemberKey")
    AnonymousReceipt = apps.get_model("registry", "AnonymousReceipt")
    newest: dict = {}
    for incident in Incident.objects.exclude(reported_to="").select_related("desk").iterator():
        ring_id = incident.desk.ring_id
        if ring_id not in newest:
            epoch = RingEpoch.objects.filter(ring_id=ring_id).order_by("-number").first() if ring_id else None
            newest[ring_id] = [(epoch.pk, bytes(epoch.public_key))] if epoch is not None else []
        if not newest[ring_id]:
            raise RuntimeError(f"incident {incident.pk}: its desk holds no key to seal to")
        members = [(k.user_id, bytes(k.public_key)) for k in MemberKey.objects.filter(user_id=incident.reporter_id)]
        receipts = [bytes(r.public_key) for r in AnonymousReceipt.objects.filter(incident_id=incident.pk)]
        incident.reported_to_sealed = vault.seal_for_epochs(newest[ring_id], incident.reported_to, label=LABEL,
                                                            members=members, public_keys=receipts)
        incident.save(update_fields=["reported_to_sealed"])


def refuse_to_open(apps, schema_editor):
    if apps.get_model("registry", "Incident").objects.filter(reported_to_sealed__isnull=False).exists():
        raise RuntimeError("sealed places of report cannot be opened by a migration: going back would lose them")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0007_import_records"),
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.AddField("incident", "reported_to_sealed",
                            amparo.vault.fields.SealedField(blank=True, null=True)),
        migrations.RunPython(seal, refuse_to_open, elidable=False),
        migrations.RemoveField("incident", "reported_to"),
        migrations.RenameField("incident", "reported_to_sealed", "reported_to"),
    ]
