"""Which funds of the directory fit a request, and why; which do not, and why not.

Pure and explainable: the server reads the funds' clear facts once (`FundFacts.from_row` over a
`values()` query) and compares them with the request's clear facts. A fund is excluded by a
hard rule (it does not pay for this kind of help, does not work in her country, does not fund
her kind of applicant, is only for women- or trans-led groups, does not pay relocation abroad);
otherwise it fits, with its reasons, and a score that ranks fit first and speed second. Nothing
is converted between currencies: a cap in another currency is said, not compared.
"""

from __future__ import annotations

from collections.abc import Callable
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


@dataclass(slots=True)
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
        return cls(row["id"], row["name"], row["runner"], tuple(row["languages"] or ()),
                   tuple(row["countries"] or ()), tuple(row["applicants"] or ()), row["women_trans_led_only"],
                   tuple(row["covers"] or ()), row["relocation_abroad"], row["does_not_pay"], row["max_amount"],
                   row["currency"], row["decision_hours"], row["payment_days"])


@dataclass(slots=True)
class Match:
    fund: FundFacts
    fits: bool
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)


class Phrases:
    """The reasons' words, translated once per matching and reused for every fund (gettext
    and formatting per fund would cost more than the comparisons themselves)."""

    def __init__(self, need: Need) -> None:
        kind = str(Kind(need.kind).label).lower() if need.kind in Kind.values else need.kind
        who = str(Applicant(need.applicant).label).lower() if need.applicant in Applicant.values else need.applicant
        self.not_covered = _("does not pay for %(kind)s") % {"kind": kind}
        self.covers = _("covers %(kind)s") % {"kind": kind}
        self.not_here = _("does not work in %(country)s") % {"country": need.country}
        self.works_here = _("works in %(country)s") % {"country": need.country}
        self.not_applicant = _("does not fund %(who)s") % {"who": who}
        self.led = _("only for women- or trans-led groups")
        self.not_abroad = _("does not pay relocation abroad")
        self.any_language = _("accepts any language")
        self.her_language = _("accepts %(language)s") % {"language": LANGUAGE_NAMES.get(need.language,
                                                                                         need.language)}
        self._memo: dict[tuple[str, object], str] = {}

    def _once(self, key: tuple[str, object], make: Callable[[], str]) -> str:
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = make()
        return found

    def answers(self, hours: int) -> str:
        return self._once(("h", hours), lambda: _("answers in %(hours)s h") % {"hours": hours})

    def slow(self, hours: int) -> str:
        return self._once(("s", hours), lambda: _("answers in about %(days)s days") % {"days": round(hours / 24)})

    def pays_within(self, days: int) -> str:
        return self._once(("p", days), lambda: _("pays within %(days)s days") % {"days": days})

    def languages(self, codes: tuple[str, ...]) -> str:
        names = ", ".join(LANGUAGE_NAMES.get(code, code) for code in codes)
        return self._once(("l", codes), lambda: _("applications in %(languages)s") % {"languages": names})

    def cap(self, how: str, amount: Decimal, currency: str) -> str:
        def make() -> str:
            cap = f"{amount:,.0f} {currency}"
            if how == "other":
                return _("pays in %(currency)s (up to %(cap)s): no exchange rate is assumed") % {
                    "currency": currency, "cap": cap}
            if how == "less":
                return _("pays up to %(cap)s, less than asked") % {"cap": cap}
            return _("pays up to %(cap)s") % {"cap": cap}

        return self._once((how, (amount, currency)), make)


def _exclusions(need: Need, fund: FundFacts, words: Phrases) -> list[str]:
    out = []
    if need.kind not in fund.covers:
        out.append(words.not_covered)
    if fund.countries and need.country and need.country not in fund.countries:
        out.append(words.not_here)
    if fund.applicants and need.applicant not in fund.applicants:
        out.append(words.not_applicant)
    if fund.women_trans_led_only and not need.women_trans_led:
        out.append(words.led)
    if need.kind == Kind.RELOCATION and need.abroad and not fund.relocation_abroad:
        out.append(words.not_abroad)
    return out


def _amount(need: Need, fund: FundFacts, match: Match, words: Phrases) -> None:
    if fund.max_amount is None or need.amount is None:
        return
    if fund.currency != need.currency:
        match.against.append(words.cap("other", fund.max_amount, fund.currency))
        match.score -= 5
    elif need.amount <= fund.max_amount:
        match.reasons.append(words.cap("up", fund.max_amount, fund.currency))
        match.score += 20
    else:
        match.against.append(words.cap("less", fund.max_amount, fund.currency))
        match.score -= 10


def _language(need: Need, fund: FundFacts, match: Match, words: Phrases) -> None:
    if not fund.languages:
        match.reasons.append(words.any_language)
        match.score += 10
    elif need.language in fund.languages:
        match.reasons.append(words.her_language)
        match.score += 10
    else:
        match.against.append(words.languages(fund.languages))
        match.score -= 10


def match_one(need: Need, fund: FundFacts, words: Phrases | None = None) -> Match:
    words = words or Phrases(need)
    excluded = _exclusions(need, fund, words)
    if excluded:
        return Match(fund, False, against=excluded)
    match = Match(fund, True, score=100, reasons=[words.covers])
    if fund.countries and need.country in fund.countries:
        match.reasons.append(words.works_here)
        match.score += 5
    if fund.decision_hours <= FAST_HOURS:
        match.reasons.append(words.answers(fund.decision_hours))
        match.score += 15
    else:
        match.against.append(words.slow(fund.decision_hours))
    match.reasons.append(words.pays_within(fund.payment_days))
    _language(need, fund, match, words)
    _amount(need, fund, match, words)
    return match


def match_funds(need: Need, funds: list[FundFacts]) -> tuple[list[Match], list[Match]]:
    """(the funds that fit, best first; the funds excluded, by name)."""
    words = Phrases(need)
    matches = [match_one(need, fund, words) for fund in funds]
    fitting = sorted((m for m in matches if m.fits),
                     key=lambda m: (-m.score, m.fund.decision_hours, m.fund.payment_days, m.fund.name))
    excluded = sorted((m for m in matches if not m.fits), key=lambda m: m.fund.name)
    return fitting, excluded
