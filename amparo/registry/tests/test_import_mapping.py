"""The mapping's rules, one by one, on small files written in the test."""

from __future__ import annotations

import io
from datetime import date

import pytest

from amparo.registry import services
from amparo.registry.models import ImportedRecord, Incident
from amparo.registry.transfer import importing
from amparo.registry.transfer.importing.mapping import MappingError
from amparo.registry.transfer.importing.rows import split_cell

pytestmark = pytest.mark.django_db


def _run(world, mapping: dict, text: str, desk=None, **options):
    return importing.import_lines(io.StringIO(text, newline=""), desk or world.desk_a,
                                  importing.parse_mapping(mapping), **options)


BASE = {"name": "test-source", "identifier": "ref"}


def test_dates_partial_and_two_digit_years_follow_the_mapping(world, vocabulary):
    mapping = {**BASE, "dates": {"century_from": 1930, "formats": [
        {"pattern": "%m/%d/%y", "precision": "day"}, {"pattern": "%Y-%m", "precision": "month"},
        {"pattern": "%Y", "precision": "year"}]}, "fields": {"occurred_on": "when"}}
    # (A date after today is refused now, issue 17.4: 25 stands for the window's late end.)
    result = _run(world, mapping, "ref,when\n1,1/15/92\n2,1/3/05\n3,2016-07\n4,1999\n5,12/31/25\n6,\n")
    assert result.errors == [] and result.added == 6
    got = {r.incident.occurred_on: r.incident.date_precision for r in ImportedRecord.objects.select_related(
        "incident")}
    assert got == {date(1992, 1, 15): "day", date(2005, 1, 3): "day", date(2016, 7, 1): "month",
                   date(1999, 1, 1): "year", date(2025, 12, 31): "day", None: "day"}


def test_every_invalid_cell_is_reported_with_its_row_and_column_and_nothing_is_written(world, vocabulary):
    mapping = {**BASE, "fields": {
        "occurred_on": "when", "country": "where", "victims": "how_many",
        "perpetrators": {"column": "who", "split": ",", "values": {"Police": "perpetrator.state.police"}},
        "consent_un": "un"}}
    text = ('ref,when,where,how_many,who,un\n'
            '1,2020-01-01,HN,1,Police,no\n'
            '2,"2020-02-30",Narnia,many,"Police, Aliens",maybe\n'
            '"3\nwith a line break",2020-01-01,HN,1,Police,yes\n'
            '4,2020-13-01,HN,-1,,\n')
    result = _run(world, mapping, text)
    assert not result.ok and Incident.objects.count() == 0
    found = {(e.line, e.column) for e in result.errors}
    assert found == {(3, "when"), (3, "where"), (3, "how_many"), (3, "who"), (3, "un"), (5, "when"),
                     (5, "how_many")}
    aliens = next(e for e in result.errors if e.column == "who")
    assert "'Aliens' matches no perpetrator" in aliens.reason
    assert result.rows == 4


def test_unknown_words_value_maps_and_null(world, vocabulary):
    mapping = {**BASE, "unknown": ["NA", "", "Unknown"], "fields": {
        "perpetrators": {"column": "who", "split": "|", "values": {
            "Unknown": "perpetrator.unknown", "Others": None, "Cops": ["perpetrator.state.police"]}},
        "attack_types": [{"constant": "attack.killing"},
                         {"column": "tortured", "values": {"TRUE": "attack.torture", "FALSE": None}}],
        "locality": "place", "victim_genders": "gender"}}
    result = _run(world, mapping, "ref,who,tortured,place,gender\n1,Unknown|Others,TRUE,NA,Mujer\n"
                                  "2,cops,FALSE,Unknown,NA\n")
    assert result.errors == []
    first, second = (ImportedRecord.objects.get(key=importing.rows.row_key("test-source", n)).incident
                     for n in ("1", "2"))
    assert [t.code for t in first.perpetrators.all()] == ["perpetrator.unknown"]
    assert sorted(t.code for t in first.attack_types.all()) == ["attack.killing", "attack.torture"]
    assert first.locality is None  # "NA" is blank: nothing sealed
    assert [t.code for t in first.victim_genders.all()] == ["gender.woman"]  # a Spanish label
    assert [t.code for t in second.perpetrators.all()] == ["perpetrator.state.police"]  # case aside


def test_countries_by_name_code_number_and_former_countries(world, vocabulary):
    mapping = {**BASE, "fields": {"country": "c", "subdivision": "s"}}
    result = _run(world, mapping, "ref,c,s\n1,Honduras,Francisco Morazán\n2,HND,HN-FM\n3,340,FM\n4,hn,\n"
                                  "5,YUCS,\n6,Germany,\n7,276,\n8,DEU,\n")
    assert result.errors == []
    assert list(Incident.objects.order_by("id").values_list("country", "subdivision")) == [
        ("HN", "HN-FM"), ("HN", "HN-FM"), ("HN", "HN-FM"), ("HN", ""), ("YUCS", ""), ("DE", ""), ("DE", ""),
        ("DE", "")]
    bad = _run(world, mapping, "ref,c,s\n9,Honduras,Cauca\n10,,FM\n")
    assert [(e.line, e.column) for e in bad.errors] == [(2, "s"), (3, "s")]


def test_key_columns_recognise_rows_without_an_identifier(world, vocabulary):
    mapping = {"name": "no-id", "key_columns": ["name", "day"],
               "fields": {"occurred_on": "day", "defender.name": "name", "narrative": "what"}}
    text = "name,day,what\nAna,2020-01-01,a\nAna,2020-02-01,b\nBea,2020-01-01,c\n"
    assert _run(world, mapping, text).added == 3
    again = _run(world, mapping, text.replace(",c\n", ",c edited\n") + "Cris,2020-01-01,d\n")
    assert (again.added, again.updated, again.unchanged) == (1, 1, 2)
    dup = _run(world, mapping, text + "Ana,2020-01-01,again\n")
    assert [(e.line, e.reason) for e in dup.errors] == [(5, "the same identifier as row 2")]


def test_the_identifier_is_not_stored_in_clear(world, vocabulary):
    _run(world, {**BASE, "fields": {"narrative": "what"}}, "ref,what\nSECRET-REF-123,x\n")
    record = ImportedRecord.objects.get()
    assert "SECRET" not in record.key and len(record.key) == 64
    assert record.key != importing.rows.row_key("another-source", "SECRET-REF-123")


def test_several_defenders_in_a_row_with_their_own_genders(world, vocabulary):
    mapping = {**BASE, "fields": {
        "defender.name": {"column": "names", "split": ";"},
        "defender.gender": {"column": "genders", "split": ";", "values": {"F": "gender.woman", "M": "gender.man"}},
        "defender.profiles": {"constant": ["profile.journalist", "profile.lawyer"]},
        "defender.kind": {"constant": "collective"}}}
    assert _run(world, mapping, "ref,names,genders\n1,Ana; Bea ;Cris,F;;M\n").errors == []
    incident = Incident.objects.get()
    defenders = list(incident.defenders.order_by("id"))
    unlocked = world.unlocked["documenter_a"]
    assert [(services.open_defender_name(unlocked, d), d.gender.code if d.gender else None, d.kind)
            for d in defenders] == [("Ana", "gender.woman", "collective"), ("Bea", None, "collective"),
                                    ("Cris", "gender.man", "collective")]
    assert all(sorted(p.code for p in d.profiles.all()) == ["profile.journalist", "profile.lawyer"]
               for d in defenders)
    # One defender fewer in the file: she is unlinked (and, named nowhere else, deleted).
    result = _run(world, mapping, "ref,names,genders\n1,Ana;Cris,F;M\n")
    assert result.updated == 1
    assert [services.open_defender_name(unlocked, d) for d in incident.defenders.order_by("id")] == ["Ana", "Cris"]


def test_a_mapping_with_mistakes_names_every_one(world, vocabulary):
    with pytest.raises(MappingError) as raised:
        importing.parse_mapping({"identifier": "id", "key_columns": ["a"], "colour": 1, "fields": {
            "attack_types": {"column": "x", "values": {"a": "attack.nothing"}},
            "perpetrators": {"constant": "attack.killing"}, "size": "y",
            "occurred_on": {"column": "d", "formats": [{"pattern": "%Y", "precision": "week"}]}}})
    text = "\n".join(raised.value.problems)
    for needle in ("'name' is required", "either 'identifier'", "unknown key 'colour'", "attack.nothing",
                   "another kind", "unknown field 'size'", "precision"):
        assert needle in text, needle


def test_a_missing_column_is_reported_before_any_row(world, vocabulary):
    result = _run(world, {**BASE, "fields": {"narrative": "story"}}, "ref,text\n1,x\n")
    assert [(e.line, e.column) for e in result.errors] == [(1, "story")]


def test_split_cell_keeps_escaped_separators():
    assert split_cell("a\\|b|c\\\\|", "|", True) == ["a|b", "c\\", ""]
    assert split_cell("a|b", "|", False) == ["a", "b"]


def test_a_desk_without_a_key_holder_gets_nothing(world, vocabulary):
    from amparo.network import services as network

    empty = network.create_desk("system", world.network_a, slug="empty-desk", name="Empty", countries=[])
    result = _run(world, {**BASE, "fields": {"narrative": "what"}}, "ref,what\n1,x\n", desk=empty)
    assert not result.ok and "nobody with its key" in str(result.errors[0])
    assert not Incident.objects.filter(desk=empty).exists()


def test_the_writer_replaces_every_list_of_terms_a_mapping_fills():
    from amparo.registry.services import importing as writes
    from amparo.registry.transfer.importing.mapping import TERM_FIELDS
    assert tuple(TERM_FIELDS) == writes.TERM_FIELDS
