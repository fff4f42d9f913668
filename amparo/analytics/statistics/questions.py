"""What a question of the statistics may ask: the dimensions and filters, their parsing, and
the answer (`Result`)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from amparo.registry.bounds import FIRST_DAY, FIRST_YEAR, LAST_DAY, LAST_YEAR
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term

DEFAULT_GROUPING = "un-sr"
CONTINENTS = "continents"

# Multi-valued dimensions: the incident's many-to-many field and the vocabulary kind.
MULTI: dict[str, tuple[str, str]] = {
    "attack_type": ("attack_types", Term.Kind.ATTACK_TYPE),
    "perpetrator": ("perpetrators", Term.Kind.PERPETRATOR),
    "state": ("perpetrators", Term.Kind.PERPETRATOR),
    "risk_factor": ("risk_factors", Term.Kind.RISK_FACTOR),
    "profile": ("profiles", Term.Kind.PROFILE),
    "gender": ("victim_genders", Term.Kind.GENDER),
}
VOCABULARY = ("attack_type", "perpetrator", "risk_factor", "profile", "gender")
DIMENSIONS = ("country", "subdivision", "region", "continent", "year", "month", "attack_type", "perpetrator",
              "state", "risk_factor", "profile", "gender", "desk", "status", "reported_to_authorities", "justice")
# Single-valued fields with fixed choices: reporting to the authorities and the justice process.
CHOICES = {"reported_to_authorities": Incident.Reported, "justice": Incident.Justice}
FILTERS = (*DIMENSIONS, "from", "to", "grouping", "level")
STATE_VALUES = ("state", "non_state", "unknown")
STATE_LABELS = {"state": _("State actors"), "non_state": _("Non-state actors"), "unknown": _("Unknown or not recorded")}
TIME = ("year", "month")

# What the public may ask for: one of these with `year` (or filtered to one year), or `year` alone.
PUBLIC_TABLES = ("region", "country", "attack_type", "perpetrator", "state")
# One region grouping in public: two partitions of the same countries (regions and continents)
# published side by side pin down small cells through their differences, and the suppression
# then has to hide nearly every country (it did with the Global Witness file: Colombia's 79 in
# 2023). Staff see every grouping exactly.
PUBLIC_GROUPINGS = (DEFAULT_GROUPING,)
PUBLIC_FILTERS = ("year", "grouping")
PUBLIC_LEVEL = 1  # attack types and perpetrators are counted by their top-level term in public
MAX_LEVEL = 10  # the vocabulary is three levels deep; a deeper level is the term itself anyway


class InvalidQuery(ValueError):
    """A grouping or a filter that does not exist or has a wrong value."""


class NotAllowed(InvalidQuery):
    """A question the public tables do not answer."""


def min_cell() -> int:
    return int(settings.AMPARO_STATS_MIN_CELL)


@dataclass
class Result:
    group_by: list[str]
    filters: dict[str, Any]
    rows: list[dict[str, Any]]
    total: dict[str, int | None]
    multi_valued: bool
    public: bool = False
    k: int | None = None  # the suppression threshold of a public answer

    def as_dict(self) -> dict[str, Any]:
        return {"group_by": list(self.group_by), "filters": dict(self.filters), "rows": [dict(r) for r in self.rows],
                "total": dict(self.total), "multi_valued": self.multi_valued}

    @property
    def columns(self) -> list[str]:
        """The row keys in a stable order: for CSV and the command's table."""
        names: list[str] = []
        for dim in self.group_by:
            names.append(dim)
            if dim in LABELLED:
                names.append(f"{dim}_label")
        return [*names, "incidents", "victims", "share", "suppressed"]

    @property
    def any_suppressed(self) -> bool:
        return any(r["suppressed"] for r in self.rows)


LABELLED = (*VOCABULARY, "state", "region", "continent")



def parse_group_by(raw: str | Sequence[str]) -> list[str]:
    names = [p.strip() for p in raw.split(",")] if isinstance(raw, str) else [str(p).strip() for p in raw]
    names = [n for n in names if n]
    if not names:
        raise InvalidQuery(_gettext("Say what to group by, e.g. group_by=country,year."))
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        raise InvalidQuery(_gettext("Unknown grouping: %(names)s. Possible: %(possible)s.")
                           % {"names": ", ".join(unknown), "possible": ", ".join(DIMENSIONS)})
    if len(set(names)) != len(names):
        raise InvalidQuery(_gettext("A grouping is named twice."))
    if "region" in names and "continent" in names:
        raise InvalidQuery(_gettext("Group by region or by continent, not both."))
    return names


def _values(raw: Any) -> list[str]:
    items = [str(v) for v in raw] if isinstance(raw, list | tuple | set | frozenset) else str(raw).split(",")
    return [v.strip() for v in items if v.strip()]


def out_of_range(name: str) -> InvalidQuery:
    return InvalidQuery(_gettext("%(name)s must fall between %(first)s and %(last)s.")
                        % {"name": name, "first": FIRST_YEAR, "last": LAST_YEAR})


def _date(raw: Any, name: str) -> datetime.date:
    if isinstance(raw, datetime.date):
        day = raw
    else:
        try:
            day = datetime.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise InvalidQuery(_gettext("%(name)s must be a date such as 2023-01-31.") % {"name": name}) from None
    if not FIRST_DAY <= day <= LAST_DAY:  # the years anyone asks about (registry/bounds.py)
        raise out_of_range(name)
    return day


def parse_filters(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """Normalised filters: years as ints, dates as dates, every other value as a list of codes."""
    parsed: dict[str, Any] = {}
    for name, value in (raw or {}).items():
        if value in (None, "", []):
            continue
        if name not in FILTERS:
            raise InvalidQuery(_gettext("Unknown filter: %(name)s. Possible: %(possible)s.")
                               % {"name": name, "possible": ", ".join(FILTERS)})
        if name in ("year", "level"):
            try:
                parsed[name] = [int(v) for v in _values(value)] if name == "year" else int(str(value))
            except ValueError:
                raise InvalidQuery(_gettext("%(name)s must be a whole number.") % {"name": name}) from None
            if name == "year":
                # Bounded: a year past 9999 made datetime.date fail (a 500), and a long list of
                # years is one OR per year in the query.
                if any(not FIRST_YEAR <= year <= LAST_YEAR for year in parsed[name]):
                    raise out_of_range(name)
                parsed[name] = sorted(set(parsed[name]))
                parsed[name] = parsed[name][0] if len(parsed[name]) == 1 else parsed[name]
            elif parsed[name] < 1:
                raise InvalidQuery(_gettext("level starts at 1 (the broadest terms)."))
            elif parsed[name] > MAX_LEVEL:
                raise InvalidQuery(_gettext("level goes from 1 to %(last)s.") % {"last": MAX_LEVEL})
        elif name in ("from", "to"):
            parsed[name] = _date(value, name)
        elif name == "grouping":
            parsed[name] = str(value).strip()
        else:
            parsed[name] = _values(value)
    return parsed


def shown_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters as the answer repeats them (JSON-friendly)."""
    shown: dict[str, Any] = {}
    for name, value in filters.items():
        if isinstance(value, datetime.date):
            shown[name] = value.isoformat()
        elif isinstance(value, list) and len(value) == 1:
            shown[name] = value[0]
        else:
            shown[name] = value
    return shown
