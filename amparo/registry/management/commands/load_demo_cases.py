"""Demo cases for `make run`, after `load_demo`: a few incidents in each desk, sealed like real
ones, so the inboxes and the map of later work have something to show. Idempotent (each case
has a fixed submission key); refuses to run in production. Invented, not real people."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from amparo.network.models import Desk
from amparo.registry import services
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term

CASES = [
    # desk, key, country, date, precision, attack types, perpetrators, consent, name, narrative
    ("honduras", 1, "HN", date(2026, 9, 3), "day", ["attack.threat.death"], ["perpetrator.state.police"], True,
     "Defensora A (demo)", "Mensajes con amenazas de muerte tras una audiencia pública sobre un proyecto minero."),
    ("honduras", 2, "HN", date(2026, 8, 1), "month", ["attack.criminalisation"], ["perpetrator.state.judiciary"],
     True, "Colectivo B (demo)", "Denuncia penal contra tres integrantes de un colectivo por defender un río."),
    ("honduras", 3, "HN", date(2026, 10, 20), "day", ["attack.raid.premises", "attack.online.hacking"],
     ["perpetrator.unknown"], False, "Organización C (demo)", "Allanamiento de la oficina y robo de computadoras."),
    ("rdc", 4, "CD", date(2026, 7, 14), "day", ["attack.detention"], ["perpetrator.state.military"], True,
     "Défenseuse D (demo)", "Arrestation arbitraire lors d'une réunion de femmes à Goma, libérée après deux jours."),
    ("rdc", 5, "CD", date(2026, 1, 1), "year", ["attack.harassment"], ["perpetrator.non_state.armed_group"], True,
     "Défenseuse E (demo)", "Harcèlement répété par un groupe armé près de la mine."),
    ("coalition-desk", 6, "GT", date(2026, 6, 2), "day", ["attack.smear"], ["perpetrator.non_state.company"], True,
     "Defensora F (demo)", "Campaña de desprestigio en redes sociales pagada por una empresa."),
]


def _terms(codes: list[str]) -> list[Term]:
    found = list(Term.objects.filter(code__in=codes))
    if not found:  # a code renamed in the vocabulary: fall back to its broader family
        found = [t for c in codes if (t := Term.objects.filter(code__startswith=c.rsplit(".", 1)[0]).first())]
    return found


class Command(BaseCommand):
    help = "Load invented demo cases into the demo desks (idempotent; not in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("load_demo_cases refuses to run with AMPARO_ENV=production.")
        made = 0
        with transaction.atomic():
            for slug, key, country, when, precision, attacks, perpetrators, consent, name, narrative in CASES:
                desk = Desk.objects.filter(slug=slug).first()
                if desk is None or Incident.objects.filter(submission_key=f"demo-{key}").exists():
                    continue
                defender = services.create_defender("system", desk, name=name)
                services.record_incident("system", desk, services.IncidentData(
                    occurred_on=when, date_precision=precision, country=country, narrative=narrative,
                    attack_types=_terms(attacks), perpetrators=_terms(perpetrators), consent_statistics=consent,
                ), defenders=[defender], submission_key=f"demo-{key}")
                made += 1
        total = Incident.objects.filter(submission_key__startswith="demo-").count()
        self.stdout.write(f"Demo cases: {made} added, {total} in all.")
