"""The outcomes an urgent appeal closes with (FIELD-NOTES.md, "Urgent appeals"): whether the
authorities answered and what came of it. A favourable result is broken down into the results
the networks count (charges dropped, released, protection granted).

Forwards creates each outcome that is missing and leaves one already there as it is (the
registry shipped them before the vocabulary had an app of its own)."""

from django.db import migrations

# (code, broader term's code, label en, es, fr, pt)
OUTCOMES = [
    ("outcome.favourable", "", "Responded with a favourable result", "Respuesta con resultado favorable",
     "Réponse avec un résultat favorable", "Resposta com resultado favorável"),
    ("outcome.favourable.charges_dropped", "outcome.favourable", "Charges dropped", "Se retiraron los cargos",
     "Abandon des poursuites", "Acusações retiradas"),
    ("outcome.favourable.released", "outcome.favourable", "Released", "Liberada", "Libérée", "Libertada"),
    ("outcome.favourable.protection_granted", "outcome.favourable", "Protection granted",
     "Se otorgó protección", "Protection accordée", "Proteção concedida"),
    ("outcome.favourable.investigation_opened", "outcome.favourable", "Investigation opened",
     "Se abrió una investigación", "Enquête ouverte", "Investigação aberta"),
    ("outcome.no_result", "", "Responded without result", "Respuesta sin resultado",
     "Réponse sans résultat", "Resposta sem resultado"),
    ("outcome.no_response", "", "No response", "Sin respuesta", "Pas de réponse", "Sem resposta"),
    ("outcome.worsened", "", "Situation worsened", "La situación empeoró", "La situation s'est aggravée",
     "A situação piorou"),
]


def ship(apps, schema_editor):
    Term = apps.get_model("vocabulary", "Term")
    saved = {}
    for position, (code, parent, en, es, fr, pt) in enumerate(OUTCOMES, start=1):
        saved[code], _created = Term.objects.get_or_create(code=code, defaults=dict(
            kind="outcome", parent=saved[parent] if parent else None, position=position,
            label_en=en, label_es=es, label_fr=fr, label_pt=pt))


def unship(apps, schema_editor):
    Term = apps.get_model("vocabulary", "Term")
    for code, *_rest in reversed(OUTCOMES):
        Term.objects.filter(code=code).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("vocabulary", "0002_shipped_vocabulary"),
    ]

    operations = [
        migrations.RunPython(ship, unship),
    ]
