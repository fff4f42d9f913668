"""`manage.py openrosa_link --desk SLUG`: a new server address for a desk's phone apps (Tella,
ODK Collect), printed once: only its hash is kept. Revoke it on the desk's page."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.network.models import Desk
from amparo.openrosa import services
from amparo.openrosa.addresses import address


class Command(BaseCommand):
    help = "Print a new OpenRosa server address (built from AMPARO_PUBLIC_URL) for a desk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--desk", required=True, help="the desk's short name (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        desk = Desk.objects.filter(slug=options["desk"]).first()
        if desk is None:
            raise CommandError(f"No desk with the short name {options['desk']!r}.")
        link, token = services.create_link("system", desk)
        self.stdout.write(address(token))
        self.stderr.write(f"{link.username}: shown once, only its hash is kept. Revoke it on the desk's page.")
