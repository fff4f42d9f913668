"""Loading subdivision boundaries for the map (`manage.py load_boundaries`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.db import transaction

from amparo.accounts.models import User
from amparo.analytics import geo
from amparo.analytics.actions import Action
from amparo.analytics.models import Boundary
from amparo.core.services import record_audit

CODE_PROPERTIES = ("iso_3166_2", "ISO3166-2", "iso3166_2", "shapeISO", "code", "id")


@dataclass
class Loaded:
    loaded: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # "feature 3: 'XX-99' (why)"


def _feature_code(feature: Mapping[str, Any], code_property: str | None) -> str:
    properties = feature.get("properties") or {}
    names = (code_property,) if code_property else CODE_PROPERTIES
    for name in names:
        value = properties.get(name) if name != "id" else feature.get("id", properties.get("id"))
        if value:
            return str(value).strip().upper()
    return ""


def load_boundaries(actor: User | str, collection: Mapping[str, Any], *, code_property: str | None = None,
                    source: str = "") -> Loaded:
    """Store the subdivisions of a GeoJSON FeatureCollection, matched to ISO 3166-2 codes
    (checked against pycountry); features that match no code, or have no polygon, are listed
    in `unmatched` and left out. Loading a code again replaces its outline."""
    result = Loaded()
    chosen: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for index, feature in enumerate(collection.get("features") or [], start=1):
        code = _feature_code(feature, code_property)
        subdivision = pycountry.subdivisions.get(code=code) if code else None
        geometry = feature.get("geometry") or {}
        if subdivision is None:
            result.unmatched.append(f"feature {index}: {code or 'no code'!r} is no ISO 3166-2 code")
            continue
        if not geo.geojson_polygons(geometry):
            result.unmatched.append(f"feature {index}: {code} has no polygon")
            continue
        name = str((feature.get("properties") or {}).get("name") or subdivision.name)
        chosen[code] = (str(subdivision.country_code), name, geometry)
    with transaction.atomic():
        for code, (country, name, geometry) in chosen.items():
            Boundary.objects.update_or_create(code=code, defaults={
                "country": country, "name": name[:200], "geometry": geometry, "source": source[:200]})
            result.loaded.append(code)
        if chosen:
            record_audit(actor, Action.BOUNDARIES_LOADED, object_type="analytics.boundary",
                         object_id=",".join(sorted({c for c, _n, _g in chosen.values()})))
    return result
