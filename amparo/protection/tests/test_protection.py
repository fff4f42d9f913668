"""Risk, plans, check-ins and justice follow-up through the pages, as documenter_a, with
documenter_b (another desk) refused."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from amparo.appeals.tests.circulation_support import FakeGateway
from amparo.core import sms
from amparo.protection import risk, services, tasks
from amparo.protection.models import CheckInSchedule, MissedCheckIn, RiskAssessment
from amparo.registry import services as registry
from amparo.registry.models import Incident
from conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    author = world.users["documenter_a"]
    defender = registry.create_defender(author, world.desk_a, name="Berta (test)")
    incident = registry.record_incident(author, world.desk_a, registry.IncidentData(
        narrative="Amenazas", country="HN", consent_un=True), defenders=[defender])
    return defender, incident


def _rows(**values: str) -> dict[str, str]:
    rows = {f"{kind}_{n}_rating": "3" for kind in ("threats", "vulnerabilities", "capacities") for n in range(3)}
    return {**rows, **values}


def test_it_computes_risk_as_threats_times_vulnerabilities_over_capacities():
    items = [{"kind": "threats", "text": "a", "rating": 5}, {"kind": "threats", "text": "b", "rating": 3},
             {"kind": "vulnerabilities", "text": "c", "rating": 4}, {"kind": "capacities", "text": "d", "rating": 2}]
    scores = risk.score(items)
    assert (scores.threats, scores.vulnerabilities, scores.capacities) == (Decimal(4), Decimal(4), Decimal(2))
    assert scores.risk == Decimal(8) and scores.band == "high"
    words = risk.explain(scores, items)
    assert "4.00 × 4.00 ÷ 2.00 = 8.00" in words and "high" in words


def test_a_documenter_assesses_and_reassesses_and_sees_what_changed(client, world, case):
    defender, incident = case
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    url = f"/protection/defenders/{defender.pk}/assess/"
    refused = client.post(url, _rows(threats_0_text="Amenazas"))
    assert refused.status_code == 400 and "threats_0_text" not in refused.context["form"].errors
    assert refused.context["form"].errors["vulnerabilities_0_text"]
    assert 'value="Amenazas"' in refused.content.decode()  # what she typed comes back
    first = client.post(url, _rows(threats_0_text="Amenazas de muerte", threats_0_rating="5",
                                   threats_0_incident=str(incident.pk), vulnerabilities_0_text="Vive sola",
                                   capacities_0_text="Red de apoyo", capacities_0_rating="1"))
    assert first.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert assessment.risk == Decimal(15) and list(assessment.incidents.all()) == [incident]
    assert "Amenazas" not in bytes(assessment.content).decode("latin-1")
    # The reassessment starts from the last rows, and needs a reason.
    page = client.get(url).content.decode()
    assert 'value="Amenazas de muerte"' in page and "id_reason" in page
    second = client.post(url, _rows(threats_0_text="Amenazas de muerte", threats_0_rating="5",
                                    vulnerabilities_0_text="Vive sola", capacities_0_text="Red de apoyo",
                                    capacities_0_rating="3", capacities_1_text="Abogada", capacities_1_rating="5"))
    assert second.status_code == 400 and second.context["form"].errors["reason"]
    second = client.post(url, _rows(threats_0_text="Amenazas de muerte", threats_0_rating="5",
                                    vulnerabilities_0_text="Vive sola", capacities_0_text="Red de apoyo",
                                    capacities_0_rating="3", capacities_1_text="Abogada", capacities_1_rating="5",
                                    reason="Una abogada la acompaña ahora"))
    assert second.status_code == 302
    newest = RiskAssessment.objects.first()
    assert newest.previous == assessment and newest.risk == Decimal("3.75")
    page = client.get(second["Location"]).content.decode()
    assert "Una abogada la acompaña ahora" in page and "15.00 → 3.75" in page and "New: Abogada" in page
    # Another desk's documenter does not learn it exists.
    sign_in(client, world.users["documenter_b"], world.unlocked["documenter_b"])
    assert client.get(second["Location"]).status_code == 404
    assert client.get(url).status_code == 404


def test_a_plan_holds_measures_and_an_emergency_checklist(client, world, case):
    defender, _incident = case
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    base = f"/protection/defenders/{defender.pk}/plan/"
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert client.post(base + "measures/", {"kind": "threats", "text": "Denuncia", "owner": "Abogada",
                                            "due_on": yesterday}).status_code == 302
    refused = client.post(base + "measures/", {"kind": "threats", "text": "", "owner": "Ana"})
    assert refused.status_code == 400 and 'value="Ana"' in refused.content.decode()
    assert client.post(base + "protocols/", {"kind": "detention", "steps": ""}).status_code == 302
    plan = defender.protection_plan
    protocol = plan.protocols.get()
    page = client.get(base).content.decode()
    assert "overdue" in page and "The safety contact calls the lawyer" in page
    assert client.post(f"/protection/protocols/{protocol.pk}/", {"done": ["0", "2"]}).status_code == 302
    from amparo.protection import sealing
    steps = sealing.open_steps(world.unlocked["documenter_a"], protocol.__class__.objects.get(pk=protocol.pk))
    assert [s["done"] for s in steps] == [True, False, True, False]
    measure = plan.measures.get()
    assert client.post(f"/protection/measures/{measure.pk}/done/").status_code == 302
    measure.refresh_from_db()
    assert measure.done_on == timezone.localdate()


@pytest.fixture
def gateway(settings):
    fake = FakeGateway().start()
    settings.AMPARO_SMS_URL, settings.AMPARO_SMS_ACCOUNT = fake.url, "AC123"
    settings.AMPARO_SMS_TOKEN, settings.AMPARO_SMS_FROM = "secret-token", "+15550001111"
    yield fake
    sms.close_gateway()
    fake.stop()


def test_a_missed_check_in_alerts_the_desk_once_by_email_and_sms(client, world, case, smtp_server, gateway,
                                                                  monkeypatch):
    defender, _incident = case
    world.users["documenter_a"].email = "doc-a@desks.example"
    world.users["documenter_a"].save()
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    response = client.post(f"/protection/defenders/{defender.pk}/check-ins/", {
        "contact_name": "Hermana", "contact_phone": "+50499998888", "contact_email": "hermana@contacts.example",
        "contact_language": "es", "every_hours": "12", "grace_minutes": "60", "first_due_in_hours": "12"})
    assert response.status_code == 302
    schedule = CheckInSchedule.objects.get()
    due = schedule.next_due_at
    assert b"+50499998888" not in bytes(schedule.contact_phone)
    # Within the grace period: nothing.
    assert services.alert_missed_check_ins(now=due + timedelta(minutes=59)) == 0
    # The clock stands still after the grace period; the job runs twice, as a worker may.
    frozen = due + timedelta(minutes=61)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    assert tasks.alert_missed_check_ins() == 1
    assert tasks.alert_missed_check_ins() == 0
    miss = MissedCheckIn.objects.get()
    assert (miss.emails_sent, miss.sms_sent) == (2, 1)
    to = sorted(r for m in smtp_server for r in m.recipients)
    assert to == ["doc-a@desks.example", "hermana@contacts.example"]
    assert all("Berta" not in m.body for m in smtp_server)
    (text,) = gateway.requests
    assert text.form["To"] == "+50499998888" and "P-" in text.form["Body"] and "Berta" not in text.form["Body"]
    # The page shows the miss; she checks in, the miss is resolved, the next one is due later.
    monkeypatch.undo()
    page = client.get(f"/protection/defenders/{defender.pk}/check-ins/").content.decode()
    assert "alert sent (2 e-mails, 1 SMS)" in page
    assert client.post(f"/protection/check-ins/{schedule.pk}/done/").status_code == 302
    schedule.refresh_from_db()
    assert schedule.next_due_at > timezone.now() + timedelta(hours=11)
    assert MissedCheckIn.objects.get().resolved_at is not None
    assert services.alert_missed_check_ins(now=timezone.now() + timedelta(hours=1)) == 0


def test_without_a_gateway_the_alert_is_email_only_and_the_page_says_so(client, world, case, settings, smtp_server):
    settings.AMPARO_SMS_URL = ""
    defender, _incident = case
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert "alerts go by e-mail only" in client.get(f"/protection/defenders/{defender.pk}/check-ins/"
                                                    ).content.decode()
    now = timezone.now()
    schedule = services.schedule_check_ins(
        world.users["documenter_a"], defender, contact_name="H", contact_phone="+50411112222", contact_email="",
        contact_language="es", every_hours=12, grace_minutes=0, first_due_at=now)
    assert services.alert_missed_check_ins(now=now + timedelta(minutes=1)) == 1
    assert MissedCheckIn.objects.get(schedule=schedule).sms_sent == 0


def test_she_checks_in_with_one_tap(client, world):
    defender = registry.create_defender(world.users["documenter_a"], world.desk_a, name="Ella",
                                        account=world.users["defender"])
    schedule = services.schedule_check_ins(
        world.users["documenter_a"], defender, contact_name="H", contact_phone="", contact_email="h@contacts.example",
        contact_language="es", every_hours=6, grace_minutes=30, first_due_at=timezone.now())
    sign_in(client, world.users["defender"], world.unlocked["defender"])
    page = client.get("/protection/my-check-ins/").content.decode()
    assert f"/protection/my-check-ins/{schedule.pk}/" in page
    assert client.post(f"/protection/my-check-ins/{schedule.pk}/").status_code == 302
    assert schedule.check_ins.get().channel == "defender"


def test_a_complaint_feeds_the_incidents_justice_figures(client, world, case):
    _defender, incident = case
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    url = f"/protection/incidents/{incident.pk}/justice/"
    assert client.post(url, {"authority": "Fiscalía de DDHH", "filed_on": "2026-10-01", "case_number": "0801-2026",
                             "stage": "investigation", "notes": "La hicieron esperar seis horas"}).status_code == 302
    incident.refresh_from_db()
    assert incident.reported_to_authorities == Incident.Reported.YES and incident.justice == "investigation"
    assert incident.reported_on.isoformat() == "2026-10-01"
    complaint = incident.complaints.get()
    assert client.post(f"/protection/complaints/{complaint.pk}/stage/", {"stage": "charges"}).status_code == 302
    incident.refresh_from_db()
    assert incident.justice == "charges"
    page = client.get(url).content.decode()
    assert "0801-2026" in page and "La hicieron esperar seis horas" in page


def test_load_demo_adds_an_assessment_for_a_demo_case(world, vocabulary):
    from amparo.network.models import Desk

    call_command("load_demo", stdout=io.StringIO())
    assert Desk.objects.filter(slug="honduras").exists()
    demo = Incident.objects.get(submission_key="demo-1")
    assert RiskAssessment.objects.filter(defender__in=demo.defenders.all()).count() == 1
    call_command("load_demo_protection", stdout=io.StringIO())
    assert RiskAssessment.objects.filter(defender__in=demo.defenders.all()).count() == 1
