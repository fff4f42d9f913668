"""Her pages lead on to help: a report that says "not safe" (or asks for help) offers emergency
support first and the help desk beside it, and the link takes her into support without typing
her words again; her own report names the incident; the desk files on her behalf."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from amparo.registry.models import Incident
from amparo.registry.tests.test_intake import issued
from conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_not_safe_leads_her_from_her_report_into_support(client, world):
    receipt, binding = issued(client, "es")
    page = client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN", "safe_now": "no",
                               "narrative": "me siguieron"}, follow=True, HTTP_ACCEPT_LANGUAGE="es")
    html = page.content.decode()
    assert "Dijiste que quizá no estás a salvo" in html
    link = re.search(r'href="(/support/from-report/[^"]+/)"', html)
    assert link, html[:2000]
    assert Incident.objects.get().safe_now == "no"
    onward = client.get(link.group(1))
    assert onward.status_code == 303 and onward["Location"].startswith("/support/r/")
    assert client.get(onward["Location"], HTTP_ACCEPT_LANGUAGE="es").status_code == 200
    assert 'href="/helpdesk/ask/"' in html


def test_a_safe_report_still_offers_help_quietly(client, world):
    receipt, binding = issued(client)
    html = client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN", "safe_now": "yes",
                               "narrative": "a threat"}, follow=True).content.decode()
    assert "If you need it, you can ask the network for emergency support" in html
    assert "You said you may not be safe" not in html


def test_her_own_report_and_the_case_page_name_the_incident(client, world):
    from amparo.registry import services as registry

    incident = registry.record_incident(world.users["defender"], world.desk_a,
                                        registry.IncidentData(country="HN", narrative="x", safe_now="unsure"),
                                        channel=Incident.Channel.DEFENDER, reporter=world.users["defender"])
    sign_in(client, world.users["defender"], world.unlocked["defender"])
    html = client.post("/registry/my-reports/open/", {"incident": incident.pk}, follow=True).content.decode()
    assert f'href="/support/new/?incident={incident.pk}"' in html and "You said you may not be safe" in html
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    html = client.get(f"/registry/incidents/{incident.pk}/").content.decode()
    assert f'href="/support/incident/{incident.pk}/new/"' in html
