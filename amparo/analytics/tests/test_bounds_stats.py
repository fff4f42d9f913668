"""Issue 17.4: no stored row and no query parameter breaks the statistics.

A row written around the services (a bulk load, an old import, a hand-made SQL fix) may carry
any number the column takes; the sums of victims must still answer, on SQLite (whose SUM raises
"integer overflow" past 2^63 - 1) and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from amparo.analytics import stats
from amparo.analytics.tests.stats_data import make, ship_groupings
from amparo.registry.bounds import MAX_VICTIMS
from amparo.registry.models import Incident
from conftest import sign_in

pytestmark = pytest.mark.django_db

HUGE = 2**63 - 1 if connection.vendor == "sqlite" else 2**31 - 1  # the largest each column takes


@pytest.fixture(autouse=True)
def _shipped(db, vocabulary):
    ship_groupings()


@pytest.fixture
def huge(world, publish):
    """Incidents of desk A that a person could count in public, two of them with the largest
    number of victims the column holds: their plain sum is past 2^63 - 1 on SQLite."""
    make(world.desk_a, 6, country="HN", attack=["attack.threat.death"], perps=["perpetrator.state.police"])
    big = make(world.desk_a, 2, country="HN", attack=["attack.threat.death"], perps=["perpetrator.state.police"])
    Incident.objects.filter(pk__in=[i.pk for i in big]).update(victims=HUGE)
    publish()
    return world


PUBLIC = ["/analytics/", "/analytics/map/", "/analytics/map/data.json",
          "/api/v1/stats/incidents?public=true", "/api/v1/stats/incidents?public=true&group_by=attack_type,year",
          "/api/v1/stats/incidents?public=true&group_by=state&year=2023"]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_statistics_answer_with_a_huge_stored_row(client, huge, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["analytics:regions", "analytics:countries", "analytics:perpetrators",
                                  "analytics:attack_types", "analytics:trends"])
def test_staff_statistics_answer_with_a_huge_stored_row(client, huge, name):
    sign_in(client, huge.users["documenter_a"], huge.unlocked["documenter_a"])
    assert client.get(reverse(name)).status_code == 200


def test_a_stored_number_counts_at_most_the_bound(huge):
    result = stats.compute(["country"], desks=[huge.desk_a])
    assert result.total == {"incidents": 8, "victims": 6 + 2 * MAX_VICTIMS}
    rolled = stats.compute(["attack_type"], {"level": 1}, desks=[huge.desk_a])
    assert rolled.total["victims"] == 6 + 2 * MAX_VICTIMS
    assert rolled.rows[0]["victims"] == 6 + 2 * MAX_VICTIMS


@pytest.fixture
def far_dates(world, publish):
    """Rows dated where a date column ends, as a hand-made fix could leave them."""
    make(world.desk_a, 6, country="HN", year=1, attack=["attack.threat.death"])
    make(world.desk_a, 6, country="HN", year=9999, month=12, day=31, attack=["attack.threat.death"])
    publish()
    return world


@pytest.mark.parametrize("url", [*PUBLIC, "/api/v1/stats/incidents?public=true&group_by=year"])
def test_public_statistics_answer_with_dates_at_the_ends_of_the_calendar(client, far_dates, url):
    assert client.get(url).status_code == 200


def test_staff_trends_answer_with_dates_at_the_ends_of_the_calendar(client, far_dates):
    sign_in(client, far_dates.users["documenter_a"], far_dates.unlocked["documenter_a"])
    assert client.get(reverse("analytics:trends")).status_code == 200
    assert client.get("/api/v1/stats/incidents?group_by=month").status_code == 200


# --- Query parameters ---------------------------------------------------------------------

OUT_OF_RANGE = ["year=99999", "year=0", "year=-5", "year=2023,99999", "month=9999-12", "month=1066-10",
                "from=0001-01-01", "to=9999-12-31", "from=1899-12-31", "level=11", "level=" + "9" * 5000,
                "year=" + "9" * 5000, "group_by=month&month=9999-12"]


@pytest.mark.parametrize("query", OUT_OF_RANGE)
@pytest.mark.parametrize("public", [True, False], ids=["public", "staff"])
def test_a_parameter_out_of_range_is_a_clear_400(client, huge, query, public):
    """A year past 9999 (or before 1) made datetime.date fail, and December 9999 has no next
    month: those were 500s. Every parameter now has its range, and saying so is a 400."""
    if not public:
        sign_in(client, huge.users["documenter_a"], huge.unlocked["documenter_a"])
    response = client.get("/api/v1/stats/incidents?" + ("public=true&" if public else "") + query)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]


@pytest.mark.parametrize("query", ["year=1900", "year=2100", "year=2023,2023,2022", "from=1900-01-01&to=2100-12-31",
                                   "month=2100-12", "level=10"])
def test_a_parameter_at_the_ends_of_its_range_answers(client, huge, query):
    sign_in(client, huge.users["documenter_a"], huge.unlocked["documenter_a"])
    assert client.get("/api/v1/stats/incidents?" + query).status_code == 200


@pytest.mark.parametrize("url", ["/analytics/countries/?date_from=0001-01-01", "/analytics/countries/?year=99999",
                                 "/analytics/map/desks/?date_to=9999-12-31", "/analytics/map/?year=99999",
                                 "/analytics/?year=99999", "/registry/desk/desk-a/inbox/?since=0001-01-01",
                                 "/registry/desk/desk-a/inbox/?page=99999999999999999999999"])
def test_pages_with_filters_out_of_range_still_answer(client, huge, url):
    sign_in(client, huge.users["documenter_a"], huge.unlocked["documenter_a"])
    assert client.get(url).status_code in (200, 400)
