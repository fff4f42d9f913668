"""The statistics pages: tables and SVG charts from the same numbers as the API, per audience."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from amparo.analytics.models import Grouping, RegionCountry
from amparo.analytics.services.public import refresh_public_tables
from amparo.analytics.tests.stats_data import make, ship_groupings
from amparo.core.models import AuditEntry
from conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shipped(db, vocabulary):
    ship_groupings()


@pytest.fixture
def data(world, publish):
    make(world.desk_a, 12, country="HN", attack=["attack.threat.death"], perps=["perpetrator.state.police"],
         profiles=["profile.indigenous", "profile.womens_rights"], genders=["gender.woman"])
    make(world.desk_a, 7, country="GT", attack=["attack.smear"], perps=["perpetrator.non_state.community"])
    make(world.desk_a, 2, country="SV", attack=["attack.smear"], perps=["perpetrator.non_state.community"])
    make(world.desk_b, 9, country="CD", attack=["attack.physical"], perps=["perpetrator.state.military"])
    make(world.desk_a, 3, country="HN", consent=False)
    publish()
    return world


STAFF_PAGES = ["analytics:regions", "analytics:countries", "analytics:perpetrators", "analytics:attack_types",
               "analytics:profiles", "analytics:trends"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_show_a_table_and_a_chart(client, data, name):
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="chart" role="img"') >= 1
    assert "<table" in html and "<title id=" in html


def test_the_regional_page_gives_exact_counts_and_shares_for_the_desk(client, data):
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    html = client.get(reverse("analytics:regions")).content.decode()
    # desk A only: 24 incidents in Latin America (consent does not matter to staff), none of desk B's Congo
    assert re.search(r"Latin America and the Caribbean</th><td[^>]*>24</td><td[^>]*>100.0</td>", html)
    assert "Africa</th>" not in html


def test_a_coordinator_of_network_a_sees_desk_a_only(client, data):
    sign_in(client, data.users["coordinator"], data.unlocked["coordinator"])
    html = client.get(reverse("analytics:countries")).content.decode()
    assert re.search(r"Honduras</th>", html) and not re.search(r"Congo[^<]*</th>", html)


def test_filters_narrow_the_counts(client, data):
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    html = client.get(reverse("analytics:countries"), {"attack_type": "attack.threat"}).content.decode()
    assert re.search(r"Honduras</th><td[^>]*>12</td>", html)
    assert not re.search(r"Guatemala</th>", html)


def test_a_bad_filter_is_said_not_crashed(client, data):
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    response = client.get(reverse("analytics:regions"), {"grouping": "no-such"})
    assert response.status_code == 200  # the form refuses the choice; the page shows every region


def test_the_public_page_shows_only_suppressed_fixed_tables(client, data):
    html = client.get(reverse("analytics:public")).content.decode()
    assert re.search(r"Honduras</th><td[^>]*>12</td>", html)
    # El Salvador has 2 consented incidents: suppressed; Guatemala (7) is withheld with it, or
    # the region's total would give El Salvador away.
    assert re.search(r"El Salvador</th><td colspan=\"3\">fewer than 5 or withheld", html)
    assert not re.search(r"Salvador</th><td[^>]*>2<", html)
    assert "Filters" not in html


def test_the_public_page_offers_whole_years_only(client, data):
    response = client.get(reverse("analytics:public"), {"year": "2023", "country": "HN"})
    assert response.status_code == 200
    assert re.search(r"Honduras</th><td[^>]*>12</td>", response.content.decode())


def test_a_coordinator_moves_a_country_and_the_regions_follow(client, data):
    sign_in(client, data.users["coordinator"], data.unlocked["coordinator"])
    url = reverse("analytics:grouping", kwargs={"grouping_code": "un-sr"})
    response = client.post(url, {"action": "move", "move-countries": "hn", "move-region": "africa"})
    assert response.status_code == 302
    assert RegionCountry.objects.get(grouping__code="un-sr", country="HN").region.code == "africa"
    assert AuditEntry.objects.filter(action="analytics.countries_moved").exists()
    html = client.get(reverse("analytics:regions")).content.decode()
    assert re.search(r"Africa</th><td[^>]*>15</td>", html)


def test_a_coordinator_makes_a_custom_grouping(client, data):
    sign_in(client, data.users["coordinator"], data.unlocked["coordinator"])
    response = client.post(reverse("analytics:groupings"), {"code": "central-america", "label_en": "Central America"})
    assert response.status_code == 302
    url = reverse("analytics:grouping", kwargs={"grouping_code": "central-america"})
    client.post(url, {"action": "region", "region-code": "north", "region-label_en": "Northern triangle"})
    client.post(url, {"action": "move", "move-countries": "HN GT SV", "move-region": "north"})
    assert Grouping.objects.get(code="central-america").kind == "custom"
    html = client.get(reverse("analytics:regions"), {"grouping": "central-america"}).content.decode()
    assert re.search(r"Northern triangle</th><td[^>]*>24</td>", html)


def test_a_documenter_cannot_edit_groupings(client, data):
    sign_in(client, data.users["documenter_a"], data.unlocked["documenter_a"])
    url = reverse("analytics:grouping", kwargs={"grouping_code": "un-sr"})
    assert client.post(url, {"action": "move", "move-countries": "HN", "move-region": "africa"}).status_code == 403
    assert RegionCountry.objects.get(grouping__code="un-sr", country="HN").region.code == "lac"


def test_the_dashboard_leads_staff_to_the_statistics(client, world):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("analytics:regions") in html and reverse("analytics:groupings") not in html
    client.logout()
    sign_in(client, world.users["defender"])
    assert reverse("analytics:regions") not in client.get(reverse("accounts:dashboard")).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_public_page_on_a_phone_without_javascript(live_server, vocabulary, world, phone_without_js):
    from conftest import screenshot

    ship_groupings()
    make(world.desk_a, 12, country="HN", year=2023, attack=["attack.threat.death"], perps=["perpetrator.state.police"])
    make(world.desk_a, 9, country="CO", year=2023, attack=["attack.smear"], perps=["perpetrator.non_state.community"])
    make(world.desk_a, 8, country="FR", year=2022, attack=["attack.smear"], perps=["perpetrator.unknown"])
    make(world.desk_a, 2, country="SV", year=2023, attack=["attack.smear"])
    refresh_public_tables()
    page = phone_without_js.new_page()
    page.goto(live_server.url + reverse("analytics:public"))
    assert page.locator("svg.chart[role=img]").count() >= 5
    assert page.locator("text=fewer than 5 or withheld").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "analytics-public-no-js")
