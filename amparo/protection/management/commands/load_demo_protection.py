"""Demo accompaniment for `make run`, run by `load_demo` (its `load_demo_<label>` hook): a risk
assessment and a short protection plan for the first demo case (Defensora A, Honduras desk).
It loads the demo cases first (load_demo_cases, idempotent). Idempotent; refuses to run in
production. Invented, not real people."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amparo.protection import services
from amparo.protection.models import RiskAssessment
from amparo.registry.models import Incident

ITEMS = [
    {"kind": "threats", "text": "Amenazas de muerte por mensajes tras la audiencia pública", "rating": 5},
    {"kind": "threats", "text": "Vigilancia de su casa por desconocidos", "rating": 3},
    {"kind": "vulnerabilities", "text": "Vive sola, lejos de la comunidad", "rating": 4},
    {"kind": "vulnerabilities", "text": "Su teléfono no está cifrado", "rating": 3},
    {"kind": "capacities", "text": "Red de apoyo de la comunidad y de la red nacional", "rating": 3},
    {"kind": "capacities", "text": "Abogada de confianza", "rating": 2},
]


class Command(BaseCommand):
    help = "Load a demo risk assessment and protection plan (idempotent; not in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("load_demo_protection refuses to run with AMPARO_ENV=production.")
        call_command("load_demo_cases", stdout=self.stdout)
        incident = Incident.objects.filter(submission_key="demo-1").first()
        defender = incident.defenders.first() if incident else None
        if incident is None or defender is None:
            self.stdout.write("Demo protection: no demo case to accompany.")
            return
        if RiskAssessment.objects.filter(defender=defender).exists():
            self.stdout.write("Demo protection: already there.")
            return
        items = [{**item, "incident": incident.pk if n == 0 else None} for n, item in enumerate(ITEMS)]
        services.assess_risk("system", defender, items)
        services.add_measure("system", defender, kind="threats", text="Denuncia ante la Fiscalía de DDHH",
                             owner="Abogada de la red", due_on=timezone.localdate() + timedelta(days=14))
        services.add_measure("system", defender, kind="self_care", text="Acompañamiento psicosocial semanal",
                             owner="Psicóloga de la red", due_on=None)
        services.add_protocol("system", defender, kind="detention",
                              steps=["Llamar a la abogada y a la mesa", "Saber dónde está detenida",
                                     "Preparar una acción urgente con su consentimiento"])
        self.stdout.write("Demo protection: a risk assessment and a plan for the first demo case.")
