"""Demo appeals for `make run`, run by `load_demo`: three supporters under the reserved domain
supporters.example and one approved appeal of the Honduras desk, in Spanish with an English
translation. Idempotent; refuses to run in production. Invented, not real people."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from amparo.accounts.models import User
from amparo.appeals import services
from amparo.appeals.models import Appeal
from amparo.appeals.services import subscriptions
from amparo.network.management.commands.load_demo import DEMO_PASSWORD
from amparo.network.models import Desk
from amparo.vault import services as vault
from amparo.vocabulary.models import Term

SUPPORTERS = [
    # address, name, languages, countries, themes
    ("ana@supporters.example", "Ana (demo)", ["pt", "es"], [], []),
    ("claire@supporters.example", "Claire (demo)", ["fr", "en"], ["CD"], []),
    ("lucia@supporters.example", "Lucía (demo)", ["es"], ["HN", "GT"], ["theme.land"]),
]
KEY = "demo-appeal-1"
ES = dict(
    title="Honduras: amenazas de muerte – Defensora A (demo)",
    summary="Una defensora del territorio recibió amenazas de muerte tras una audiencia pública sobre un "
            "proyecto minero. Teme por su vida y la de su familia.",
    background="La defensora A (nombre inventado para la demostración) acompaña a comunidades que se oponen a "
               "una mina en su municipio. Después de hablar en una audiencia pública recibió mensajes que "
               "amenazan con matarla.",
    concerns="Las amenazas no han sido investigadas y la defensora no tiene medidas de protección.",
    actions="Investigar de inmediato las amenazas y llevar a los responsables ante la justicia\n"
            "Dar a la defensora medidas de protección acordadas con ella\n"
            "Reconocer públicamente el trabajo legítimo de las defensoras del territorio",
    letter="Le escribo con preocupación por las amenazas de muerte contra la defensora A. Le pido que ordene "
           "una investigación inmediata e imparcial, que se acuerden con ella medidas de protección y que se "
           "reconozca públicamente su trabajo legítimo.\n\nAtentamente,",
)
EN = dict(
    title="Honduras: death threats – Defender A (demo)",
    summary="A land defender received death threats after speaking at a public hearing on a mining project. "
            "She fears for her life and her family's.",
    background="Defender A (a name invented for the demo) accompanies communities opposing a mine in her "
               "municipality. After she spoke at a public hearing she received messages threatening to kill her.",
    concerns="The threats have not been investigated and she has no protection.",
    actions="Investigate the threats at once and bring those responsible to justice\n"
            "Give her protection measures agreed with her\n"
            "Recognise publicly the legitimate work of land defenders",
    letter="I am writing with concern about the death threats against Defender A. I ask you to order an "
           "immediate and impartial investigation, to agree protection measures with her and to recognise "
           "publicly her legitimate work.\n\nYours sincerely,",
)


class Command(BaseCommand):
    help = "Load demo supporters and one approved appeal (idempotent; not in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("load_demo_appeals refuses to run with AMPARO_ENV=production.")
        with transaction.atomic():
            for email, name, languages, countries, themes in SUPPORTERS:
                subscriptions.add_demo_supporter(email, subscriptions.Interests(
                    languages=languages, countries=countries,
                    themes=list(Term.objects.filter(code__in=themes))), name=name)
            appeal = self._appeal()
        self.stdout.write(f"Demo appeal {appeal.reference} and {len(SUPPORTERS)} supporters ready.")

    def _appeal(self) -> Appeal:
        found = Appeal.objects.filter(submission_key=KEY).first()
        if found is not None and found.published:
            return found
        desk = Desk.objects.get(slug="honduras")
        documenter, coordinator = User.objects.get(username="documenter"), User.objects.get(username="coordinator_hn")
        appeal = found or services.draft_appeal(
            documenter, desk, services.AppealData(language="es", country="HN",
                                                  themes=list(Term.objects.filter(code="theme.land")), **ES),
            submission_key=KEY)
        if not appeal.addressees.exists():
            services.add_addressee(documenter, appeal, authority="Fiscalía General de la República (demo)",
                                   salutation="Señor Fiscal General:", email="fiscalia@authorities.example",
                                   postal_address="Colonia Lomas del Guijarro\nTegucigalpa, Honduras (demo)")
            services.add_addressee(documenter, appeal, authority="Secretaría de Derechos Humanos (demo)",
                                   salutation="Señora Secretaria:", phone="+504 0000-0000 (demo)")
            services.translate_appeal(documenter, appeal, "en", EN)
        if appeal.status == Appeal.Status.DRAFT:
            services.submit_for_review(documenter, appeal)
        # The draft is sealed: the coordinator opens it with her key to publish it, as she
        # would in her own request (demo users share the demo password).
        unlocked = vault.unlock_with_password(coordinator, DEMO_PASSWORD)
        return services.approve_appeal(coordinator, appeal, unlocked=unlocked)
