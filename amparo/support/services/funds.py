"""The directory of funds and programmes, kept by a network's coordinators: added, edited,
imported from and exported to CSV (the public facts; a private contact is never exported), and
the invented examples of the demo."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Network
from amparo.support import sealing
from amparo.support.actions import Action
from amparo.support.models import Applicant, Fund, Kind

LISTS = ("languages", "countries", "applicants", "covers")
CSV_COLUMNS = ("name", "runner", "languages", "countries", "applicants", "women_trans_led_only", "covers",
               "relocation_abroad", "does_not_pay", "max_amount", "currency", "decision_hours", "payment_days",
               "how_to_apply")


@dataclass
class FundData:
    name: str
    runner: str = ""
    languages: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    applicants: list[str] = field(default_factory=list)
    women_trans_led_only: bool = False
    covers: list[str] = field(default_factory=list)
    relocation_abroad: bool = True
    does_not_pay: str = ""
    max_amount: Decimal | None = None
    currency: str = ""
    decision_hours: int = 72
    payment_days: int = 7
    how_to_apply: str = ""
    active: bool = True


def _columns(data: FundData) -> dict[str, Any]:
    values = {f.name: getattr(data, f.name) for f in fields(FundData)}
    values["currency"] = (data.currency or "").upper()
    values["countries"] = [c.upper() for c in data.countries]
    return values


def add_fund(actor: User | str, network_: Network, data: FundData, *, contact: str = "",
             example: bool = False) -> Fund:
    with transaction.atomic():
        fund = Fund.objects.create(network=network_, example=example, contact=sealing.seal_fund_contact(network_,
                                                                                                          contact),
                                   **_columns(data))
        record_audit(actor, Action.DEMO_FUND_ADDED if example else Action.FUND_ADDED, fund,
                     scope=network.scope_of(network_))
    return fund


def edit_fund(actor: User, fund: Fund, data: FundData, *, contact: str | None = None) -> Fund:
    """Change its facts; its private contact only when a new one is given."""
    with transaction.atomic():
        for name, value in _columns(data).items():
            setattr(fund, name, value)
        if contact is not None and contact.strip():
            fund.contact = sealing.seal_fund_contact(fund.network, contact)
        fund.save()
        record_audit(actor, Action.FUND_EDITED, fund, scope=network.scope_of(fund.network))
    return fund


# --- CSV --------------------------------------------------------------------------------------

class ImportRefused(ValueError):
    """A file that cannot be read as the directory: nothing was stored."""


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


def _yes(text: str) -> bool:
    return (text or "").strip().lower() in ("1", "yes", "true", "sí", "si", "oui", "sim", "y")


def _row_data(number: int, row: dict[str, str]) -> FundData:
    name = (row.get("name") or "").strip()
    if not name:
        raise ImportRefused(_("Line %(n)s has no name.") % {"n": number})
    lists = {key: _split(row.get(key, "")) for key in LISTS}
    wrong = [c for c in lists["covers"] if c not in Kind.values] + \
        [a for a in lists["applicants"] if a not in Applicant.values]
    if wrong:
        raise ImportRefused(_("Line %(n)s: unknown codes %(codes)s.") % {"n": number, "codes": ", ".join(wrong)})
    try:
        amount = Decimal(row["max_amount"]) if (row.get("max_amount") or "").strip() else None
        hours = int(row.get("decision_hours") or 72)
        days = int(row.get("payment_days") or 7)
    except (InvalidOperation, ValueError) as exc:
        raise ImportRefused(_("Line %(n)s: an amount or a time is not a number.") % {"n": number}) from exc
    return FundData(name=name[:200], runner=(row.get("runner") or "")[:200], languages=lists["languages"],
                    countries=lists["countries"], applicants=lists["applicants"], covers=lists["covers"],
                    women_trans_led_only=_yes(row.get("women_trans_led_only", "")),
                    relocation_abroad=_yes(row.get("relocation_abroad", "yes") or "yes"),
                    does_not_pay=(row.get("does_not_pay") or "")[:500], max_amount=amount,
                    currency=(row.get("currency") or "")[:3], decision_hours=hours, payment_days=days,
                    how_to_apply=row.get("how_to_apply") or "")


def import_funds(actor: User, network_: Network, text: str) -> int:
    """All or nothing: every line becomes a fund of `network_`, or none does (ImportRefused).
    A fund of the same name in this network is updated instead of repeated."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise ImportRefused(_("The first line must name the columns, among them \"name\"."))
    rows = [_row_data(number, row) for number, row in enumerate(reader, start=2)]
    with transaction.atomic():
        for data in rows:
            found = Fund.objects.filter(network=network_, name=data.name).first()
            if found is None:
                Fund.objects.create(network=network_, **_columns(data))
            else:
                for name, value in _columns(data).items():
                    setattr(found, name, value)
                found.save()
        record_audit(actor, Action.FUNDS_IMPORTED, network_, scope=network.scope_of(network_))
    return len(rows)


def export_funds(actor: User, network_: Network) -> str:
    """The network's directory as CSV: the public facts, never a private contact."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for fund in Fund.objects.filter(network=network_).order_by("name"):
        writer.writerow([", ".join(getattr(fund, c)) if c in LISTS else
                         ("yes" if getattr(fund, c) is True else "no" if getattr(fund, c) is False else
                          "" if getattr(fund, c) is None else getattr(fund, c)) for c in CSV_COLUMNS])
    record_audit(actor, Action.FUNDS_EXPORTED, network_, scope=network.scope_of(network_))
    return out.getvalue()
