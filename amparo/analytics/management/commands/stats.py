"""manage.py stats --group-by country,year --filter year=2023 [--desk SLUG] [--public] [--format table|csv|json]

The same numbers as GET /api/v1/stats/incidents, from `analytics.stats.compute`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.analytics import stats
from amparo.network.models import Desk


class Command(BaseCommand):
    help = "Counts of incidents and victims, grouped and filtered (docs/analytics.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group-by", required=True, help="e.g. country,year")
        parser.add_argument("--filter", action="append", default=[], metavar="NAME=VALUE",
                            help="e.g. year=2023, attack_type=attack.threat, grouping=continents (repeatable)")
        parser.add_argument("--desk", help="only this desk (its slug)")
        parser.add_argument("--public", action="store_true", help="the public tables, with suppression")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--language", default="en", choices=["en", "es", "fr", "pt"])

    def handle(self, *args: Any, **options: Any) -> None:
        filters: dict[str, str] = {}
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter takes NAME=VALUE, not {item!r}")
            filters[name.strip()] = value.strip()
        desks = None
        if options["desk"]:
            if options["public"]:
                filters["desk"] = options["desk"]  # refused with the public tables' message
            else:
                desks = Desk.objects.filter(slug=options["desk"])
                if not desks.exists():
                    raise CommandError(f"No desk {options['desk']!r}.")
        try:
            result = stats.compute(options["group_by"], filters, desks=desks, public=options["public"],
                                   language=options["language"])
        except stats.InvalidQuery as problem:
            raise CommandError(str(problem)) from problem
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        elif options["format"] == "csv":
            self.stdout.write(stats.to_csv(result), ending="")
        else:
            self.stdout.write(stats.to_table(result), ending="")
