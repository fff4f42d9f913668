"""The statistics module: every dimension, filters, multi-valued counting, roll-ups, victims."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amparo.analytics import stats
from amparo.analytics.tests.stats_data import make, ship_groupings
from amparo.network.models import Desk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shipped(db, vocabulary):
    ship_groupings()


def rows(result, dim):
    return {r[dim]: (r["incidents"], r["victims"]) for r in result.rows}


def test_country_by_year_is_the_issue_shape(world):
    make(world.desk_a, 79, country="CO", year=2023)
    make(world.desk_a, 117, country="MX", year=2023)
    make(world.desk_a, 3, country="MX", year=2022)
    answer = stats.compute(["country", "year"], {"year": 2023}).as_dict()
    assert answer == {
        "group_by": ["country", "year"], "filters": {"year": 2023},
        "rows": [{"country": "MX", "year": 2023, "incidents": 117, "victims": 117, "share": 59.7, "suppressed": False},
                 {"country": "CO", "year": 2023, "incidents": 79, "victims": 79, "share": 40.3, "suppressed": False}],
        "total": {"incidents": 196, "victims": 196}, "multi_valued": False,
    }


def test_duplicates_are_not_counted_unless_the_status_filter_says_so(world):
    make(world.desk_a, 4, status="verified")
    make(world.desk_a, 2, status="duplicate")
    assert stats.compute(["status"]).total["incidents"] == 4
    assert rows(stats.compute(["status"], {"status": "duplicate,verified"}), "status") == {
        "duplicate": (2, 2), "verified": (4, 4)}


def test_an_incident_counts_once_per_value_and_the_answer_says_so(world):
    make(world.desk_a, 3, attack=["attack.threat.death", "attack.smear"], victims=2)
    make(world.desk_a, 1, attack=["attack.smear"])
    result = stats.compute(["attack_type"])
    assert result.multi_valued
    assert rows(result, "attack_type") == {"attack.threat.death": (3, 6), "attack.smear": (4, 7)}
    assert result.total == {"incidents": 4, "victims": 7}
    assert sum(r["share"] for r in result.rows) > 100
    label = {r["attack_type"]: r["attack_type_label"] for r in result.rows}
    assert label["attack.smear"] == "Smear and stigmatisation"
    es = stats.compute(["attack_type"], language="es")
    assert {r["attack_type_label"] for r in es.rows} == {"Amenazas de muerte", "Difamación y estigmatización"}


def test_a_level_rolls_narrower_terms_up_without_counting_an_incident_twice(world):
    # two kinds of threat in one incident: one threat incident, its victims once
    make(world.desk_a, 2, attack=["attack.threat.death", "attack.threat.sexual"], victims=3)
    make(world.desk_a, 1, attack=["attack.threat"], victims=1)
    make(world.desk_a, 1, attack=["attack.online.doxxing"], victims=5)
    result = stats.compute(["attack_type"], {"level": 1})
    assert rows(result, "attack_type") == {"attack.threat": (3, 7), "attack.online": (1, 5)}
    assert rows(stats.compute(["attack_type"]), "attack_type") == {
        "attack.threat.death": (2, 6), "attack.threat.sexual": (2, 6), "attack.threat": (1, 1),
        "attack.online.doxxing": (1, 5)}


def test_state_and_non_state(world):
    make(world.desk_a, 2, perps=["perpetrator.state.police", "perpetrator.state.military"], victims=2)
    make(world.desk_a, 1, perps=["perpetrator.state.police", "perpetrator.non_state.organised_crime"])
    make(world.desk_a, 1, perps=["perpetrator.unknown"])
    make(world.desk_a, 1)
    result = stats.compute(["state"])
    assert rows(result, "state") == {"state": (3, 5), "non_state": (1, 1), "unknown": (2, 2)}
    assert stats.compute(["country"], {"state": "non_state"}).total["incidents"] == 1
    assert stats.compute(["country"], {"state": "unknown"}).total["incidents"] == 2


def test_regions_continents_and_unassigned(world):
    make(world.desk_a, 3, country="HN")
    make(world.desk_a, 2, country="EG")
    make(world.desk_a, 1, country="")
    assert rows(stats.compute(["region"]), "region") == {"lac": (3, 3), "mena": (2, 2), None: (1, 1)}
    assert rows(stats.compute(["continent"]), "continent") == {"americas": (3, 3), "africa": (2, 2), None: (1, 1)}
    assert rows(stats.compute(["region"], {"grouping": "continents"}), "region")["africa"] == (2, 2)
    assert stats.compute(["country"], {"region": "mena"}).total["incidents"] == 2


def test_months_leave_out_incidents_known_by_their_year(world):
    make(world.desk_a, 2, year=2023, month=5, day=17)
    make(world.desk_a, 1, year=2023, precision="year")
    assert rows(stats.compute(["month"]), "month") == {"2023-05": (2, 2), None: (1, 1)}
    assert rows(stats.compute(["year"]), "year") == {2023: (3, 3)}


def test_every_filter_and_period(world):
    make(world.desk_a, 2, country="HN", subdivision="HN-CR", year=2021, month=3,
         profiles=["profile.indigenous"], genders=["gender.woman"])
    make(world.desk_b, 5, country="CD", year=2022, month=7, genders=["gender.man"])
    assert stats.compute(["desk"]).rows[0]["desk"] == "desk-b"
    assert stats.compute(["country"], {"from": "2022-01-01"}).total["incidents"] == 5
    assert stats.compute(["country"], {"to": "2021-12-31"}).total["incidents"] == 2
    assert stats.compute(["country"], {"profile": "profile.indigenous"}).total["incidents"] == 2
    assert stats.compute(["country"], {"gender": "gender.man"}).total["incidents"] == 5
    assert stats.compute(["country"], {"desk": "desk-a"}).total["incidents"] == 2
    assert stats.compute(["country"], {"subdivision": "HN-CR"}).total["incidents"] == 2
    assert stats.compute(["country"], {"month": "2022-07"}).total["incidents"] == 5
    assert rows(stats.compute(["subdivision"]), "subdivision") == {"HN-CR": (2, 2), None: (5, 5)}
    assert rows(stats.compute(["gender", "profile"]), "gender")["gender.woman"] == (2, 2)
    assert stats.compute(["country"], desks=Desk.objects.filter(slug="desk-a")).total["incidents"] == 2


def test_a_filter_on_a_multi_valued_dimension_does_not_multiply_counts(world):
    make(world.desk_a, 3, attack=["attack.threat.death", "attack.threat.sexual"], victims=4)
    result = stats.compute(["country"], {"attack_type": "attack.threat"})
    assert rows(result, "country") == {"CO": (3, 12)}


@pytest.mark.parametrize("group_by,filters,message", [
    (["colour"], {}, "Unknown grouping"),
    (["country"], {"colour": "red"}, "Unknown filter"),
    (["country"], {"year": "last"}, "whole number"),
    (["country"], {"attack_type": "attack.nothing"}, "No Type of attack"),
    (["region"], {"grouping": "nope"}, "No region grouping"),
    (["country"], {"from": "yesterday"}, "must be a date"),
])
def test_mistakes_are_named(world, group_by, filters, message):
    with pytest.raises(stats.InvalidQuery, match=message):
        stats.compute(group_by, filters)


def test_the_count_is_grouped_in_the_database(world):
    make(world.desk_a, 50, country="HN", attack=["attack.threat.death", "attack.smear"])
    with CaptureQueriesContext(connection) as queries:
        stats.compute(["country", "year"])
    grouping = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouping) == 1 and "COUNT(" in grouping[0]
    with CaptureQueriesContext(connection) as queries:
        stats.compute(["attack_type"], {"level": 1})
    assert any("GROUP BY" in q["sql"] for q in queries.captured_queries)
    assert len(queries.captured_queries) < 8  # no query per incident


def test_the_command_gives_what_the_api_gives(world, client, capsys):
    from conftest import sign_in

    make(world.desk_a, 6, country="HN", year=2023)
    make(world.desk_a, 2, country="GT", year=2023)
    call_command("stats", "--group-by", "country,year", "--filter", "year=2023", "--desk", "desk-a",
                 "--format", "json")
    from_command = json.loads(capsys.readouterr().out)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    from_api = client.get("/api/v1/stats/incidents", {"group_by": "country,year", "year": "2023",
                                                       "desk": "desk-a"}).json()
    assert from_command == from_api
    call_command("stats", "--group-by", "country,year", "--filter", "year=2023")
    table = capsys.readouterr().out
    assert "HN" in table and "75.0" in table and table.splitlines()[0].split()[:3] == ["country", "year", "incidents"]
    call_command("stats", "--group-by", "country", "--filter", "year=2023", "--public", "--format", "csv")
    # GT (2) is under k; HN is withheld with it, or the year's total (8) would give GT away
    assert capsys.readouterr().out.splitlines() == ["country,incidents,victims,share,suppressed",
                                                    "GT,,,,true", "HN,,,,true"]


def test_reporting_to_the_authorities_and_the_justice_process_are_counted(world):
    """What the reports' justice section asks: single-valued fields with fixed choices."""
    from amparo.registry.models import Incident

    made = make(world.desk_a, 5, country="HN")
    Incident.objects.filter(pk__in=[i.pk for i in made[:3]]).update(reported_to_authorities="yes",
                                                                     justice="investigation")
    Incident.objects.filter(pk=made[3].pk).update(reported_to_authorities="no")
    by_justice = {r["justice"]: r["incidents"] for r in stats.compute(["justice"], desks=[world.desk_a]).rows}
    assert by_justice == {"investigation": 3, "none": 2}
    rows = stats.compute(["reported_to_authorities"], {"justice": "none"}, desks=[world.desk_a]).rows
    assert {r["reported_to_authorities"]: r["incidents"] for r in rows} == {"no": 1, "unknown": 1}
    assert {r["reported_to_authorities_label"] for r in rows} == {"Not reported", "Not known"}
    with pytest.raises(stats.InvalidQuery, match="justice is one of"):
        stats.compute(["justice"], {"justice": "bogus"}, desks=[world.desk_a])
    with pytest.raises(stats.NotAllowed):
        stats.compute(["justice", "year"], public=True)
