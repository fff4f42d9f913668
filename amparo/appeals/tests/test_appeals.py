"""Appeals (issue 10): drafting from a consented incident, four eyes, reference numbers,
stopping, translations and their fallback, prepared letters, updates, outcome and figures."""

from __future__ import annotations

import threading
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.db import connection
from django.utils import timezone

from amparo.appeals import figures, services
from amparo.appeals.models import Appeal, AppealUpdate, ReferenceCounter
from amparo.appeals.views_public import MAILTO_MAX, letters
from amparo.network import services as network
from amparo.network.models import Role
from amparo.registry import services as registry
from amparo.registry.models import Incident
from amparo.vault import services as vault
from amparo.vocabulary.models import Term
from conftest import sign_in

pytestmark = pytest.mark.django_db

TEXT = dict(title="Honduras: threats – a defender", summary="She was threatened after a hearing.",
            background="She defends a river.", concerns="No protection.", actions="Protect her\nInvestigate",
            letter="I ask you to protect her and to investigate.")


def draft(world, *, incident=None, language="en", **more) -> Appeal:
    data = services.AppealData(language=language, country="HN", **{**TEXT, **more})
    appeal = services.draft_appeal(world.users["documenter_a"], world.desk_a, data, incident=incident)
    services.add_addressee(world.users["documenter_a"], appeal, authority="Attorney General",
                           salutation="Dear Attorney General", email="ag@authorities.example")
    return appeal


def approved(world, **more) -> Appeal:
    appeal = draft(world, **more)
    services.submit_for_review(world.users["documenter_a"], appeal)
    return services.approve_appeal(world.users["coordinator"], appeal, unlocked=world.unlocked["coordinator"])


def incident(world, *, consent: bool, narrative: str = "sealed narrative") -> Incident:
    return registry.record_incident(world.users["documenter_a"], world.desk_a, registry.IncidentData(
        narrative=narrative, country="HN", consent_public_appeal=consent))


# --- Drafting -------------------------------------------------------------------------------

def test_it_links_only_an_incident_whose_consent_includes_a_public_appeal(world):
    with pytest.raises(services.AppealRefused, match="consented"):
        draft(world, incident=incident(world, consent=False))
    other = registry.record_incident("system", world.desk_b, registry.IncidentData(
        country="CD", consent_public_appeal=True))
    with pytest.raises(services.AppealRefused, match="another desk"):
        draft(world, incident=other)
    appeal = draft(world, incident=incident(world, consent=True))
    assert appeal.incident is not None and appeal.country == "HN"


def test_the_draft_page_offers_only_consented_incidents_and_refuses_a_forged_one(client, world):
    yes, no = incident(world, consent=True), incident(world, consent=False)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.get(f"/appeals/desk/{world.desk_a.slug}/new/").content.decode()
    assert f'value="{yes.pk}"' in page and f'value="{no.pk}"' not in page
    refused = client.get(f"/appeals/desk/{world.desk_a.slug}/new/?incident={no.pk}").content.decode()
    assert "has not consented" in refused
    response = client.post(f"/appeals/desk/{world.desk_a.slug}/new/", {
        "incident": no.pk, "language": "en", "country": "HN", **TEXT})
    assert response.status_code == 400 and "has not consented" in response.content.decode()
    assert not Appeal.objects.exists()


def test_nothing_sealed_flows_from_the_incident_into_the_appeal(client, world):
    case = incident(world, consent=True, narrative="secret-narrative-words")
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.get(f"/appeals/desk/{world.desk_a.slug}/new/?incident={case.pk}").content.decode()
    assert "secret-narrative-words" not in page
    response = client.post(f"/appeals/desk/{world.desk_a.slug}/new/", {
        "incident": case.pk, "language": "en", "country": "", **TEXT, "submission_key": "k1"})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.country == "HN" and appeal.incident == case
    assert all("secret-narrative" not in str(getattr(appeal.text(), f)) for f in services.TEXT_FIELDS)
    # A double submit stores one draft.
    client.post(f"/appeals/desk/{world.desk_a.slug}/new/", {
        "incident": case.pk, "language": "en", "country": "", **TEXT, "submission_key": "k1"})
    assert Appeal.objects.count() == 1


def test_drafts_are_seen_by_the_desk_and_the_network_only(client, world):
    appeal = draft(world)
    for name, status in [("documenter_a", 200), ("coordinator", 200), ("documenter_b", 404), ("defender", 403)]:
        sign_in(client, world.users[name], world.unlocked[name])
        assert client.get(f"/appeals/{appeal.pk}/").status_code == status, name
    client.logout()
    assert client.get(f"/appeals/p/{appeal.pk}/").status_code == 404


# --- Four eyes and reference numbers --------------------------------------------------------

def test_the_author_cannot_approve_and_a_coordinator_who_wrote_part_cannot_either(client, world):
    appeal = draft(world)
    services.submit_for_review(world.users["documenter_a"], appeal)
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert client.post(f"/appeals/{appeal.pk}/approve/").status_code == 403
    # The coordinator is also a documenter of desk A and translated it: she may not approve.
    coordinator = world.users["coordinator"]
    network.add_membership("system", user=coordinator, role=Role.DOCUMENTER, network=world.network_a,
                           desk=world.desk_a)
    services.translate_appeal(coordinator, appeal, "es", {**TEXT, "title": "Honduras: amenazas"})
    with pytest.raises(services.AppealRefused, match="another coordinator"):
        services.approve_appeal(coordinator, appeal, unlocked=world.unlocked["coordinator"])
    second = network.add_membership("system", user=world.users["outsider"], role=Role.COORDINATOR,
                                    network=world.network_a).user
    vault.complete_pending_grants(world.unlocked["coordinator"])  # the keys handed over at her request
    done = services.approve_appeal(second, appeal, unlocked=world.unlocked["outsider"])
    assert done.status == Appeal.Status.APPROVED and done.approved_by == second


def test_a_coordinator_of_another_network_cannot_approve(world):
    appeal = draft(world)
    services.submit_for_review(world.users["documenter_a"], appeal)
    other = network.add_membership("system", user=world.users["outsider"], role=Role.COORDINATOR,
                                   network=world.network_b).user
    with pytest.raises(services.AppealRefused):
        services.approve_appeal(other, appeal, unlocked=world.unlocked["outsider"])


def test_references_are_a_yearly_sequence_per_network(world):
    year = timezone.now().year
    first, second = approved(world), approved(world)
    assert (first.reference, second.reference) == (f"UA-{year}-001", f"UA-{year}-002")
    assert services.next_reference(world.network_b, year) == f"UA-{year}-001"
    assert services.next_reference(world.network_a, year + 1) == f"UA-{year + 1}-001"


@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_when_approvals_race(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race is real on PostgreSQL")
    from django.db import connections

    year, found, errors = 2031, [], []
    barrier = threading.Barrier(8)

    def take() -> None:
        try:
            barrier.wait()
            found.append(services.next_reference(world.network_a, year))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(found) == [f"UA-{year}-{n:03d}" for n in range(1, 9)]
    assert ReferenceCounter.objects.get(network=world.network_a, year=year).last == 8


def test_a_coordinator_stops_an_appeal_at_any_point(client, world):
    appeal = approved(world)
    assert client.get(f"/appeals/p/{appeal.pk}/").status_code == 200
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    assert client.post(f"/appeals/{appeal.pk}/stop/").status_code == 302
    client.logout()
    assert client.get(f"/appeals/p/{appeal.pk}/").status_code == 404
    assert appeal.reference not in client.get("/appeals/feed/en/").content.decode()
    appeal.refresh_from_db()
    assert appeal.stopped_at is not None and not appeal.published
    with pytest.raises(services.AppealRefused):
        services.add_update(world.users["documenter_a"], appeal, title="t", body="b")


# --- Translations and letters ---------------------------------------------------------------

def test_the_public_page_falls_back_to_the_original_and_says_so(client, world):
    appeal = approved(world)
    page = client.get(f"/appeals/p/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Español" in page and "English" in page and TEXT["title"] in page and 'lang="en"' in page
    services.translate_appeal(world.users["documenter_a"], appeal, "es", {
        **TEXT, "title": "Honduras: amenazas – una defensora", "letter": "Le pido que la proteja."})
    page = client.get(f"/appeals/p/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Honduras: amenazas – una defensora" in page and "Le pido que la proteja." in page
    assert 'role="note"' not in page
    english = client.get(f"/appeals/p/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert TEXT["title"] in english


def test_a_prepared_letter_has_the_salutation_a_copyable_text_and_a_bounded_mailto(client, world):
    appeal = approved(world)
    [letter] = letters(appeal, appeal.text())
    assert letter.text.startswith("Dear Attorney General\n\n" + TEXT["letter"])
    assert letter.mailto.startswith("mailto:ag@authorities.example?subject=")
    assert " " not in letter.mailto and "Dear Attorney General" in unquote(letter.mailto)
    page = client.get(f"/appeals/p/{appeal.pk}/").content.decode()
    assert "<textarea" in page and "readonly" in page
    long = approved(world, letter="word " * 2000)
    [letter] = letters(long, long.text())
    assert len(letter.mailto) <= MAILTO_MAX and "body=" not in letter.mailto
    assert letter.text.endswith("word")


# --- Updates, responses, outcome, figures ---------------------------------------------------

def test_updates_are_approved_by_another_and_can_be_stopped(client, world):
    appeal = approved(world)
    update = services.add_update(world.users["documenter_a"], appeal, title="Released", body="She was released.")
    assert update.status == AppealUpdate.Status.DRAFT
    assert "She was released." not in client.get(f"/appeals/p/{appeal.pk}/").content.decode()
    services.approve_update(world.users["coordinator"], update, unlocked=world.unlocked["coordinator"])
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPDATED
    assert "She was released." in client.get(f"/appeals/p/{appeal.pk}/").content.decode()
    services.stop_update(world.users["coordinator"], update)
    assert "She was released." not in client.get(f"/appeals/p/{appeal.pk}/").content.decode()


def test_closing_needs_an_outcome_from_the_vocabulary(client, world, outcomes):
    appeal = approved(world)
    theme = Term.objects.filter(kind=Term.Kind.THEME).first()
    with pytest.raises(services.AppealRefused):
        services.close_appeal(world.users["documenter_a"], appeal, outcome=theme, outcome_on=timezone.localdate())
    released = Term.objects.get(code="outcome.favourable.released")
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    response = client.post(f"/appeals/{appeal.pk}/close/", {"outcome": released.pk, "outcome_on": "2026-11-20"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.CLOSED and appeal.outcome == released
    assert client.post(f"/appeals/{appeal.pk}/responses/", {
        "kind": "reply", "received_on": "2026-11-18", "source": "Attorney General", "note": "We investigate."
    }).status_code == 302
    assert "We investigate." in client.get(f"/appeals/{appeal.pk}/").content.decode()
    client.logout()
    assert "closed" in client.get(f"/appeals/p/{appeal.pk}/").content.decode()


def test_figures_across_appeals_are_counted_in_the_database(client, world, outcomes):
    threat = Term.objects.get(code="attack.threat.death")
    cases = []
    for hours in (10, 20, 30):
        case = incident(world, consent=True)
        case.attack_types.set([threat])
        Incident.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(hours=hours))
        cases.append(case)
    appeals = [approved(world, incident=c) for c in cases]
    favourable = Term.objects.get(code="outcome.favourable.released")
    none = Term.objects.get(code="outcome.no_response")
    services.close_appeal(world.users["documenter_a"], appeals[0], outcome=favourable, outcome_on=timezone.localdate())
    services.close_appeal(world.users["documenter_a"], appeals[1], outcome=none, outcome_on=timezone.localdate())
    services.mark_circulated(appeals[2])
    for n in range(3):
        services.record_action(appeals[2], kind="letter", country="FR", submission_key=f"k{n}")
    found = figures.network_figures(Appeal.objects.filter(network=world.network_a))
    assert abs(found.to_approval.total_seconds() - 20 * 3600) < 120
    assert abs(found.to_circulation.total_seconds() - 30 * 3600) < 120
    assert found.actions == 3 and found.per_appeal[0] == (appeals[2], 3)
    [by_country] = found.by_country
    assert (by_country.closed, by_country.favourable, by_country.percent) == (2, 1, 50)
    [by_attack] = found.by_attack
    assert by_attack.label == threat.label() and by_attack.closed == 2
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get("/appeals/figures/").content.decode()
    assert "20 hours" in page and "50" in page


def test_an_update_is_translated_and_read_in_her_language(client, world):
    appeal = approved(world)
    update = services.add_update(world.users["documenter_a"], appeal, title="Released", body="She was released.")
    services.approve_update(world.users["coordinator"], update, unlocked=world.unlocked["coordinator"])
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert f"/appeals/updates/{update.pk}/translate/es/" in client.get(f"/appeals/{appeal.pk}/").content.decode()
    response = client.post(f"/appeals/updates/{update.pk}/translate/es/", {"title": "Liberada",
                                                                           "body": "Fue liberada ayer."})
    assert response.status_code == 302
    client.logout()
    assert "Fue liberada ayer." in client.get(f"/appeals/p/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "She was released." in client.get(f"/appeals/p/{appeal.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
