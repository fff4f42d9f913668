"""Turning grouped rows into the answer: labels in her language, order and shares."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from amparo.analytics.statistics.query import Plan, key_of
from amparo.analytics.statistics.questions import CHOICES, STATE_LABELS, TIME, VOCABULARY


def present(p: Plan, raw: dict[str, Any], language: str) -> dict[str, Any]:
    """One answer row from one group; the caller activates `language` once for all rows."""
    lookups = p.lookups
    row: dict[str, Any] = {}
    for dim in p.group_by:
        value = raw[key_of(dim)]
        if dim in VOCABULARY:
            term = lookups.terms.get(value) if value is not None else None
            row[dim] = term.code if term else None
            row[f"{dim}_label"] = term.label(language) if term else str(_("Not recorded"))
        elif dim == "state":
            row[dim] = value
            row[f"{dim}_label"] = str(STATE_LABELS[value])
        elif dim in ("region", "continent"):
            region = p.region_labels(dim).get(value) if value else None
            row[dim] = value
            row[f"{dim}_label"] = region.label(language) if region else str(_("No region"))
        elif dim == "month":
            row[dim] = None if not value else value.strftime("%Y-%m") if isinstance(value, datetime.date) \
                else str(value)
        elif dim == "year":
            row[dim] = int(value) if value is not None else None
        elif dim in CHOICES:
            row[dim] = value
            row[f"{dim}_label"] = str(dict(CHOICES[dim].choices).get(value, value))
        else:
            row[dim] = value or None
    row["incidents"], row["victims"] = int(raw["incidents"]), int(raw["victims"] or 0)
    return row


def ordered(group_by: list[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def key(row: dict[str, Any]) -> tuple:
        times = tuple((row[d] is None, row[d] or 0) for d in group_by if d in TIME)
        count = row["incidents"] if row["incidents"] is not None else -1
        rest = tuple((row[d] is None, str(row[d] or "")) for d in group_by if d not in TIME)
        return (*times, -count, *rest)
    return sorted(rows, key=key)


def share_of(count: int | None, total: int | None) -> float | None:
    if count is None or not total:
        return None if count is None else 0.0
    return round(100.0 * count / total, 1)
