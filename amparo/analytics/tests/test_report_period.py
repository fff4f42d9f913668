"""The report form's default period covers the data she may report on (issue 15, point 7): a
report asked for as the page offers it leaves no incident out."""

from __future__ import annotations

import datetime

from amparo.analytics.tests.stats_data import make, ship_groupings
from amparo.tests.formparse import forms_of
from conftest import sign_in


def _offered_period(client) -> tuple[str, str]:
    page = client.get("/analytics/reports/")
    assert page.status_code == 200
    form = [f for f in forms_of(page.content.decode()) if "date_from" in f.rendered_names()][0]
    sent = dict(form.data())
    return sent["date_from"], sent["date_to"]


def test_it_offers_a_period_from_the_first_incident_to_today(client, world):
    ship_groupings()
    make(world.desk_a, 3, country="HN", year=2019, month=5)
    make(world.desk_a, 2, country="HN", year=2026, month=10)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    first, last = _offered_period(client)
    assert first == "2019-01-01"
    assert last >= max(datetime.date.today().isoformat(), "2026-10-01")  # noqa: DTZ011 - a calendar date


def test_without_data_it_offers_the_last_twelve_months(client, world):
    ship_groupings()
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    first, last = _offered_period(client)
    today = datetime.date.today()  # noqa: DTZ011 - a calendar date
    assert (first, last) == ((today - datetime.timedelta(days=365)).isoformat(), today.isoformat())
