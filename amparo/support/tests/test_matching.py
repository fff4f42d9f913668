"""Matching on cases: which funds fit a request and why, which are excluded and why."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from amparo.support.matching import FundFacts, Need, match_funds, match_one

RAPID = FundFacts(1, "Rapid", covers=("funds", "relocation", "legal"), women_trans_led_only=True,
                  max_amount=Decimal(8000), currency="USD", decision_hours=72, payment_days=7)
RELOCATION = FundFacts(2, "Relocation", languages=("es", "en"), applicants=("individual",), covers=("relocation",),
                       max_amount=Decimal(10000), currency="EUR", decision_hours=120, payment_days=14)
REGIONAL = FundFacts(3, "Regional", languages=("es",), countries=("HN", "GT"), covers=("relocation", "funds"),
                     relocation_abroad=False, max_amount=Decimal(5000), currency="USD", decision_hours=48)
LEGAL = FundFacts(4, "Legal", covers=("legal",), countries=("HN",), decision_hours=96)
ORGS = FundFacts(5, "Orgs", covers=("relocation",), applicants=("organisation",))

NEED = Need(kind="relocation", country="HN", language="es", amount=Decimal(3000), currency="USD")


def test_a_relocation_in_her_country_fits_three_funds_ranked_by_fit_and_speed():
    with translation.override("en"):
        fitting, excluded = match_funds(NEED, [RAPID, RELOCATION, REGIONAL, LEGAL, ORGS])
    # The regional fund works in her country and answers in 48 h: first.
    assert [m.fund.name for m in fitting] == ["Regional", "Rapid", "Relocation"]
    rapid = fitting[1]
    assert "covers temporary relocation" in rapid.reasons and "answers in 72 h" in rapid.reasons
    assert "accepts any language" in rapid.reasons and "pays up to 8,000 USD" in rapid.reasons
    assert "accepts Español" in fitting[0].reasons and "works in HN" in fitting[0].reasons
    assert any("no exchange rate is assumed" in a for a in fitting[2].against)
    assert {m.fund.name: m.against for m in excluded} == {
        "Legal": ["does not pay for temporary relocation"], "Orgs": ["does not fund a person"]}


def test_abroad_excludes_a_fund_that_pays_relocation_only_in_the_country():
    need = Need(kind="relocation", country="HN", language="es", abroad=True)
    fitting, excluded = match_funds(need, [REGIONAL])
    assert not fitting and excluded[0].against == ["does not pay relocation abroad"]


def test_other_country_group_not_women_led_and_legal_fees():
    need = Need(kind="legal", country="CD", language="fr", women_trans_led=False)
    assert match_one(need, RAPID).against == ["only for women- or trans-led groups"]
    assert match_one(need, LEGAL).against == ["does not work in CD"]
    assert match_one(need, RELOCATION).against == ["does not pay for legal help"]


def test_asking_more_than_the_cap_or_in_another_language_still_fits_but_says_so():
    need = Need(kind="relocation", country="HN", language="pt", amount=Decimal(9000), currency="USD")
    m = match_one(need, REGIONAL)
    assert m.fits and "pays up to 5,000 USD, less than asked" in m.against
    assert "applications in Español" in m.against
