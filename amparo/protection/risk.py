"""Risk = threats × vulnerabilities ÷ capacities (FIELD-NOTES, "Risk and protection plans").

Each threat, vulnerability and capacity is rated from 1 (slight) to 5 (severe, or for a
capacity: strong); each side is the average of its ratings, and the risk runs from 0.2 (one
slight threat, one slight vulnerability, strong capacities) to 25. Pure functions: the
services store the numbers, the pages explain them in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KINDS = ("threats", "vulnerabilities", "capacities")
RATINGS = [(1, gettext_lazy("1 – slight")), (2, gettext_lazy("2")), (3, gettext_lazy("3 – serious")),
           (4, gettext_lazy("4")), (5, gettext_lazy("5 – severe"))]
TWO = Decimal("0.01")


@dataclass(frozen=True)
class Scores:
    threats: Decimal
    vulnerabilities: Decimal
    capacities: Decimal
    risk: Decimal

    @property
    def band(self) -> str:
        if self.risk <= 2:
            return "low"
        if self.risk <= 6:
            return "moderate"
        if self.risk <= 12:
            return "high"
        return "very_high"


def _average(ratings: list[int]) -> Decimal:
    if not ratings:
        return Decimal(0)
    return (Decimal(sum(ratings)) / len(ratings)).quantize(TWO, ROUND_HALF_UP)


def score(items: list[dict[str, Any]]) -> Scores:
    """The three averages and the risk of `items` ({"kind", "text", "rating"} each)."""
    side = {kind: _average([int(i["rating"]) for i in items if i["kind"] == kind]) for kind in KINDS}
    capacities = side["capacities"] or Decimal(1)
    risk = (side["threats"] * side["vulnerabilities"] / capacities).quantize(TWO, ROUND_HALF_UP)
    return Scores(side["threats"], side["vulnerabilities"], side["capacities"], risk)


def band_label(band: str) -> str:
    return {"low": _("low"), "moderate": _("moderate"), "high": _("high"), "very_high": _("very high")}[band]


def explain(scores: Scores, items: list[dict[str, Any]]) -> str:
    """The computation in plain words, for the page and the defender."""
    linked = sum(1 for i in items if i["kind"] == "threats" and i.get("incident"))
    counts = {kind: sum(1 for i in items if i["kind"] == kind) for kind in KINDS}
    words = _(
        "Threats: %(threats)s (documented incidents: %(linked)s), average rating %(t)s. Vulnerabilities: "
        "%(vulnerabilities)s, average %(v)s. Capacities: %(capacities)s, average %(c)s. Risk is threats × "
        "vulnerabilities ÷ capacities: %(t)s × %(v)s ÷ %(c)s = %(risk)s, a %(band)s risk (the scale runs from 0.2 "
        "to 25)."
    ) % {"threats": counts["threats"], "linked": linked, "vulnerabilities": counts["vulnerabilities"],
         "capacities": counts["capacities"], "t": scores.threats, "v": scores.vulnerabilities,
         "c": scores.capacities, "risk": scores.risk, "band": band_label(scores.band)}
    strongest = max(KINDS, key=lambda k: (getattr(scores, k) if k != "capacities" else 6 - scores.capacities))
    advice = {
        "threats": _("The threats weigh most: measures that reduce them (a complaint, an appeal, "
                     "changing routes) lower the risk fastest."),
        "vulnerabilities": _("The vulnerabilities weigh most: measures that reduce them (safer "
                             "communications, not travelling alone) lower the risk fastest."),
        "capacities": _("Her capacities are low: raising them (a support network, training, "
                        "contacts with authorities and allies) lowers the risk fastest."),
    }[strongest]
    return f"{words} {advice}"


def changes(before: Scores, before_items: list[dict[str, Any]], after: Scores,
            after_items: list[dict[str, Any]]) -> list[str]:
    """What changed between two assessments, in words: each side's average and the items
    that appeared or went away."""
    names = {"threats": _("Threats"), "vulnerabilities": _("Vulnerabilities"), "capacities": _("Capacities")}
    found = []
    for kind in (*KINDS, "risk"):
        old, new = getattr(before, kind), getattr(after, kind)
        if old != new:
            found.append(_("%(what)s: %(old)s → %(new)s") % {"what": names.get(kind, _("Risk")), "old": old,
                                                             "new": new})
    old_texts = {(i["kind"], i["text"]) for i in before_items}
    new_texts = {(i["kind"], i["text"]) for i in after_items}
    found += [_("New: %(text)s") % {"text": text} for _kind, text in sorted(new_texts - old_texts)]
    found += [_("No longer: %(text)s") % {"text": text} for _kind, text in sorted(old_texts - new_texts)]
    return found
