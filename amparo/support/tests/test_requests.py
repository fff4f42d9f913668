"""Requests sealed to the reviewers and to her; the documenter files for her without being a
reader; decisions with their rules and four eyes; the conversation; the directory's CSV."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amparo.registry import services as registry
from amparo.registry.models import AnonymousReceipt, Incident
from amparo.registry.services import intake
from amparo.support import sealing, services
from amparo.support.models import Fund, SupportMessage, SupportRequest
from amparo.vault.errors import NotAReader


def _member_request(world, **more) -> SupportRequest:
    defender = world.users["defender"]
    asker = services.Asker(actor=defender, channel=SupportRequest.Channel.MEMBER, network=world.network_a,
                           requester=defender)
    data = dict(kind="relocation", amount=Decimal(3000), currency="USD", country="HN",
                details={"destination": "a safe city"}) | more
    return services.make_request(asker, services.RequestData(**data))


def test_her_request_goes_to_the_coalitions_reviewers_sealed_to_them_and_to_her(world):
    request = _member_request(world)
    assert request.network == world.coalition and request.desk == world.desk_a
    assert request.due_at - request.created_at < __import__("datetime").timedelta(hours=72, seconds=5)
    assert sealing.open_details(world.unlocked["fund_reviewer"], request)["destination"] == "a safe city"
    assert sealing.open_details(world.unlocked["defender"], request)["destination"] == "a safe city"
    for outsider in ("documenter_a", "coordinator", "ict_expert"):
        with pytest.raises(NotAReader):
            sealing.open_details(world.unlocked[outsider], request)


def test_a_documenter_files_for_an_anonymous_reporter_and_cannot_read_it_back(world):
    receipt, binding = intake.issue_receipt("es")
    incident = intake.submit_anonymous_report(receipt, binding, registry.IncidentData(narrative="x", country="HN"))
    stored = AnonymousReceipt.objects.get(incident=incident)
    asker = services.Asker(actor=world.users["documenter_a"], channel=SupportRequest.Channel.DOCUMENTER,
                           network=world.network_a, desk=world.desk_a, receipt=stored,
                           filed_by=world.users["documenter_a"])
    request = services.make_request(asker, services.RequestData(kind="legal", details={"what_happened": "court"},
                                                                incidents=[incident]))
    with pytest.raises(NotAReader):
        sealing.open_details(world.unlocked["documenter_a"], request)
    keys = intake.receipt_keys(receipt)  # her words as issued (full words, no accents)
    assert sealing.open_details_with_receipt(keys.private_key, request)["what_happened"] == "court"
    assert list(request.incidents.all()) == [incident]


def test_digital_help_is_handed_to_the_help_desk(world):
    assert _member_request(world, kind="digital").status == SupportRequest.Status.HELP_DESK


def test_decisions_partly_four_eyes_and_refusals(world, settings):
    reviewer = world.users["fund_reviewer"]
    request = _member_request(world)
    with pytest.raises(services.DecisionRefused):
        services.decide(reviewer, request, outcome="partly", amount=Decimal(3000))
    with pytest.raises(services.DecisionRefused):
        services.decide(reviewer, request, outcome="declined")
    with pytest.raises(services.DecisionRefused):
        services.decide(world.users["documenter_a"], request, outcome="approved", amount=Decimal(10))
    decision = services.decide(reviewer, request, outcome="partly", amount=Decimal(2000), note="part of it")
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.PARTLY and request.decided_at is not None
    assert sealing.open_note(world.unlocked["defender"], decision) == "part of it"

    big = _member_request(world, amount=Decimal(9000))
    decision = services.decide(reviewer, big, outcome="approved", amount=Decimal(9000))
    big.refresh_from_db()
    assert big.status == SupportRequest.Status.CONFIRMING
    with pytest.raises(services.DecisionRefused):
        services.confirm(reviewer, decision)  # not her own
    assert services.needs_second_reviewer(Decimal(1), "HNL")  # no threshold set: always two people


def test_her_answer_to_a_question_puts_the_request_back_in_the_queue(world):
    request = _member_request(world)
    services.decide(world.users["fund_reviewer"], request, outcome="more_info", note="which city?")
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.MORE_INFO
    message = services.add_message(world.users["defender"], request, "Tegucigalpa",
                                   author=SupportMessage.Author.REQUESTER)
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.WAITING
    assert sealing.open_message(world.unlocked["fund_reviewer"], message) == "Tegucigalpa"


def test_the_directory_goes_out_and_back_in_as_csv_without_its_private_contact(world):
    coordinator = world.users["coordinator"]
    services.add_demo_funds(world.network_a)
    assert len(services.add_demo_funds(world.network_a)) == 0  # twice: nothing more
    text = services.export_funds(coordinator, world.network_a)
    assert "Example: Rapid Response Fund" in text and "funds@example.org" not in text
    Fund.objects.filter(network=world.network_a).update(decision_hours=1)
    assert services.import_funds(coordinator, world.network_a, text) == 5
    assert set(Fund.objects.filter(network=world.network_a).values_list("decision_hours", flat=True)) != {1}
    assert Fund.objects.filter(network=world.network_a).count() == 5
    with pytest.raises(services.ImportRefused):
        services.import_funds(coordinator, world.network_a, "name,covers\nX,teleportation\n")


def test_prefill_from_her_report(world):
    from amparo.support.views import prefill

    incident = Incident(country="HN", safe_now=Incident.Safety.NO)
    assert prefill(incident, "a lawyer") == {"country": "HN", "help_wanted": "a lawyer", "kind": "relocation",
                                             "urgency": "critical"}
    incident.safe_now = Incident.Safety.YES
    assert "kind" not in prefill(incident)


def test_from_her_reports_conversation_straight_to_her_support_page(client, world):
    """The registry keeps her key at its own short-lived address; support takes it from there."""
    from amparo.vault import short_lived

    receipt, binding = intake.issue_receipt("es")
    opened = intake.submit_and_open(receipt, binding, registry.IncidentData(narrative="x", country="HN"))
    Incident.objects.filter(pk=opened.incident.pk).update(safe_now=Incident.Safety.UNSURE)
    session = client.session
    token = short_lived.open_page(session, opened.incident.pk, opened.keys.private_key + receipt.encode())
    session.save()
    response = client.get(f"/support/from-report/{token}/")
    assert response.status_code == 303 and response["Location"].startswith("/support/r/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'value="relocation" required id="id_kind_1" checked' in page.content.decode() or \
        page.context["form"].initial["kind"] == "relocation"
    assert client.get("/support/from-report/made-up/").status_code == 404
