"""Reads the help desk's pages share: guides in her language, the guides of a category, the
paths with her done marks, an expert's queue, and the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import translation

from amparo.accounts.models import User
from amparo.helpdesk.guides import PATHS
from amparo.helpdesk.models import LANGUAGE_CODES, Category, Escalation, HelpRequest, Tutorial, TutorialDone


def reading_language() -> str:
    code = (translation.get_language() or "en")[:2]
    return code if code in LANGUAGE_CODES else "en"


def guides(language: str | None = None) -> QuerySet[Tutorial]:
    """Every guide in her language (a guide missing in it is shown in English)."""
    language = language or reading_language()
    own = Tutorial.objects.filter(language=language)
    missing = Tutorial.objects.filter(language="en").exclude(slug__in=own.values("slug"))
    return (own | missing).order_by("position", "slug")


def guide(slug: str, language: str | None = None) -> Tutorial | None:
    language = language or reading_language()
    return (Tutorial.objects.filter(slug=slug, language=language).first()
            or Tutorial.objects.filter(slug=slug, language="en").first())


def guides_for(category: str, language: str | None = None) -> list[Tutorial]:
    """The guides linked to a category, in her language."""
    return [g for g in guides(language) if category in (g.categories or [])]


def done_slugs(user: User | None) -> set[str]:
    if user is None:
        return set()
    return set(TutorialDone.objects.filter(user=user).values_list("slug", flat=True))


@dataclass
class PathView:
    slug: str
    steps: list[tuple[Tutorial, bool]]

    @property
    def done(self) -> int:
        return sum(1 for _g, d in self.steps if d)


def paths(user: User | None) -> list[PathView]:
    by_slug = {g.slug: g for g in guides()}
    done = done_slugs(user)
    return [PathView(p.slug, [(by_slug[s], s in done) for s in p.guides if s in by_slug]) for p in PATHS]


@dataclass
class Figures:
    by_category_month: list[dict[str, object]]
    answered: int
    within_target: int
    escalations: dict[int, int]


def figures(requests: QuerySet[HelpRequest]) -> Figures:
    """Requests by category and month, first answers within the category's target, and
    escalations by level (for experts and coordinators: never an individual request)."""
    labels = dict(Category.choices)
    rows: list[dict[str, object]] = [
        {**row, "label": labels.get(str(row["category"]), row["category"])}
        for row in requests.annotate(month=TruncMonth("created_at")).values("month", "category")
        .annotate(n=Count("id")).order_by("-month", "category")]
    answered = list(requests.filter(first_response_at__isnull=False))
    within = sum(1 for r in answered if r.first_response_at and
                 r.first_response_at - r.created_at <= timedelta(minutes=r.target_minutes))
    levels = dict(Escalation.objects.filter(request__in=requests).values_list("minutes").annotate(n=Count("id")))
    return Figures(rows, len(answered), within, levels)


def ring_labels(ids: list[int]) -> list[str]:
    """What the rings are, for her desk's page ("desk:desk-a")."""
    from amparo.vault.models import KeyRing

    return list(KeyRing.objects.filter(id__in=ids).values_list("label", flat=True))
