"""A desk's incidents as CSV or JSON, for a member who holds the desk's key, in her own
request (or her own command): sealed parts are opened with her key as rows are written.

Streamed: the rows come from the database in chunks (`iterator(chunk_size=...)`) and leave as
text chunk by chunk, so a million incidents never sit in memory. CSV cells that a spreadsheet
would run as formulas get a leading apostrophe; multi-valued cells are joined with `|` (a `|`
or `\\` inside a value is escaped with a backslash); coordinates are one `lat|lon` column, as
Uwazi writes them. docs/mappings/amparo_export.json imports these files back.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Desk
from amparo.registry import sealing
from amparo.registry.actions import Action
from amparo.registry.models import Defender, Incident
from amparo.vault import services as vault
from amparo.vault.services import Unlocked
from amparo.vocabulary.models import Term
from amparo.vocabulary.rules import FORMULA_STARTS

CHUNK = 500
TERMS = ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders")
COLUMNS = (
    "desk", "id", "status", "date", "date_precision", "country", "subdivision", "locality", "lat|lon",
    "narrative", "sources", *TERMS, "victims", "reported_to_authorities", "reported_on", "reported_to", "justice",
    "consent_statistics", "consent_public_appeal", "consent_un",
    "defenders", "defender_kinds", "defender_genders", "defender_profiles", "channel", "created_at",
)
FORMATS = ("csv", "json")


def may_export(user: User | AnonymousUser, desk: Desk) -> bool:
    """Only a holder of the desk's key can export it: what is sealed must be opened."""
    return isinstance(user, User) and desk.ring is not None and vault.is_reader(desk.ring, user)


def record_export(actor: User | int, desk: Desk, fmt: str) -> None:
    """The audit entry of an export: who exported which desk (never what)."""
    record_audit(actor, Action.exported(fmt), object_type="network.desk", object_id=desk.pk,
                 scope=network.scope_of(desk.network))


def _needs_escape(cell: str) -> bool:
    # Lossless: a cell that already starts with an apostrophe before a formula start is escaped
    # too, so that taking one apostrophe off always gives the original back.
    return cell.startswith(FORMULA_STARTS) or (cell.startswith("'") and _needs_escape(cell[1:]))


def escape_formula(cell: str) -> str:
    """A leading apostrophe keeps a spreadsheet from running the cell as a formula."""
    return f"'{cell}" if _needs_escape(cell) else cell


def unescape_formula(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _needs_escape(cell[1:]) else cell


def join(values: list[str]) -> str:
    """Several values in one cell: `|` between them, a backslash before a `|` or `\\` inside."""
    return "|".join(v.replace("\\", "\\\\").replace("|", "\\|") for v in values)


def date_text(incident: Incident) -> str:
    if incident.occurred_on is None:
        return ""
    if incident.date_precision == Incident.Precision.YEAR:
        return f"{incident.occurred_on:%Y}"
    if incident.date_precision == Incident.Precision.MONTH:
        return f"{incident.occurred_on:%Y-%m}"
    return incident.occurred_on.isoformat()


def lat_lon(coordinates: str) -> str:
    """"14.07, -87.19" (as stored) -> "14.07|-87.19"; text that is not a point stays as it is."""
    parts = coordinates.replace(",", " ").split()
    if len(parts) == 2:
        try:
            return f"{float(parts[0])}|{float(parts[1])}"
        except ValueError:
            pass
    return coordinates


def records(desk: Desk, unlocked: Unlocked) -> Iterator[dict[str, Any]]:
    """Each incident of the desk, opened, as a dictionary; oldest first, chunk by chunk."""
    codes: dict[int, str] = dict(Term.objects.values_list("pk", "code"))
    incidents = (
        Incident.objects.filter(desk=desk).order_by("id")
        .prefetch_related(*(Prefetch(t, queryset=Term.objects.only("id")) for t in TERMS),
                          Prefetch("defenders", queryset=Defender.objects.order_by("id").prefetch_related(
                              Prefetch("profiles", queryset=Term.objects.only("id")))))
    )
    for incident in incidents.iterator(chunk_size=CHUNK):
        sealed = sealing.open_incident(unlocked, incident)
        defenders = list(incident.defenders.all())
        yield {
            "desk": desk.slug, "id": incident.pk, "status": incident.status, "date": date_text(incident),
            "date_precision": incident.date_precision, "country": incident.country,
            "subdivision": incident.subdivision, "locality": sealed["locality"],
            "coordinates": sealed["coordinates"], "narrative": sealed["narrative"], "sources": sealed["sources"],
            **{t: sorted(codes[term.pk] for term in getattr(incident, t).all()) for t in TERMS},
            "victims": incident.victims, "reported_to_authorities": incident.reported_to_authorities,
            "reported_on": incident.reported_on.isoformat() if incident.reported_on else "",
            "reported_to": sealed["reported_to"], "justice": incident.justice,
            "consent_statistics": incident.consent_statistics,
            "consent_public_appeal": incident.consent_public_appeal, "consent_un": incident.consent_un,
            "defenders": [{
                "name": sealing.open_defender_name(unlocked, d), "kind": d.kind,
                "gender": codes[d.gender_id] if d.gender_id else "",
                "profiles": sorted(codes[p.pk] for p in d.profiles.all()),
            } for d in defenders],
            "channel": incident.channel, "created_at": incident.created_at.isoformat(),
        }


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def csv_row(record: dict[str, Any]) -> list[str]:
    defenders = record["defenders"]
    cells = [
        record["desk"], str(record["id"]), record["status"], record["date"], record["date_precision"],
        record["country"], record["subdivision"], record["locality"], lat_lon(record["coordinates"]),
        record["narrative"], record["sources"], *(join(record[t]) for t in TERMS), str(record["victims"]),
        record["reported_to_authorities"], record["reported_on"], record["reported_to"], record["justice"],
        _yes_no(record["consent_statistics"]), _yes_no(record["consent_public_appeal"]),
        _yes_no(record["consent_un"]),
        join([d["name"] for d in defenders]), join([d["kind"] for d in defenders]),
        join([d["gender"] for d in defenders]) if any(d["gender"] for d in defenders) else "",
        join(["+".join(d["profiles"]) for d in defenders]) if any(d["profiles"] for d in defenders) else "",
        record["channel"], record["created_at"],
    ]
    return [escape_formula(cell) for cell in cells]


class _Line:
    """A file-like object that hands back what csv.writer writes, one row at a time."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(desk: Desk, unlocked: Unlocked, rows_per_chunk: int = 100) -> Iterator[str]:
    """The CSV file, a few rows per chunk (a header first). It starts with a byte-order mark,
    which tells spreadsheet programs that the file is UTF-8; imports (utf-8-sig) skip it."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMNS)
    buffer: list[str] = []
    for record in records(desk, unlocked):
        buffer.append(writer.writerow(csv_row(record)))
        if len(buffer) >= rows_per_chunk:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def json_chunks(desk: Desk, unlocked: Unlocked, rows_per_chunk: int = 100) -> Iterator[str]:
    """A JSON array of records, streamed (each record on a line of its own)."""
    yield "["
    first, buffer = True, []
    for record in records(desk, unlocked):
        point = lat_lon(record.pop("coordinates"))
        lat, _, lon = point.partition("|")
        try:
            record["coordinates"] = [float(lat), float(lon)] if point else None
        except ValueError:
            record["coordinates"] = point
        buffer.append(("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False))
        first = False
        if len(buffer) >= rows_per_chunk:
            yield "".join(buffer)
            buffer = []
    yield "".join(buffer) + "\n]\n"
