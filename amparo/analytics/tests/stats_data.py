"""Incidents with coarse fields only, written straight to the tables, for the statistics tests."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterable

from django.apps import apps

from amparo.analytics.models import Grouping
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term

M2M = {"attack": "attack_types", "perps": "perpetrators", "risks": "risk_factors", "profiles": "profiles",
       "genders": "victim_genders"}


def ship_groupings() -> None:
    """The shipped region groupings, even after a transactional test emptied the tables."""
    if not Grouping.objects.filter(code="un-sr").exists():
        importlib.import_module("amparo.analytics.migrations.0001_initial").ship(apps, None)


def make(desk, n: int = 1, *, country: str = "CO", year: int | None = 2023, month: int = 1, day: int = 1,
         precision: str = "day", status: str = "received", consent: bool = True, victims: int = 1,
         subdivision: str = "", **terms: Iterable[str]) -> list[Incident]:
    """`n` incidents alike; terms by code: attack=, perps=, risks=, profiles=, genders=."""
    occurred = datetime.date(year, month, day) if year else None
    made = Incident.objects.bulk_create([
        Incident(desk=desk, country=country, subdivision=subdivision, occurred_on=occurred,
                 date_precision=precision, status=status, consent_statistics=consent, victims=victims)
        for _ in range(n)])
    for name, codes in terms.items():
        ids = list(Term.objects.filter(code__in=list(codes)).values_list("pk", flat=True))
        assert len(ids) == len(list(codes)), f"unknown code in {codes}"
        through = getattr(Incident, M2M[name]).through
        through.objects.bulk_create([through(incident_id=i.pk, term_id=t) for i in made for t in ids])
    return made
