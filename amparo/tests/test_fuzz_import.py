"""Hypothesis against the CSV importer (issue 17, "Fuzzing in CI"), through the desk's import
page as a documenter uses it: any file, with a mapping that reads every kind of field, and any
mapping. Never a server error; a file with any problem is refused as a whole (every table keeps
its row count) with the problems listed; a file without one adds exactly the rows it counts.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from amparo.registry.transfer import importing
from amparo.tests.fuzz import SHORT, TEXT, amparo_counts, bounded, changed, shows_an_error
from conftest import sign_in

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

URL = "/registry/desk/desk-a/transfer/"
BOOKKEEPING = {"core.Counter"}

# Every kind of field the importer reads: text (sealed), a date, a country and its region,
# terms split in a cell, a number, yes/no, a choice, and defenders split in a cell.
MAPPING: dict[str, Any] = {
    "name": "fuzz", "identifier": "ref", "unknown": ["", "NA"],
    "dates": {"formats": [{"pattern": "%Y-%m-%d", "precision": "day"}, {"pattern": "%Y", "precision": "year"}]},
    "fields": {
        "occurred_on": "date", "country": "country", "subdivision": "region", "narrative": "what",
        "attack_types": {"column": "attacks", "split": ";"}, "victims": "victims",
        "consent_statistics": "consent", "status": "status",
        "defender.name": {"column": "names", "split": "|"}, "defender.kind": "kind",
    },
}
COLUMNS = ["ref", "date", "country", "region", "what", "attacks", "victims", "consent", "status", "names", "kind"]
CELLS = {
    "ref": st.one_of(st.sampled_from(["1", "2", "1 ", "é"]), SHORT),
    "date": st.one_of(st.sampled_from(["2024-05-01", "2024", "2024-02-30", "0001-01-01", "9999-12-31", "NA"]), SHORT),
    "country": st.one_of(st.sampled_from(["HN", "Honduras", "hnd", "340", "YUCS", "Atlantis", ""]), SHORT),
    "region": st.one_of(st.sampled_from(["HN-IN", "IN", "Intibucá", "CO-CAU", ""]), SHORT),
    "what": TEXT,
    "attacks": st.one_of(st.sampled_from(["attack.threat", "Amenazas;Killing", "attack.threat;;", "nothing"]), SHORT),
    "victims": st.one_of(st.sampled_from(["1", "0", "-1", "100000", "100001", "2.5", "1e3", "9223372036854775807",
                                          "99999999999999999999", ""]), SHORT),
    "consent": st.one_of(st.sampled_from(["yes", "no", "sí", "maybe", ""]), SHORT),
    "status": st.one_of(st.sampled_from(["received", "verified", "lost", ""]), SHORT),
    "names": st.one_of(st.sampled_from(["Ana", "Ana|Berta", "|", ""]), SHORT),
    "kind": st.one_of(st.sampled_from(["individual", "collective", "organisation", "robot", ""]), SHORT),
}
ROW = st.fixed_dictionaries(CELLS)


def _csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue().encode("utf-8", "surrogatepass")


def _upload(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


@pytest.fixture
def documenter(client, world, vocabulary):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    return client


def _check(response, before: dict[str, int]) -> None:
    """Refused as a whole with the problems listed, or in with exactly what it counts."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    result = response.context["result"]
    after = amparo_counts()
    if result is not None and result.written:
        assert after["registry.Incident"] - before["registry.Incident"] == result.added
        assert after["registry.ImportRun"] - before["registry.ImportRun"] == 1
    else:
        assert not changed(before, after, BOOKKEEPING), changed(before, after, BOOKKEEPING)
        if result is None or not result.ok:
            assert 'id="problems-h"' in html or shows_an_error(html), html[:3000]


@bounded(30)
@given(rows=st.lists(ROW, min_size=0, max_size=4), dry_run=st.booleans(),
       header=st.one_of(st.just(COLUMNS), st.permutations(COLUMNS), st.lists(SHORT, max_size=4)))
@example(rows=[{**dict.fromkeys(COLUMNS, ""), "ref": "1", "date": "2024", "country": "HN", "victims": "2"},
               {**dict.fromkeys(COLUMNS, ""), "ref": "2", "date": "2024-02-30", "country": "HN"}],
         dry_run=False, header=COLUMNS)  # one good row and one bad: nothing at all is written
def test_an_import_writes_the_whole_file_or_nothing_and_lists_every_problem(documenter, rows, dry_run, header):
    before = amparo_counts()
    data: dict[str, Any] = {"file": _upload(_csv(header, rows), "fuzz.csv"),
            "mapping_file": _upload(json.dumps(MAPPING).encode(), "fuzz.json")}
    if dry_run:
        data["dry_run"] = "on"
    _check(documenter.post(URL, data), before)


@bounded(30)
@given(content=st.one_of(st.binary(max_size=400), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_any_bytes_as_the_file_are_refused_or_read_never_a_server_error(documenter, content):
    before = amparo_counts()
    response = documenter.post(URL, {"file": _upload(content, "any.csv"),
                                     "mapping_file": _upload(json.dumps(MAPPING).encode(), "fuzz.json")})
    _check(response, before)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | SHORT,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(SHORT, inner, max_size=3),
                    max_leaves=8)
MAPPING_KEYS = ["name", "identifier", "key_columns", "encoding", "delimiter", "unknown", "dates", "constants",
                "fields", "formulas_escaped", "description"]


def _mapping() -> st.SearchStrategy:
    """The fuzz mapping with any of its keys replaced by any JSON, or any JSON at all."""
    changes = st.dictionaries(st.sampled_from(MAPPING_KEYS), JSON, max_size=3)
    field_changes = st.dictionaries(st.sampled_from([*MAPPING["fields"], "victims", "nonsense"]), JSON, max_size=2)
    return st.one_of(
        JSON,
        st.builds(lambda c: {**MAPPING, **c}, changes),
        st.builds(lambda f: {**MAPPING, "fields": {**MAPPING["fields"], **f}}, field_changes),
    )


@bounded(50)
@given(mapping=_mapping(), rows=st.lists(ROW, max_size=2))
@example(mapping={**MAPPING, "dates": []}, rows=[])
@example(mapping={**MAPPING, "encoding": "no-such-codec"}, rows=[])
def test_any_mapping_is_refused_with_its_problems_or_used_never_a_server_error(documenter, mapping, rows):
    before = amparo_counts()
    response = documenter.post(URL, {"file": _upload(_csv(COLUMNS, rows), "fuzz.csv"),
                                     "mapping_file": _upload(json.dumps(mapping).encode(), "own.json")})
    _check(response, before)
    problems = response.context["problems"]
    assert all(isinstance(p, str) and p for p in problems)


@bounded(20)
@given(rows=st.lists(ROW, min_size=1, max_size=3))
def test_importing_the_same_file_twice_changes_nothing_the_second_time(world, vocabulary, rows):
    content = _csv(COLUMNS, rows)
    first = importing.import_bytes(content, world.desk_a, MAPPING, dry_run=False)
    before = amparo_counts()
    second = importing.import_bytes(content, world.desk_a, MAPPING, dry_run=False)
    if first.ok:
        assert second.ok and second.added == 0 and second.updated == 0
        assert changed(before, amparo_counts(), {"registry.ImportRun", "core.AuditEntry", "core.AuditHead"}) == {}
    else:
        assert not second.ok and not changed(before, amparo_counts())
