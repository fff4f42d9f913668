"""The protection rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

from typing import Any

from amparo.core.tests.pages import Page
from amparo.tests.tables import DEFENDER_ONLY, DESK_A_CASES, LOGIN, Row, signed_in

# A case's protection pages are for its desk's documenters: another desk's get 404, roles that
# never document get 403 (a coordinator holds no desk key).
CASE = DESK_A_CASES
POSTED = {**DESK_A_CASES, "documenter_a": 302}
REFUSED_EMPTY = {**DESK_A_CASES, "documenter_a": 400}
STAFF = dict(defender=403, documenter_a=200, documenter_b=200, coordinator=200, supporter=403, outsider=403,
             fund_reviewer=403, ict_expert=403)

AUTHORIZATION: dict[str, Row] = {
    "protection:index": signed_in("GET", LOGIN, **CASE),
    "protection:figures": signed_in("GET", LOGIN, **STAFF),
    "protection:defender": signed_in("GET", LOGIN, **CASE),
    "protection:assess": signed_in("GET", LOGIN, **CASE),
    "protection:assessment": signed_in("GET", LOGIN, **CASE),
    "protection:plan": signed_in("GET", LOGIN, **CASE),
    # An empty form: refused with the plan page and its errors (400).
    "protection:measure_add": signed_in("POST", LOGIN, **REFUSED_EMPTY),
    "protection:measure_done": signed_in("POST", LOGIN, **POSTED),
    "protection:protocol_add": signed_in("POST", LOGIN, **REFUSED_EMPTY),
    "protection:protocol_tick": signed_in("POST", LOGIN, **POSTED),
    "protection:check_ins": signed_in("GET", LOGIN, **CASE),
    "protection:check_in": signed_in("POST", LOGIN, **POSTED),
    "protection:check_in_stop": signed_in("POST", LOGIN, **POSTED),
    "protection:my_check_ins": signed_in("GET", LOGIN, **DEFENDER_ONLY),
    "protection:my_check_in": signed_in("POST", LOGIN, **{**DEFENDER_ONLY, "defender": 302}),
    "protection:justice": signed_in("GET", LOGIN, **CASE),
    "protection:complaint_stage": signed_in("POST", LOGIN, **POSTED),
    # The table's incident has no consent to the UN: the page says so and offers no form (409).
    "protection:un_new": signed_in("GET", LOGIN, **{**CASE, "documenter_a": 409}),
    "protection:un": signed_in("GET", LOGIN, **CASE),
    "protection:un_sent": signed_in("POST", LOGIN, **POSTED),
    "protection:un_reply": signed_in("POST", LOGIN, **POSTED),
    "protection:un_file": signed_in("GET", LOGIN, **CASE),
}

ELEMENTS = dict(submitter="Red Nacional", victim_name="Defensora T", victim_age="34", victim_sex="mujer",
                victim_residence="Tegucigalpa", date="2026-09-03", place="Tegucigalpa, Honduras",
                account="Amenazas de muerte tras una audiencia.", perpetrators="Policía",
                authorities="Denuncia ante la Fiscalía, sin respuesta.", confidential="El nombre de quien envía.")


def make_case(world: Any) -> dict[str, Any]:
    """A defender of desk A (her account: the standing defender) with an incident consented to
    the UN, an assessment, a plan, a check-in schedule, a complaint and a communication; made
    once per database."""
    from datetime import timedelta

    from django.utils import timezone

    from amparo.protection import services
    from amparo.protection.models import UnCommunication
    from amparo.registry import services as registry
    from amparo.registry.models import Incident

    incident = Incident.objects.filter(submission_key="protection-tables").first()
    if incident is None:
        author = world.users["documenter_a"]
        defender = registry.create_defender(author, world.desk_a, name="Defensora T",
                                            account=world.users["defender"])
        incident = registry.record_incident(author, world.desk_a, registry.IncidentData(
            narrative="Amenazas", country="HN", consent_un=True), defenders=[defender],
            submission_key="protection-tables")
        services.assess_risk(author, defender, [
            {"kind": "threats", "text": "Amenazas", "rating": 4, "incident": incident.pk},
            {"kind": "vulnerabilities", "text": "Vive sola", "rating": 3},
            {"kind": "capacities", "text": "Red de apoyo", "rating": 2}])
        services.add_measure(author, defender, kind="threats", text="Denuncia", owner="Abogada",
                             due_on=timezone.localdate() + timedelta(days=7))
        services.add_protocol(author, defender, kind="detention", steps=["Llamar a la abogada"])
        services.schedule_check_ins(author, defender, contact_name="Hermana", contact_phone="+50400000000",
                                    contact_email="hermana@contacts.example", contact_language="es",
                                    every_hours=12, grace_minutes=60,
                                    first_due_at=timezone.now() + timedelta(hours=12))
        services.record_complaint(author, incident, filed_on=None, authority="Fiscalía", case_number="1-2026",
                                  stage="complaint", notes="")
        services.generate_communication(author, incident, language="es", elements=ELEMENTS)
    defender = incident.defenders.get()
    return {"incident": incident, "defender": defender,
            "communication": UnCommunication.objects.filter(incident=incident).first()}


def url_values(world: Any) -> dict[str, object]:
    case = make_case(world)
    defender = case["defender"]
    plan = defender.protection_plan
    return {
        "defender_id": defender.pk,
        "assessment_id": defender.risk_assessments.first().pk,
        "measure_id": plan.measures.first().pk,
        "protocol_id": plan.protocols.first().pk,
        "schedule_id": defender.check_in_schedules.first().pk,
        "complaint_id": case["incident"].complaints.first().pk,
        "communication_id": case["communication"].pk,
        "file_format": "pdf",
    }


def _consented_un_page(world: Any) -> str:
    return f"/protection/incidents/{make_case(world)['incident'].pk}/un/"


PAGES: dict[str, Page] = {
    "protection:index": Page("documenter_a"),
    "protection:figures": Page("coordinator"),
    "protection:defender": Page("documenter_a"),
    "protection:assess": Page("documenter_a"),
    "protection:assessment": Page("documenter_a"),
    "protection:plan": Page("documenter_a"),
    "protection:check_ins": Page("documenter_a"),
    "protection:my_check_ins": Page("defender"),
    "protection:justice": Page("documenter_a"),
    "protection:un_new": Page("documenter_a", url=_consented_un_page),
    "protection:un": Page("documenter_a"),
}

NOT_PAGES: dict[str, str] = {
    "protection:measure_add": "POST only; then a redirect to the plan (or the plan with the form's errors)",
    "protection:measure_done": "POST only; then a redirect to the plan",
    "protection:protocol_add": "POST only; then a redirect to the plan (or the plan with the form's errors)",
    "protection:protocol_tick": "POST only; then a redirect to the plan",
    "protection:check_in": "POST only; then a redirect to the check-ins page",
    "protection:check_in_stop": "POST only; then a redirect to the check-ins page",
    "protection:my_check_in": "POST only; then a redirect to her check-in page",
    "protection:complaint_stage": "POST only; then a redirect to the justice page",
    "protection:un_sent": "POST only; then a redirect to the communication",
    "protection:un_reply": "POST only; then a redirect to the communication",
    "protection:un_file": "a PDF or DOCX download, read back in test_un_communications",
}


def _write_protection(client: Any, world: Any, canary: str) -> None:
    """Through the desk's pages, as documenter_a: an assessment, a measure, a protocol, a
    check-in schedule, a complaint and a UN communication with its reply, all with the canary."""
    from amparo.protection.models import UnCommunication
    from amparo.registry import services as registry
    from amparo.registry.models import Incident
    from conftest import sign_in

    author = world.users["documenter_a"]
    defender = registry.create_defender(author, world.desk_a, name="Canary defender")
    incident = registry.record_incident(author, world.desk_a, registry.IncidentData(
        narrative="what happened", country="HN", consent_un=True), defenders=[defender],
        submission_key="protection-canary")
    assert isinstance(incident, Incident)
    sign_in(client, author, world.unlocked["documenter_a"])
    base = f"/protection/defenders/{defender.pk}"
    rows = {"threats_0_text": f"{canary}-threat", "threats_0_rating": "4", "threats_0_incident": str(incident.pk),
            "vulnerabilities_0_text": f"{canary}-vulnerability", "vulnerabilities_0_rating": "3",
            "capacities_0_text": f"{canary}-capacity", "capacities_0_rating": "2"}
    for kind in ("threats", "vulnerabilities", "capacities"):
        for n in (1, 2):
            rows[f"{kind}_{n}_rating"] = "3"
    assert client.post(f"{base}/assess/", rows).status_code == 302
    assert client.post(f"{base}/plan/measures/", {"kind": "self_care", "text": f"{canary}-measure",
                                                  "owner": f"{canary}-owner"}).status_code == 302
    assert client.post(f"{base}/plan/protocols/", {"kind": "raid", "steps": f"{canary}-step"}).status_code == 302
    assert client.post(f"{base}/check-ins/", {
        "contact_name": f"{canary}-contact", "contact_phone": f"+504{canary}",
        "contact_email": f"{canary}@contacts.example", "contact_language": "es", "every_hours": "12",
        "grace_minutes": "60", "first_due_in_hours": "12"}).status_code == 302
    assert client.post(f"/protection/incidents/{incident.pk}/justice/", {
        "authority": f"{canary}-authority", "case_number": f"{canary}-case", "stage": "investigation",
        "notes": f"{canary}-notes"}).status_code == 302
    elements = {key: f"{canary}-{key}" for key in ELEMENTS}
    assert client.post(f"/protection/incidents/{incident.pk}/un/", {"language": "es", **elements}
                       ).status_code == 302
    communication = UnCommunication.objects.get(incident=incident)
    assert client.post(f"/protection/un/{communication.pk}/sent/", {"sent_on": "2026-11-02"}).status_code == 302
    assert client.post(f"/protection/un/{communication.pk}/reply/", {
        "replied_on": "2026-12-01", "reply": f"{canary}-reply"}).status_code == 302
    page = client.get(f"/protection/defenders/{defender.pk}/plan/").content.decode()
    assert f"{canary}-measure" in page and f"{canary}-step" in page
    client.logout()


def _sealed_writers() -> dict:
    from amparo.protection.models import CheckInSchedule, Complaint, Measure, Protocol, RiskAssessment, UnCommunication

    return dict.fromkeys((RiskAssessment, Measure, Protocol, CheckInSchedule, Complaint, UnCommunication),
                         _write_protection)


SEALED_WRITERS = _sealed_writers()

CLEAR_FIELDS: dict[str, str] = {
    "protection.Measure.kind": "status code (what the measure does)",
    "protection.Protocol.kind": "status code (which protocol)",
    "protection.CheckInSchedule.contact_language": "language code",
    "protection.CheckIn.channel": "status code",
    "protection.Complaint.stage": "status code (the justice stage, as the incident's own)",
    "protection.UnCommunication.language": "language code",
}
