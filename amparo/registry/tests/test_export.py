"""Exporting a desk (CSV and JSON, streamed, escaped, audited) and importing the export back
with the documented round-trip mapping (docs/mappings/amparo_export.json)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from amparo.core.models import AuditEntry
from amparo.registry import services
from amparo.registry.models import Incident
from amparo.registry.transfer import exporting, importing
from amparo.vocabulary.models import Term

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
ROUND_TRIP = ROOT / "docs" / "mappings" / "amparo_export.json"
DATA = Path("/work/shared/data") if Path("/work/shared/data").is_dir() else ROOT.parent / "shared" / "data"


def _terms(*codes: str) -> list[Term]:
    return list(Term.objects.filter(code__in=codes))


def _documented(world) -> None:
    """Incidents that use every field, with values chosen to trip an exporter up."""
    desk, user = world.desk_a, world.users["documenter_a"]
    woman, man = _terms("gender.woman")[0], _terms("gender.man")[0]
    first = services.create_defender(user, desk, name="=HYPERLINK(\"http://evil\")", gender=woman,
                                     profiles=_terms("profile.journalist", "profile.lgbtiq"))
    second = services.create_defender(user, desk, name="Ana | María \\ López", kind="collective")
    services.record_incident(user, desk, services.IncidentData(
        occurred_on=date(2024, 3, 9), date_precision="day", country="HN", subdivision="HN-FM",
        locality="-Tegucigalpa, barrio\n\"El Centro\"", coordinates="-14.07, -87.19",
        narrative="+They came at night.\n@everyone saw it;\tthen left.", sources="'=not a formula",
        attack_types=_terms("attack.threat.death", "attack.raid.premises"),
        perpetrators=_terms("perpetrator.state.police"), risk_factors=_terms("risk.context.megaproject"),
        profiles=_terms("profile.land_environment"), victim_genders=[woman, man], victims=3,
        reported_to_authorities="yes", reported_on=date(2024, 3, 12), reported_to="Fiscalía", justice="complaint",
        consent_statistics=True, consent_public_appeal=True, consent_un=False,
    ), defenders=[first, second])
    services.record_incident(user, desk, services.IncidentData(
        occurred_on=date(2023, 7, 1), date_precision="month", country="YUCS", narrative="Ünïcödé – ok",
    ))
    services.record_incident(user, desk, services.IncidentData(occurred_on=date(2021, 1, 1), date_precision="year"))
    services.record_incident(user, desk, services.IncidentData(narrative="nothing else known", victims=0))


def _snapshot(desk, unlocked) -> list[dict]:
    """Every documented field of every incident, sealed ones opened: read straight from the
    database, not through the exporter."""
    found = []
    for incident in Incident.objects.filter(desk=desk).order_by("id"):
        found.append({
            **{f: getattr(incident, f) for f in (
                "status", "occurred_on", "date_precision", "country", "subdivision", "victims",
                "reported_to_authorities", "reported_on", "reported_to", "justice", "consent_statistics",
                "consent_public_appeal", "consent_un")},
            **services.open_incident(unlocked, incident),
            **{r: sorted(t.code for t in getattr(incident, r).all())
               for r in ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders")},
            "defenders": [(services.open_defender_name(unlocked, d), d.kind, d.gender.code if d.gender else None,
                           sorted(p.code for p in d.profiles.all())) for d in incident.defenders.order_by("id")],
        })
    return found


def test_an_export_imported_into_an_empty_desk_gives_the_same_records(world, vocabulary, tmp_path):
    _documented(world)
    importing.import_file(DATA / "colombia_social_leaders_killed_2016_2017.csv", world.desk_a,
                          ROOT / "docs" / "mappings" / "colombia_social_leaders_killed_2016_2017.json")
    path = tmp_path / "export.csv"
    path.write_text("".join(exporting.csv_chunks(world.desk_a, world.unlocked["documenter_a"])), encoding="utf-8")
    assert not Incident.objects.filter(desk=world.desk_b).exists()

    result = importing.import_file(path, world.desk_b, ROUND_TRIP)
    assert result.errors == [] and result.added == 125

    before = _snapshot(world.desk_a, world.unlocked["documenter_a"])
    after = _snapshot(world.desk_b, world.unlocked["documenter_b"])
    assert len(after) == 125
    for original, copy in zip(before, after, strict=True):
        assert copy == original
    # The same export again: recognised, nothing changes.
    again = importing.import_file(path, world.desk_b, ROUND_TRIP)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 125)


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(world, vocabulary):
    _documented(world)
    text = "".join(exporting.csv_chunks(world.desk_a, world.unlocked["documenter_a"]))
    rows = list(csv.DictReader(io.StringIO(text)))
    first = rows[0]
    assert first["narrative"].startswith("'+They came")
    assert first["locality"].startswith("'-Tegucigalpa")
    assert first["lat|lon"] == "'-14.07|-87.19"
    assert first["defenders"] == "'=HYPERLINK(\"http://evil\")|Ana \\| María \\\\ López"
    assert first["sources"] == "''=not a formula"  # already an apostrophe: escaped again, lossless
    assert first["attack_types"] == "attack.raid.premises|attack.threat.death"
    assert first["defender_profiles"] == "profile.journalist+profile.lgbtiq|"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[1]["date"] == "2023-07" and rows[2]["date"] == "2021" and rows[1]["country"] == "YUCS"


def test_json_export_is_a_streamed_array_of_opened_records(world, vocabulary):
    _documented(world)
    chunks = list(exporting.json_chunks(world.desk_a, world.unlocked["documenter_a"], rows_per_chunk=1))
    assert len(chunks) > 4  # one record per chunk here: never the whole desk at once
    records = json.loads("".join(chunks))
    assert len(records) == 4
    assert records[0]["coordinates"] == [-14.07, -87.19]
    assert records[0]["defenders"][1] == {"name": "Ana | María \\ López", "kind": "collective", "gender": "",
                                          "profiles": []}
    assert records[0]["narrative"].startswith("+They came")  # JSON is not a spreadsheet: no escaping


def test_the_export_reads_the_database_in_chunks(world, vocabulary, django_assert_max_num_queries):
    _documented(world)
    # A few queries per chunk of 500, whatever the number of rows: never one query per row.
    with django_assert_max_num_queries(30):
        text = "".join(exporting.csv_chunks(world.desk_a, world.unlocked["documenter_a"]))
    assert text.count("\n") >= 5


def test_the_export_command_asks_for_the_password_and_is_audited(world, vocabulary, tmp_path, monkeypatch):
    from conftest import STANDING_PASSWORD

    _documented(world)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": STANDING_PASSWORD)
    out = tmp_path / "desk.json"
    call_command("export_incidents", desk=world.desk_a.slug, member="documenter_a", format="json", output=str(out))
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 4
    entry = AuditEntry.objects.filter(action="incidents.exported.json").get()
    assert entry.actor_id == world.users["documenter_a"].pk and entry.object_id == str(world.desk_a.pk)


def test_the_export_command_refuses_someone_without_the_key(world, vocabulary, monkeypatch):
    from django.core.management import CommandError

    monkeypatch.setattr("getpass.getpass", lambda prompt="": "whatever")
    with pytest.raises(CommandError):
        call_command("export_incidents", desk=world.desk_a.slug, member="coordinator")
    with pytest.raises(CommandError):
        call_command("export_incidents", desk=world.desk_a.slug, member="documenter_a")  # wrong password
    assert not AuditEntry.objects.filter(action__startswith="incidents.exported").exists()
