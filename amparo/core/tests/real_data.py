"""Pages as a desk really fills them, for the page-quality table and the 360-px screenshots:
many rows, long names in several scripts, long words and addresses, long file names.

Each function plants its data once per database and returns the URL of the page to look at.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

World = Any  # conftest.World

# A word and an address that no space breaks, as people paste them.
LONG_WORD = "Asociación-de-Mujeres-Defensoras-de-la-Tierra-y-el-Territorio-del-Valle-del-Aguán"
LONG_URL = ("https://www.periodico-independiente.example.org/noticias/2024/03/15/defensora-amenazada-tras-"
            "denunciar-la-contaminacion-del-rio-guapinol?utm_source=whatsapp&utm_medium=compartir")
# File names as phones and scanners make them, in several scripts.
LONG_FILE_NAMES = [
    "Denuncia_ante_la_Fiscalía_Especial_de_Derechos_Humanos_de_Tegucigalpa_con_fotografías_y_audio_"
    "de_las_amenazas_recibidas_2024-03-15_versión_final_FIRMADA.pdf",
    "عريضة_إلى_النائب_العام_بشأن_التهديدات_التي_تلقتها_المدافعة_عن_حقوق_الإنسان_في_مارس.docx",
    "人権擁護者に対する脅迫の記録と証拠写真一式_二〇二四年三月十五日_最終版_署名済み.jpeg",
    "IMG_20240315_183355_HDR_amenaza_en_la_puerta_de_la_casa_comunal_de_la_asociación.heic",
    "voice-note.ogg",
]


def _terms(kind: str, count: int) -> list[Any]:
    from amparo.vocabulary.models import Term

    # The longest labels the vocabulary has: the widest rows a desk meets.
    terms = sorted(Term.objects.filter(kind=kind), key=lambda t: -len(t.label_es or t.label_en))
    return terms[:count]


def _long_named(user: Any) -> None:
    user.first_name, user.last_name = "María de los Ángeles", "Hernández-Castellanos Villanueva"
    user.save(update_fields=["first_name", "last_name"])


def full_inbox(world: World) -> str:
    """Desk A's inbox with more incidents than a page holds, each with the longest attack types
    and a documenter with a long name assigned."""
    from amparo.registry import services
    from amparo.registry.models import Incident

    documenter = world.users["documenter_a"]
    _long_named(documenter)
    attack_types = _terms("attack_type", 4)
    for n in range(30):
        key = f"narrow-inbox-{n}"
        if Incident.objects.filter(submission_key=key).exists():
            continue
        data = services.IncidentData(
            occurred_on=date(2024, 1, 1) + timedelta(days=n * 9), country=["HN", "CD", "GT", "SV"][n % 4],
            narrative=f"{LONG_WORD} {LONG_URL}", attack_types=attack_types[: 1 + n % 4])
        incident = services.record_incident(documenter, world.desk_a, data, submission_key=key)
        if n % 2:
            services.assign(documenter, incident, documenter)
    return f"/registry/desk/{world.desk_a.slug}/inbox/"


def incident_with_long_file_names(world: World) -> str:
    """A case of desk A with long file names in four scripts, a long address in its narrative
    and sources, a long defender's name and a long follow-up."""
    from amparo.registry import services
    from amparo.registry.models import Defender, Incident

    documenter = world.users["documenter_a"]
    incident = Incident.objects.filter(submission_key="narrow-files").first()
    if incident is None:
        defender = services.create_defender(
            documenter, world.desk_a, name="María Fernanda de la Santísima Trinidad Ochoa-Zelaya " + LONG_WORD,
            kind=Defender.Kind.INDIVIDUAL, unlocked=world.unlocked["documenter_a"])
        data = services.IncidentData(
            occurred_on=date(2024, 3, 15), country="HN", locality=LONG_WORD,
            narrative=f"Amenazada tras denunciar la contaminación del río. Nota de prensa: {LONG_URL}",
            sources=LONG_URL, reported_to=LONG_WORD, attack_types=_terms("attack_type", 3),
            perpetrators=_terms("perpetrator", 3), risk_factors=_terms("risk_factor", 2))
        incident = services.record_incident(documenter, world.desk_a, data, defenders=[defender],
                                            submission_key="narrow-files")
        for name in LONG_FILE_NAMES:
            services.add_attachment(documenter, incident, filename=name, content_type="application/octet-stream",
                                    chunks=[b"evidence"], size=8)
        services.add_follow_up(documenter, incident, happened_on=date(2024, 3, 20),
                               note=f"La fiscalía abrió el expediente {LONG_WORD}. Ver {LONG_URL}")
    return f"/registry/incidents/{incident.pk}/"


def many_appeals(world: World) -> str:
    """Desk A's appeals list with thirty appeals, long titles among them, in every state."""
    from amparo.appeals import services
    from amparo.appeals.models import Appeal

    author, coordinator = world.users["documenter_a"], world.users["coordinator"]
    for n in range(30):
        key = f"narrow-appeal-{n}"
        if Appeal.objects.filter(submission_key=key).exists():
            continue
        title = (f"Honduras: amenazas de muerte y hostigamiento judicial contra la defensora {n} de la "
                 f"{LONG_WORD}" if n % 3 else f"Honduras: {LONG_WORD}")
        data = services.AppealData(language="es", country="HN", title=title, summary="Fue amenazada.",
                                   actions="Protegerla", letter="Les pido que la protejan.")
        appeal = services.draft_appeal(author, world.desk_a, data, submission_key=key)
        if n % 3 == 1:
            services.submit_for_review(author, appeal)
        elif n % 3 == 2:
            services.add_addressee(author, appeal, authority="Fiscal General", email="fg@authorities.example")
            services.submit_for_review(author, appeal)
            services.approve_appeal(coordinator, appeal, unlocked=world.unlocked["coordinator"])
    return "/appeals/"


def circulated_appeal(world: World) -> str:
    """A published appeal and an update in circulation by e-mail and SMS, with deliveries in
    every state and hours between the first and the last message."""
    from amparo.appeals import services
    from amparo.appeals.models import Appeal, AppealUpdate, Delivery

    author, coordinator = world.users["documenter_a"], world.users["coordinator"]
    appeal = Appeal.objects.filter(submission_key="narrow-circulation").first()
    if appeal is None:
        data = services.AppealData(language="es", country="HN", title=f"Honduras: {LONG_WORD}",
                                   summary=LONG_URL, actions="Protegerla", letter="Les pido que la protejan.")
        appeal = services.draft_appeal(author, world.desk_a, data, submission_key="narrow-circulation")
        services.add_addressee(author, appeal, authority="Fiscal General", email="fg@authorities.example")
        services.submit_for_review(author, appeal)
        appeal = services.approve_appeal(coordinator, appeal, unlocked=world.unlocked["coordinator"])
        update = services.add_update(author, appeal, title="Liberada", body="Fue liberada ayer.")
        services.approve_update(coordinator, update, unlocked=world.unlocked["coordinator"])
        approved = appeal.approved_at or timezone.now()
        statuses = [s for s, _label in Delivery.Status.choices]
        rows = []
        for target in (None, AppealUpdate.objects.get(pk=update.pk)):
            for channel in (Delivery.Channel.EMAIL, Delivery.Channel.SMS):
                for n in range(2_500 if channel == Delivery.Channel.EMAIL else 60):
                    status = statuses[n % len(statuses)]
                    sent = approved + timedelta(seconds=40 + n * 7) if status == Delivery.Status.SENT else None
                    rows.append(Delivery(appeal=appeal, update=target, channel=channel, status=status,
                                         attempts=n % 3, sent_at=sent, language="es"))
        Delivery.objects.all().filter(appeal=appeal).delete()  # those the approval queued, if any
        Delivery.objects.bulk_create(rows, batch_size=2000)
    return f"/appeals/{appeal.pk}/"
