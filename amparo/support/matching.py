"""Which funds of the directory fit a request, and why; which do not, and why not.

Pure and explainable: the server reads the funds' clear facts once (`FundFacts.from_row` over a
`values()` query) and compares them with the request's clear facts. A fund is excluded by a
hard rule (it does not pay for this kind of help, does not work in her country, does not fund
her kind of applicant, is only for women- or trans-led groups, does not pay relocation abroad);
otherwise it fits, with its reasons, and a score that ranks fit first and speed second. Nothing
is converted between currencies: a cap in another currency is said, not compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import Applicant, Kind

FAST_HOURS = 72
FUND_COLUMNS = ("id", "name", "runner", "languages", "countries", "applicants", "women_trans_led_only", "covers",
                "relocation_abroad", "does_not_pay", "max_amount", "currency", "decision_hours", "payment_days")

LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français", "pt": "Português"}


@dataclass(frozen=True)
class Need:
    """A request's clear facts, as matching reads them."""

    kind: str
    country: str = ""
    language: str = ""
    applicant: str = Applicant.INDIVIDUAL
    women_trans_led: bool = True
    abroad: bool = False
    amount: Decimal | None = None
    currency: str = ""


@dataclass(frozen=True)
class FundFacts:
    id: int
    name: str
    runner: str = ""
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    applicants: tuple[str, ...] = ()
    women_trans_led_only: bool = False
    covers: tuple[str, ...] = ()
    relocation_abroad: bool = True
    does_not_pay: str = ""
    max_amount: Decimal | None = None
    currency: str = ""
    decision_hours: int = 72
    payment_days: int = 7

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> FundFacts:
        return cls(**{**row, **{name: tuple(row.get(name) or ()) for name in
                                ("languages", "countries", "applicants", "covers")}})


@dataclass
class Match:
    fund: FundFacts
    fits: bool
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)


def _kind_name(kind: str) -> str:
    return str(Kind(kind).label).lower() if kind in Kind.values else kind


def _exclusions(need: Need, fund: FundFacts) -> list[str]:
    out = []
    if need.kind not in fund.covers:
        out.append(_("does not pay for %(kind)s") % {"kind": _kind_name(need.kind)})
    if fund.countries and need.country and need.country not in fund.countries:
        out.append(_("does not work in %(country)s") % {"country": need.country})
    if fund.applicants and need.applicant not in fund.applicants:
        out.append(_("does not fund %(who)s") % {"who": str(Applicant(need.applicant).label).lower()})
    if fund.women_trans_led_only and not need.women_trans_led:
        out.append(_("only for women- or trans-led groups"))
    if need.kind == Kind.RELOCATION and need.abroad and not fund.relocation_abroad:
        out.append(_("does not pay relocation abroad"))
    return out


def _amount(need: Need, fund: FundFacts, match: Match) -> None:
    if fund.max_amount is None or need.amount is None:
        return
    cap = f"{fund.max_amount:,.0f} {fund.currency}"
    if fund.currency != need.currency:
        match.against.append(_("pays in %(currency)s (up to %(cap)s): no exchange rate is assumed")
                             % {"currency": fund.currency, "cap": cap})
        match.score -= 5
    elif need.amount <= fund.max_amount:
        match.reasons.append(_("pays up to %(cap)s") % {"cap": cap})
        match.score += 20
    else:
        match.against.append(_("pays up to %(cap)s, less than asked") % {"cap": cap})
        match.score -= 10


def _language(need: Need, fund: FundFacts, match: Match) -> None:
    if not fund.languages:
        match.reasons.append(_("accepts any language"))
        match.score += 10
    elif need.language in fund.languages:
        match.reasons.append(_("accepts %(language)s") % {"language": LANGUAGE_NAMES.get(need.language,
                                                                                          need.language)})
        match.score += 10
    else:
        names = ", ".join(LANGUAGE_NAMES.get(code, code) for code in fund.languages)
        match.against.append(_("applications in %(languages)s") % {"languages": names})
        match.score -= 10


def match_one(need: Need, fund: FundFacts) -> Match:
    excluded = _exclusions(need, fund)
    if excluded:
        return Match(fund, False, against=excluded)
    match = Match(fund, True, score=100, reasons=[_("covers %(kind)s") % {"kind": _kind_name(need.kind)}])
    if fund.countries and need.country in fund.countries:
        match.reasons.append(_("works in %(country)s") % {"country": need.country})
        match.score += 5
    if fund.decision_hours <= FAST_HOURS:
        match.reasons.append(_("answers in %(hours)s h") % {"hours": fund.decision_hours})
        match.score += 15
    else:
        match.against.append(_("answers in about %(days)s days") % {"days": round(fund.decision_hours / 24)})
    match.reasons.append(_("pays within %(days)s days") % {"days": fund.payment_days})
    _language(need, fund, match)
    _amount(need, fund, match)
    return match


def match_funds(need: Need, funds: list[FundFacts]) -> tuple[list[Match], list[Match]]:
    """(the funds that fit, best first; the funds excluded, by name)."""
    matches = [match_one(need, fund) for fund in funds]
    fitting = sorted((m for m in matches if m.fits),
                     key=lambda m: (-m.score, m.fund.decision_hours, m.fund.payment_days, m.fund.name))
    excluded = sorted((m for m in matches if not m.fits), key=lambda m: m.fund.name)
    return fitting, excluded
