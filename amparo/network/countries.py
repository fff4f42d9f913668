"""ISO 3166-1 countries from pycountry, as choices and names in the reader's language."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils import translation


@cache
def codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (the active one by default), from pycountry's own
    translations; former countries (ISO 3166-3) by their historic name."""
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        historic = pycountry.historic_countries.get(alpha_4=code) if len(code) == 4 else None
        return historic.name if historic else code
    english = getattr(country, "common_name", None) or country.name
    lang = (language or translation.get_language() or "en")[:2]
    return english if lang == "en" else _catalog(lang).gettext(country.name)


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((c.alpha_2, name(c.alpha_2, language)) for c in pycountry.countries), key=lambda c: c[1]))


def choices(language: str | None = None) -> list[tuple[str, str]]:
    """Current countries, sorted by their name in the reader's language."""
    return list(_choices((language or translation.get_language() or "en")[:2]))


def subdivision_codes(country: str) -> frozenset[str]:
    return frozenset(s.code for s in pycountry.subdivisions.get(country_code=country) or [])


def normalise(raw: str) -> list[str]:
    """Split "hn, GT  sv" into ["GT", "HN", "SV"]; raise ValueError naming unknown codes."""
    found = sorted({part.strip().upper() for part in raw.replace(",", " ").split() if part.strip()})
    unknown = [c for c in found if c not in codes()]
    if unknown:
        raise ValueError(", ".join(unknown))
    return found
