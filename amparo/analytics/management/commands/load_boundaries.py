"""`manage.py load_boundaries FILE.geojson [--code-property PROP]`

Loads subdivision outlines (a GeoJSON FeatureCollection of Polygons and MultiPolygons, in
degrees) matched to ISO 3166-2 codes; the staff map then draws a country with loaded
boundaries by subdivision. Features whose code pycountry does not know are listed and left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.analytics import services


class Command(BaseCommand):
    help = "Load subdivision boundaries (GeoJSON) matched to ISO 3166-2 codes, for the map."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a GeoJSON FeatureCollection")
        parser.add_argument("--code-property", dest="code_property", default=None,
                            help="the feature property holding the ISO 3166-2 code (default: the first of "
                                 + ", ".join(services.CODE_PROPERTIES) + ")")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path} cannot be read as GeoJSON: {exc}") from exc
        if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
            raise CommandError(f"{path} is not a GeoJSON FeatureCollection.")
        result = services.load_boundaries("system", collection, code_property=options["code_property"],
                                          source=path.name)
        for line in result.unmatched:
            self.stderr.write(f"unmatched {line}")
        self.stdout.write(f"{len(result.loaded)} subdivisions loaded"
                          + (f" ({', '.join(result.loaded)})" if len(result.loaded) <= 20 else "")
                          + f"; {len(result.unmatched)} features unmatched.")
        if not result.loaded and result.unmatched:
            raise CommandError("No feature matched an ISO 3166-2 code: nothing was loaded.")
