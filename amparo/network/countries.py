"""ISO 3166-1 countries from pycountry, as choices and names in the reader's language."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else code)


def normalise(raw: str) -> list[str]:
    """Split "hn, GT  sv" into ["GT", "HN", "SV"]; raise ValueError naming unknown codes."""
    found = sorted({part.strip().upper() for part in raw.replace(",", " ").split() if part.strip()})
    unknown = [c for c in found if c not in codes()]
    if unknown:
        raise ValueError(", ".join(unknown))
    return found
