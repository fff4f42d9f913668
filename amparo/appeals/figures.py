"""What appeals achieve, counted in the database: actions by kind and country, and across a
network's appeals the time from the incident's report to approval and to circulation
(medians), actions per appeal and the outcome rate by country and by attack type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from amparo.network import countries
from amparo.vocabulary.models import Term

from .models import Action, Appeal

FAVOURABLE = "outcome.favourable"


def actions_by_kind(appeal: Appeal) -> list[tuple[str, int]]:
    labels = dict(Action.Kind.choices)
    rows = appeal.actions.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    return [(str(labels.get(r["kind"], r["kind"])), r["n"]) for r in rows]


def actions_by_country(appeal: Appeal, *, at_least: int = 1) -> list[tuple[str, int]]:
    """Countries with at least `at_least` actions (the public page hides single ones)."""
    rows = (appeal.actions.exclude(country="").values("country").annotate(n=Count("id"))
            .filter(n__gte=at_least).order_by("-n", "country"))
    return [(countries.name(r["country"]), r["n"]) for r in rows]


def _median(appeals: QuerySet[Appeal], start: str, end: str) -> timedelta | None:
    """The median of `end - start` over appeals that have both: ordered and picked by the
    database (the middle row, or the two middle rows), so no list of durations is loaded."""
    spans = (appeals.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
             .annotate(span=ExpressionWrapper(F(end) - F(start), output_field=DurationField()))
             .order_by("span").values_list("span", flat=True))
    n = spans.count()
    if not n:
        return None
    middle = list(spans[(n - 1) // 2: n // 2 + 1])
    return sum(middle, timedelta()) / len(middle)


@dataclass
class Rate:
    label: str
    closed: int
    favourable: int

    @property
    def percent(self) -> int:
        return round(100 * self.favourable / self.closed) if self.closed else 0


def _rates(closed: QuerySet[Appeal], key: str) -> list[tuple[Any, int, int]]:
    rows = (closed.values(key).annotate(closed=Count("id", distinct=True),
                                        favourable=Count("id", distinct=True,
                                                         filter=Q(outcome__code__startswith=FAVOURABLE)))
            .order_by("-closed"))
    return [(r[key], r["closed"], r["favourable"]) for r in rows]


@dataclass
class NetworkFigures:
    appeals: int
    published: int
    to_approval: timedelta | None
    to_circulation: timedelta | None
    actions: int
    per_appeal: list[tuple[Appeal, int]]
    by_country: list[Rate]
    by_attack: list[Rate]


def network_figures(appeals: QuerySet[Appeal]) -> NetworkFigures:
    published = appeals.filter(status__in=Appeal.PUBLISHED)
    closed = published.filter(status=Appeal.Status.CLOSED, outcome__isnull=False)
    per_appeal = list(published.annotate(n=Count("actions")).order_by("-n", "-approved_at")[:50])
    attack_rows = _rates(closed.filter(incident__isnull=False), "incident__attack_types")
    terms = Term.objects.in_bulk([pk for pk, _n, _g in attack_rows if pk])
    by_attack = [Rate(terms[pk].label() if pk in terms else "—", n, g) for pk, n, g in attack_rows]
    return NetworkFigures(
        appeals=appeals.count(), published=published.count(),
        to_approval=_median(published, "incident__created_at", "approved_at"),
        to_circulation=_median(published, "incident__created_at", "circulated_at"),
        actions=Action.objects.filter(appeal__in=published).count(),
        per_appeal=[(a, a.n) for a in per_appeal],
        by_country=[Rate(countries.name(c), n, g) for c, n, g in _rates(closed, "country")],
        by_attack=by_attack,
    )
