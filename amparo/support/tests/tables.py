"""The support rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

from typing import Any

from amparo.core.tests.pages import Page, State
from amparo.tests.tables import COORDINATOR_ONLY, DEFENDER_ONLY, DESK_A_CASES, LOGIN, Row, same, signed_in

# A request is seen by her, her desk's documenters (its state only) and the fund reviewers of
# its network; everyone else gets 404, as if it did not exist.
SEEN = dict(defender=200, documenter_a=200, documenter_b=404, coordinator=404, supporter=404, outsider=404,
            fund_reviewer=200, ict_expert=404)
INDEX = dict(defender=200, documenter_a=200, documenter_b=200, coordinator=403, supporter=403, outsider=403,
             fund_reviewer=200, ict_expert=403)
# Deciding: roles that may see requests get 404 for one they do not review; the reviewer's empty
# form is refused (400).
DECIDE = dict(defender=404, documenter_a=404, documenter_b=404, coordinator=403, supporter=403, outsider=403,
              fund_reviewer=400, ict_expert=403)
DIRECTORY = dict(defender=403, documenter_a=403, documenter_b=403, coordinator=200, supporter=403, outsider=403,
                 fund_reviewer=200, ict_expert=403)

AUTHORIZATION: dict[str, Row] = {
    "support:index": signed_in("GET", LOGIN, **INDEX),
    "support:new": signed_in("GET", LOGIN, **DEFENDER_ONLY),
    "support:file": signed_in("GET", LOGIN, **DESK_A_CASES),
    "support:detail": signed_in("GET", LOGIN, **SEEN),
    "support:decide": signed_in("POST", LOGIN, **DECIDE),
    # Nothing waits for a second reviewer: the reviewer is told so (a redirect with the message).
    "support:confirm": signed_in("POST", LOGIN, **{**DECIDE, "fund_reviewer": 302}),
    # Nothing approved yet: the reviewer is told so (a redirect with the message).
    "support:payment": signed_in("POST", LOGIN, **{**DECIDE, "fund_reviewer": 302}),
    # Her conversation: she and the reviewers (an empty message is refused, 400); her desk may not.
    "support:message": signed_in("POST", LOGIN, **{**SEEN, "defender": 400, "documenter_a": 404,
                                                   "fund_reviewer": 400}),
    "support:receipt": same("GET", 200),
    # Her short-lived pages: a made-up token opens nothing.
    "support:her_page": same("GET", 404),
    "support:from_report": same("GET", 404),
    "support:her_ask": same("POST", 404),
    "support:her_message": same("POST", 404),
    "support:funds": signed_in("GET", LOGIN, **DIRECTORY),
    "support:fund_new": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "support:fund_edit": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "support:funds_export": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "support:funds_import": signed_in("POST", LOGIN, **{**COORDINATOR_ONLY, "coordinator": 400}),
    "api:support_funds": signed_in("GET", 401, **DIRECTORY),
    "api:support_requests": signed_in("GET", 401, **{**DIRECTORY, "coordinator": 403}),
}


def make_request(world: Any) -> Any:
    """The defender's request for relocation (network A, desk A), made once per database."""
    from amparo.support import services
    from amparo.support.models import SupportRequest

    found = SupportRequest.objects.filter(submission_key="tables-request").first()
    if found is not None:
        return found
    defender = world.users["defender"]
    asker = services.Asker(actor=defender, channel=SupportRequest.Channel.MEMBER, network=world.network_a,
                           requester=defender)
    return services.make_request(asker, services.RequestData(
        kind="relocation", amount=3000, currency="USD", country="HN", abroad=True, months=6,
        details={"what_happened": "threatened", "destination": "a safe city"}), submission_key="tables-request")


def make_fund(world: Any) -> Any:
    from amparo.support import services
    from amparo.support.models import Fund

    return Fund.objects.filter(network=world.network_a, name="Tables fund").first() or services.add_fund(
        "system", world.network_a, services.FundData(name="Tables fund", covers=["relocation"],
                                                     max_amount=5000, currency="USD"), contact="fund@example.org")


def url_values(world: Any) -> dict[str, object]:
    return {"request_id": make_request(world).pk, "fund_id": make_fund(world).pk}


# --- Page quality ---------------------------------------------------------------------------

def _her_page(world: Any) -> tuple[dict[str, Any], str]:
    """Her short-lived support page, opened by an anonymous report's receipt (one per world)."""
    from amparo.registry import services as registry
    from amparo.registry.services import intake
    from amparo.vault import short_lived

    kept = getattr(world, "_support_her_page", None)
    if kept is not None:
        return kept
    receipt, binding = intake.issue_receipt("es")
    opened = intake.submit_and_open(receipt, binding, registry.IncidentData(narrative="what happened",
                                                                             country="HN"))
    session: dict[str, Any] = {}
    token = short_lived.open_page(session, opened.incident.pk, opened.keys.private_key)
    world._support_her_page = (session, token)
    return session, token


def _unlocked(who: str) -> Any:
    """Her member key unlocked in the session, as after a real login: sealed parts open."""

    def state(world: Any) -> State:
        from amparo.vault import session

        stored: dict[str, Any] = {}
        secret = session.store(stored, world.unlocked[who])
        return State(stored, {session.COOKIE: session.cookie_value(secret)})

    return state


PAGES: dict[str, Page] = {
    "support:index": Page("fund_reviewer"),
    "support:new": Page("defender"),
    "support:file": Page("documenter_a"),
    "support:detail": Page("fund_reviewer", state=_unlocked("fund_reviewer"), h1="AS-"),
    "support:receipt": Page(),
    "support:her_page": Page(state=lambda world: State(_her_page(world)[0]),
                             url=lambda world: f"/support/r/{_her_page(world)[1]}/"),
    "support:funds": Page("coordinator"),
    "support:fund_new": Page("coordinator"),
    "support:fund_edit": Page("coordinator"),
}

NOT_PAGES: dict[str, str] = {
    "support:decide": "POST only: a reviewer's decision; then a redirect to the request",
    "support:confirm": "POST only: the second reviewer's confirmation; then a redirect",
    "support:payment": "POST only: a disbursement step; then a redirect to the request",
    "support:message": "POST only: a message; then a redirect to the request",
    "support:from_report": "a redirect from her report's conversation to her support page",
    "support:her_ask": "POST only: her request with her receipt; then a redirect to her page",
    "support:her_message": "POST only: her message with her receipt; then a redirect to her page",
    "support:funds_export": "a CSV download",
    "support:funds_import": "POST only; then a redirect to the directory",
    "api:support_funds": "JSON",
    "api:support_requests": "JSON",
}


def _write_request(client: Any, world: Any, canary: str) -> None:
    """Through the defender's form: every sealed detail; then a reviewer's decision with a note
    and a message each way."""
    from amparo.support.models import SupportRequest
    from conftest import sign_in

    sign_in(client, world.users["defender"], world.unlocked["defender"])
    words = {name: f"{canary}-{name}" for name in ("help_wanted", "what_happened", "other_help", "travellers",
                                                   "destination", "travel_security", "return_plan")}
    response = client.post("/support/new/", {"submission_key": "canary-support-request", "kind": "relocation",
                                             "urgency": "critical", "language": "es", "applicant": "individual",
                                             "country": "HN", **words})
    assert response.status_code == 302, response.content.decode()[:800]
    request = SupportRequest.objects.get(submission_key="canary-support-request")
    assert client.post(f"/support/{request.pk}/message/", {"body": f"{canary}-from-her"}).status_code == 302
    sign_in(client, world.users["fund_reviewer"], world.unlocked["fund_reviewer"])
    response = client.post(f"/support/{request.pk}/decide/", {"outcome": "declined", "note": f"{canary}-reason"})
    assert response.status_code == 302, response.content.decode()[:800]
    page = client.get(f"/support/{request.pk}/").content.decode()
    assert f"{canary}-destination" in page and f"{canary}-reason" in page and f"{canary}-from-her" in page
    client.logout()


def _write_fund(client: Any, world: Any, canary: str) -> None:
    from conftest import sign_in

    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    response = client.post("/support/funds/new/", {"name": "Canary fund", "covers": ["legal"],
                                                   "decision_hours": "72", "payment_days": "7",
                                                   "contact": f"{canary}@funds.example"})
    assert response.status_code == 302, response.content.decode()[:800]
    assert f"{canary}@funds.example" in client.get("/support/funds/").content.decode()
    client.logout()


def _sealed_writers() -> dict:
    from amparo.support.models import Decision, Fund, SupportMessage, SupportRequest

    return {Fund: _write_fund, **dict.fromkeys((SupportRequest, Decision, SupportMessage), _write_request)}


SEALED_WRITERS = _sealed_writers()

CODE = "status code"
CLEAR_FIELDS: dict[str, str] = {
    **{f"support.Fund.{name}": "a fund's public facts, as the fund publishes them" for name in (
        "name", "runner", "languages", "countries", "applicants", "covers", "does_not_pay", "currency",
        "how_to_apply")},
    "support.SupportRequest.channel": CODE,
    "support.SupportRequest.kind": "kind of help (code), for matching and figures",
    "support.SupportRequest.urgency": CODE,
    "support.SupportRequest.currency": "ISO currency code",
    "support.SupportRequest.country": "ISO country code, for matching and figures",
    "support.SupportRequest.language": "language code",
    "support.SupportRequest.applicant": "code (a person, a collective, an organisation), for matching",
    "support.SupportRequest.status": CODE,
    "support.SupportRequest.payment": "status code (planned, sent, received)",
    "support.SupportRequest.submission_key": "a form's random one-time token",
    "support.Decision.outcome": CODE,
    "support.Decision.currency": "ISO currency code",
    "support.SupportMessage.author": "status code (she, a reviewer)",
}
