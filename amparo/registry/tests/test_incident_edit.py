"""Editing a case as the desk does it: the edit page as rendered, changed like a person changes
it, sent, and the case page shows it (issue 15: the edit page saved nothing and said nothing)."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import translation

from amparo.registry import services
from amparo.registry.models import Defender, Incident
from amparo.tests.formparse import forms_of
from amparo.vocabulary.models import Term
from conftest import sign_in


def _edit_form(client: Client, incident: Incident) -> list[tuple[str, str]]:
    page = client.get(f"/registry/incidents/{incident.pk}/edit/")
    assert page.status_code == 200
    form = [f for f in forms_of(page.content.decode()) if "narrative" in f.rendered_names()][0]
    return form.data()


def _recorded(world) -> Incident:
    defender = services.create_defender(world.users["documenter_a"], world.desk_a, name="Marta Quispe",
                                        kind=Defender.Kind.INDIVIDUAL, unlocked=world.unlocked["documenter_a"])
    return services.record_incident(world.users["documenter_a"], world.desk_a, services.IncidentData(
        narrative="Armed men came at night.", country="HN", occurred_on=datetime.date(2026, 10, 14)),
        defenders=[defender])


def test_it_saves_every_part_of_an_edited_case(world, vocabulary):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    incident = _recorded(world)
    death, raid = (Term.objects.get(code=c) for c in ("attack.threat.death", "attack.raid.premises"))
    police = Term.objects.get(code="perpetrator.state.police")
    risk = Term.objects.filter(kind=Term.Kind.RISK_FACTOR, retired_at__isnull=True).order_by("code").first()
    profile = Term.objects.get(code="profile.indigenous")
    assert risk is not None

    sent = dict(_edit_form(client, incident))
    assert sent["narrative"] == "Armed men came at night." and sent["occurred_on"] == "2026-10-14"
    changed = {"narrative": "Armed men came at night, twice.", "occurred_on": "2026-09-01",
               "date_precision": "month", "country": "HN", "subdivision": "hn-fm", "locality": "Tegucigalpa",
               "reported_to_authorities": "yes", "reported_on": "2026-10-20", "reported_to": "Fiscalía",
               "justice": "investigation", "consent_statistics": "on", "consent_un": "on"}
    pairs = [(k, v) for k, v in _edit_form(client, incident) if k not in changed]
    pairs += list(changed.items()) + [("attack_types", str(death.pk)), ("attack_types", str(raid.pk)),
                                      ("perpetrators", str(police.pk)), ("risk_factors", str(risk.pk)),
                                      ("profiles", str(profile.pk))]
    from urllib.parse import urlencode

    response = client.post(f"/registry/incidents/{incident.pk}/edit/", urlencode(pairs),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/registry/incidents/{incident.pk}/"

    incident.refresh_from_db()
    assert set(incident.attack_types.all()) == {death, raid}
    assert list(incident.perpetrators.all()) == [police]
    assert list(incident.risk_factors.all()) == [risk] and list(incident.profiles.all()) == [profile]
    assert (incident.occurred_on, incident.date_precision) == (datetime.date(2026, 9, 1), "month")
    assert (incident.country, incident.subdivision) == ("HN", "HN-FM")
    assert (incident.reported_to_authorities, incident.reported_on, incident.justice) == (
        "yes", datetime.date(2026, 10, 20), "investigation")
    # Where it was reported is sealed to the desk: it is read through the desk's key.
    assert services.open_incident(world.unlocked["documenter_a"], incident)["reported_to"] == "Fiscalía"
    assert (incident.consent_statistics, incident.consent_public_appeal, incident.consent_un) == (True, False, True)
    assert services.open_incident(world.unlocked["documenter_a"], incident)["locality"] == "Tegucigalpa"
    assert incident.defenders.count() == 1  # her name stays with the case

    page = client.get(response["Location"]).content.decode()
    for shown in ("Armed men came at night, twice.", death.label(), raid.label(), police.label(), "Tegucigalpa",
                  "Fiscalía", "Marta Quispe"):
        assert shown in page

    # Opened again, the edit page shows what was saved, and saving it unchanged keeps it.
    again = dict(_edit_form(client, incident))
    assert again["locality"] == "Tegucigalpa" and again["justice"] == "investigation"
    assert {v for k, v in _edit_form(client, incident) if k == "attack_types"} == {str(death.pk), str(raid.pk)}
    assert client.post(f"/registry/incidents/{incident.pk}/edit/", urlencode(_edit_form(client, incident)),
                       content_type="application/x-www-form-urlencoded").status_code == 302
    assert set(incident.attack_types.all()) == {death, raid}


def test_it_shows_dates_as_iso_values_in_every_language(world):
    """<input type=date> takes only YYYY-MM-DD: a localised value (14/10/2026) shows an empty box."""
    client = Client()
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    incident = _recorded(world)
    with translation.override("es"):
        client.cookies["django_language"] = "es"
        sent = dict(_edit_form(client, incident))
    assert sent["occurred_on"] == "2026-10-14"


def test_the_history_says_what_happened_in_words(client, world):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    incident = _recorded(world)
    services.update_incident(world.users["documenter_a"], incident, services.IncidentData(narrative="more"))
    assert client.post(f"/registry/incidents/{incident.pk}/status/", {"status": "verified"}).status_code == 302
    page = client.get(f"/registry/incidents/{incident.pk}/").content.decode()
    history = page[page.index("<h2>History</h2>"):]
    assert "Recorded" in history and "Edited" in history and "Status: Verified" in history
    assert "incident." not in history


def test_every_action_on_an_incident_has_words():
    """A new audit action on incidents needs its words in registry/history.py."""
    import re
    from pathlib import Path

    from amparo.registry import history
    from amparo.registry.actions import Action

    root = Path(history.__file__).parent
    written = {Action[name].value for path in root.rglob("*.py") if "tests" not in path.parts
               for name in re.findall(r'record_audit\([^,]+,\s*Action\.([A-Z_]+)\b', path.read_text())}
    written = {code for code in written if code.startswith("incident.")}
    assert written and not written - set(history.WORDS), written - set(history.WORDS)
