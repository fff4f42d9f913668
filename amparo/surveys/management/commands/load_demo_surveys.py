"""The demo needs survey for `make run`, run by `load_demo`: the coalition's survey of
protection needs, digital-security skills, access to ICTs and support wanted, in four
languages, open to answers. Idempotent; refuses to run in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amparo.network.models import Network
from amparo.surveys import services
from amparo.surveys.demo import needs_survey
from amparo.surveys.models import Survey


class Command(BaseCommand):
    help = "Add the demo needs survey (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("load_demo_surveys refuses to run with AMPARO_ENV=production.")
        coalition = Network.objects.filter(slug="coalition").first()
        if coalition is None:
            raise CommandError("Run load_demo first: the survey belongs to the coalition.")
        survey = Survey.objects.filter(network=coalition, form_id="whrd_needs").first()
        if survey is None:
            survey = services.create_survey("system", coalition, needs_survey())
            services.set_status("system", survey, Survey.Status.OPEN)
        self.stdout.write(f"Needs survey: /surveys/a/{survey.slug}/")
