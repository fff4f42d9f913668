"""Invented example funds for a demonstration, clearly named as examples. Their facts follow
the figures of FIELD-NOTES.md ("Emergency support"): grants up to about 7,500–10,000 EUR or
8,000 USD; the fastest answers within 72 hours in any language and pays within 1–7 days,
for women- or trans-led groups; relocation usually 6–12 months; no past costs, salaries,
rent, armed guards or vehicles."""

from __future__ import annotations

from decimal import Decimal

from amparo.network.models import Network
from amparo.support.models import Fund

from .funds import FundData, add_fund

NOT_PAID = "past costs, salaries, rent, armed guards, vehicles, general living costs"

EXAMPLES = [
    FundData(name="Example: Rapid Response Fund for Women Defenders", runner="Example feminist fund",
             languages=[], applicants=["individual", "collective", "organisation"], women_trans_led_only=True,
             covers=["funds", "relocation", "legal", "medical", "psychosocial", "equipment", "digital"],
             does_not_pay=NOT_PAID, max_amount=Decimal(8000), currency="USD", decision_hours=72, payment_days=7,
             how_to_apply="Short form, any language, any day; a network vouches for her."),
    FundData(name="Example: Temporary Relocation Programme", runner="Example shelter network",
             languages=["es", "en", "pt"], applicants=["individual"],
             covers=["relocation", "psychosocial"], does_not_pay=NOT_PAID + ", settled exile",
             max_amount=Decimal(10000), currency="EUR", decision_hours=120, payment_days=14,
             how_to_apply="Host organisation, risk context, destination and visa plan, journey security, "
                          "6–12 months, return plan."),
    FundData(name="Example: Legal Defence Fund", runner="Example lawyers' association",
             languages=["es", "fr", "en"], applicants=["individual", "collective"],
             covers=["legal"], does_not_pay=NOT_PAID + ", medical costs", max_amount=Decimal(7500),
             currency="EUR", decision_hours=96, payment_days=10,
             how_to_apply="Court papers or a lawyer's note; trial monitoring and prison visits included."),
    FundData(name="Example: Regional Protection Grants", runner="Example regional network",
             languages=["es", "pt"], countries=["HN", "GT", "SV", "MX", "BR", "CO"],
             applicants=["individual", "collective", "organisation"],
             covers=["funds", "relocation", "medical", "equipment"], relocation_abroad=False,
             does_not_pay=NOT_PAID, max_amount=Decimal(5000), currency="USD", decision_hours=48, payment_days=5,
             how_to_apply="Through a member organisation of the regional network."),
    FundData(name="Example: Well-being and Self-care Fund", runner="Example well-being collective",
             languages=["es", "en", "fr", "pt"], applicants=["individual", "collective"],
             women_trans_led_only=True, covers=["psychosocial", "medical"], does_not_pay=NOT_PAID,
             max_amount=Decimal(3000), currency="EUR", decision_hours=72, payment_days=7,
             how_to_apply="A short letter on what care she needs."),
]


def add_demo_funds(network_: Network) -> list[Fund]:
    """The examples, once: a second run adds nothing."""
    made = []
    for data in EXAMPLES:
        if not Fund.objects.filter(network=network_, name=data.name).exists():
            made.append(add_fund("system", network_, data, contact="funds@example.org", example=True))
    return made
