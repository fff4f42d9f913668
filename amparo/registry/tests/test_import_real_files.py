"""The three public files in ../shared/data import unedited, each with its mapping from
docs/mappings/, and the numbers agree with the files themselves."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pycountry
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.db.models.functions import ExtractYear

from amparo.core.models import AuditEntry
from amparo.registry import services
from amparo.registry.models import Defender, ImportedRecord, Incident
from amparo.registry.transfer import importing
from amparo.registry.transfer.importing.rows import row_key

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
DATA = Path("/work/shared/data") if Path("/work/shared/data").is_dir() else ROOT.parent / "shared" / "data"
MAPPINGS = ROOT / "docs" / "mappings"
GW, COLOMBIA, CPJ = ("global_witness_defenders_killed_2012_2023", "colombia_social_leaders_killed_2016_2017",
                     "cpj_journalists_killed_1992_2018")
EXPECTED = {GW: 2106, COLOMBIA: 121, CPJ: 1281}


def _import(desk, name: str, path: Path | None = None, **options):
    call_command("import_incidents", str(path or DATA / f"{name}.csv"), desk=desk.slug,
                 mapping=str(MAPPINGS / f"{name}.json"), **options)


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", [GW, COLOMBIA, CPJ])
def test_it_imports_each_real_file_and_a_second_import_changes_nothing(world, vocabulary, name, capsys):
    _import(world.desk_a, name)
    incidents = Incident.objects.filter(desk=world.desk_a)
    assert incidents.count() == EXPECTED[name]
    assert set(incidents.values_list("channel", flat=True)) == {Incident.Channel.IMPORT}
    assert not incidents.filter(consent_statistics=False).exists()
    assert not incidents.filter(consent_public_appeal=True).exists()
    assert ImportedRecord.objects.filter(desk=world.desk_a).count() == EXPECTED[name]
    assert Defender.objects.filter(desk=world.desk_a).count() == EXPECTED[name]
    out, err = capsys.readouterr()
    assert f"{EXPECTED[name]} were added" in out
    # Progress on stderr: rows done and rows per second, the last step always shown.
    assert f"written: {EXPECTED[name]}/{EXPECTED[name]} rows, " in err and "rows/s" in err
    before = {i.pk: (i.updated_at, bytes(i.narrative or b"")) for i in incidents}

    _import(world.desk_a, name)
    out = capsys.readouterr().out
    assert f"0 were added, 0 were updated, {EXPECTED[name]} unchanged" in out
    assert Incident.objects.filter(desk=world.desk_a).count() == EXPECTED[name]
    assert {i.pk: (i.updated_at, bytes(i.narrative or b"")) for i in incidents} == before
    assert AuditEntry.objects.filter(action="incidents.imported").count() == 2


def test_global_witness_counts_per_country_and_year_equal_the_files(world, vocabulary):
    _import(world.desk_a, GW)
    expected: Counter[tuple[str, int]] = Counter()
    victims: Counter[str] = Counter()
    for row in _rows(GW):
        country = pycountry.countries.get(numeric=row["country_numeric"]).alpha_2
        expected[(country, int(row["date"][:4]))] += 1
        victims[country] += int(row["number_of_victims"])
    found = Incident.objects.filter(desk=world.desk_a).annotate(year=ExtractYear("occurred_on")) \
        .values_list("country", "year").annotate(n=Count("id"))
    assert {(c, y): n for c, y, n in found} == dict(expected)
    assert len(expected) > 200  # many cells: the comparison means something
    by_country: Counter[str] = Counter()
    for country, n in Incident.objects.filter(desk=world.desk_a).values_list("country", "victims"):
        by_country[country] += n
    assert by_country == victims


def test_cpj_incidents_per_year_equal_the_files_year_column(world, vocabulary):
    _import(world.desk_a, CPJ)
    expected = Counter(int(row["year"]) for row in _rows(CPJ))
    found = Incident.objects.filter(desk=world.desk_a).annotate(year=ExtractYear("occurred_on")) \
        .values_list("year").annotate(n=Count("id"))
    assert dict(found) == dict(expected)
    # Two-digit years: 1/15/92 is 1992 and 1/3/05 is 2005, in the window the mapping gives.
    assert min(expected) == 1992 and max(expected) == 2018
    # A former country keeps its ISO 3166-3 code; the file's own names for others are mapped.
    assert Incident.objects.filter(desk=world.desk_a, country="YUCS").count() == 8
    assert Incident.objects.filter(desk=world.desk_a, country="TR").count() == 25


def test_colombia_rows_have_regions_places_and_sealed_names(world, vocabulary):
    _import(world.desk_a, COLOMBIA)
    incidents = Incident.objects.filter(desk=world.desk_a)
    assert set(incidents.values_list("country", flat=True)) == {"CO"}
    assert incidents.filter(subdivision="CO-CAU").count() == 34
    assert incidents.filter(subdivision="CO-DC").count() == 1
    first = _rows(COLOMBIA)[0]
    found = list(incidents.filter(subdivision="CO-NAR", occurred_on="2016-06-28"))
    opened = [services.open_incident(world.unlocked["documenter_a"], i) for i in found]
    assert any(o["coordinates"] == f"{float(first['Latitud'])}, {float(first['Longitud'])}"
               and o["locality"] == "Barbacoas" and "eltiempo.com" in o["sources"] for o in opened)
    names = {services.open_defender_name(world.unlocked["documenter_a"], d)
             for i in found for d in i.defenders.all()}
    assert "Bernardo Cuero Bravo" in names
    # Names and places are sealed: nothing of them is in clear in the database.
    assert all(b"Barbacoas" not in bytes(i.locality or b"") + bytes(i.narrative or b"") for i in incidents)


def test_the_python_function_gives_the_same_counts(world, vocabulary):
    result = importing.import_file(DATA / f"{COLOMBIA}.csv", world.desk_b, MAPPINGS / f"{COLOMBIA}.json")
    assert (result.added, result.updated, result.unchanged, result.errors) == (121, 0, 0, [])
    again = importing.import_file(DATA / f"{COLOMBIA}.csv", world.desk_b, MAPPINGS / f"{COLOMBIA}.json",
                                  dry_run=True)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 121)


def _copy_with_changes(tmp_path: Path, name: str, edit, append: bool, line_to_break: int | None = None) -> Path:
    """The file, written back with the csv module: one row edited, one appended, or a broken date."""
    with open(DATA / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    if edit:
        edit(header, rows)
    if append:
        extra = list(rows[1])
        extra[header.index("id")] = "recNEWROWADDEDBYTEST"
        rows.append(extra)
    if line_to_break:
        rows[line_to_break - 1][header.index("date")] = "2019-13-45"
    path = tmp_path / f"{name}.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_an_edited_row_updates_one_and_an_appended_row_adds_one(world, vocabulary, tmp_path, capsys):
    _import(world.desk_a, GW)
    row = _rows(GW)[9]
    target = ImportedRecord.objects.filter(desk=world.desk_a)
    record_count = target.count()

    def edit(header, rows):
        rows[10][header.index("local_region")] = "A new place"

    _import(world.desk_a, GW, _copy_with_changes(tmp_path, GW, edit, append=True))
    assert "1 were added, 1 were updated, 2105 unchanged" in capsys.readouterr().out
    assert target.count() == record_count + 1
    changed = ImportedRecord.objects.get(desk=world.desk_a, key=row_key(GW, row["id"])).incident
    assert services.open_incident(world.unlocked["documenter_a"], changed)["locality"] == "A new place"
    assert changed.occurred_on.isoformat() == row["date"]
    added = ImportedRecord.objects.get(desk=world.desk_a, key=row_key(GW, "recNEWROWADDEDBYTEST"))
    assert added.first_run == added.last_run != ImportedRecord.objects.get(pk=changed.imported_from.pk).first_run
    assert Incident.objects.filter(desk=world.desk_a).count() == 2107


def test_a_dry_run_with_a_broken_date_names_the_row_and_writes_nothing(world, vocabulary, tmp_path, capsys):
    path = _copy_with_changes(tmp_path, GW, None, append=False, line_to_break=1500)
    with pytest.raises(CommandError, match="nothing was written"):
        _import(world.desk_a, GW, path, dry_run=True)
    out = capsys.readouterr().out
    assert "row 1500, column 'date': '2019-13-45' is not a date" in out
    assert not Incident.objects.exists() and not ImportedRecord.objects.exists()
    # Without --dry-run, the same file writes nothing either: all or nothing.
    with pytest.raises(CommandError):
        _import(world.desk_a, GW, path)
    assert not Incident.objects.exists()
    assert not AuditEntry.objects.filter(action="incidents.imported").exists()
