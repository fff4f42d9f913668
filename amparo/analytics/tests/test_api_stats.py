"""GET /api/v1/stats/incidents: JSON and CSV, per audience."""

from __future__ import annotations

import csv
import io

import pytest

from amparo.analytics.tests.stats_data import make, ship_groupings
from amparo.network import services as network
from amparo.network.models import Role
from amparo.network.tests.factories import UserFactory
from conftest import enrol_second_factor, sign_in

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/incidents"


@pytest.fixture(autouse=True)
def _shipped(db, vocabulary):
    ship_groupings()


@pytest.fixture
def data(world, publish):
    make(world.desk_a, 8, country="HN", year=2023, attack=["attack.threat.death"])
    make(world.desk_a, 2, country="HN", year=2022)
    make(world.desk_b, 6, country="CD", year=2023, attack=["attack.smear"])
    publish()
    return world


def test_anonymous_callers_get_the_public_tables_only(client, data):
    assert client.get(URL, {"group_by": "country,year"}).status_code == 401
    answer = client.get(URL, {"group_by": "country,year", "public": "1"}).json()
    rows = {(r["country"], r["year"]): r for r in answer["rows"]}
    assert rows[("HN", 2023)]["incidents"] == 8
    assert rows[("HN", 2022)] == {"country": "HN", "year": 2022, "incidents": None, "victims": None,
                                  "share": None, "suppressed": True}
    assert answer["total"] == {"incidents": 14, "victims": 14}  # the years that are shown


@pytest.mark.parametrize("params", [
    {"group_by": "country,year", "attack_type": "attack.smear"},
    {"group_by": "attack_type,country"},
    {"group_by": "country,year", "desk": "desk-a"},
])
def test_public_refuses_other_questions_with_a_reason(client, data, params):
    response = client.get(URL, {**params, "public": "1"})
    assert response.status_code == 400
    assert response.json()["detail"]


def test_desk_staff_see_exact_numbers_of_their_desks(client, data):
    sign_in(client, data.users["documenter_b"], data.unlocked["documenter_b"])
    answer = client.get(URL, {"group_by": "country"}).json()
    assert answer["rows"] == [{"country": "CD", "incidents": 6, "victims": 6, "share": 100.0, "suppressed": False}]
    assert client.get(URL, {"group_by": "country", "desk": "desk-a"}).status_code == 404


def test_a_coordinator_of_the_coalition_sees_across_networks(client, data):
    chair = UserFactory.create(username="chair")
    network.add_membership("system", user=chair, role=Role.COORDINATOR, network=data.coalition)
    enrol_second_factor(chair)
    sign_in(client, chair)
    answer = client.get(URL, {"group_by": "desk", "year": "2023"}).json()
    assert {r["desk"]: r["incidents"] for r in answer["rows"]} == {"desk-a": 8, "desk-b": 6}
    one = client.get(URL, {"group_by": "desk", "desk": "desk-b"}).json()
    assert [r["desk"] for r in one["rows"]] == ["desk-b"]


def test_people_without_a_desk_are_told_to_ask_for_the_public_tables(client, data):
    sign_in(client, data.users["defender"])
    assert client.get(URL, {"group_by": "country"}).status_code == 403
    assert client.get(URL, {"group_by": "country,year", "public": "1"}).status_code == 200


def test_csv_gives_the_same_rows(client, data):
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    answer = client.get(URL, {"group_by": "attack_type,year", "language": "es"}).json()
    response = client.get(URL, {"group_by": "attack_type,year", "language": "es", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["attack_type"], r["attack_type_label"], int(r["year"]), int(r["incidents"])) for r in rows] == [
        (r["attack_type"] or "", r["attack_type_label"], r["year"], r["incidents"]) for r in answer["rows"]]
    assert answer["multi_valued"] is True
    assert "Amenazas de muerte" in {r["attack_type_label"] for r in answer["rows"]}


def test_a_bad_question_is_a_400(client, data):
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    response = client.get(URL, {"group_by": "colour"})
    assert response.status_code == 400 and "Unknown grouping" in response.json()["detail"]
    response = client.get(URL, {"group_by": "colour", "format": "csv"})
    assert response.status_code == 400 and b"Unknown grouping" in response.content
