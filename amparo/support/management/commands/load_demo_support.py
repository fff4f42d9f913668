"""`manage.py load_demo_support` (run by `load_demo`): the invented example funds (clearly
named "Example: …") in the coalition's directory. Safe to run twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amparo.network.models import Network
from amparo.support import services


class Command(BaseCommand):
    help = "Add the invented example funds to the coalition's directory (after load_demo)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--network", default="", help="slug of the network (default: the first coalition)")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["network"]
        found = Network.objects.filter(slug=slug).first() if slug else \
            Network.objects.filter(kind=Network.Kind.COALITION).order_by("pk").first()
        if found is None:
            raise CommandError("No network to hold the directory: run load_demo first.")
        made = services.add_demo_funds(found)
        self.stdout.write(f"{len(made)} example funds added to {found.slug}.")
