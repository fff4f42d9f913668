"""The appeals rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from amparo.core.tests.pages import Page
from amparo.tests.tables import COORDINATOR_ONLY, DESK_A_CASES, LOGIN, Row, same, signed_in

# Appeals are seen by the desk's documenters and the network's coordinators; another desk's
# documenter gets 404; roles that never see appeals get 403.
APPEAL_STAFF = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=200, supporter=403, outsider=403,
                    fund_reviewer=403, ict_expert=403)
INDEX = dict(defender=403, documenter_a=200, documenter_b=200, coordinator=200, supporter=403, outsider=403,
             fund_reviewer=403, ict_expert=403)

AUTHORIZATION: dict[str, Row] = {
    "appeals:index": signed_in("GET", LOGIN, **INDEX),
    "appeals:new": signed_in("GET", LOGIN, **DESK_A_CASES),
    "appeals:detail": signed_in("GET", LOGIN, **APPEAL_STAFF),
    "appeals:edit": signed_in("GET", LOGIN, **DESK_A_CASES),
    "appeals:translate": signed_in("GET", LOGIN, **DESK_A_CASES),
    "appeals:addressee_add": signed_in("POST", LOGIN, **{**DESK_A_CASES, "documenter_a": 302}),
    "appeals:addressee_remove": signed_in("POST", LOGIN, **{**DESK_A_CASES, "documenter_a": 302}),
    "appeals:update_new": signed_in("GET", LOGIN, **DESK_A_CASES),
    "appeals:update_translate": signed_in("GET", LOGIN, **DESK_A_CASES),
    "appeals:update_step": signed_in("POST", LOGIN, **{**COORDINATOR_ONLY, "coordinator": 302}),
    "appeals:response_add": signed_in("POST", LOGIN, **{**DESK_A_CASES, "documenter_a": 302}),
    "appeals:close": signed_in("GET", LOGIN, **DESK_A_CASES),
    # The step is "stop": a coordinator's; the desk's own documenter may not (403).
    "appeals:step": signed_in("POST", LOGIN, **{**APPEAL_STAFF, "documenter_a": 403, "coordinator": 302}),
    "appeals:figures": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "appeals:supporters": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    # An empty form: refused (400), after the role check.
    "appeals:supporters_import": signed_in("POST", LOGIN, **{**COORDINATOR_ONLY, "coordinator": 400}),
    # The list is the coalition's: network A's coordinator may not take it out.
    "appeals:supporters_export": signed_in("POST", LOGIN, **{**COORDINATOR_ONLY, "coordinator": 403}),
    # Public: published appeals, the feed, subscribing; a supporter's links need her token.
    "appeals:public_list": same("GET", 200),
    "appeals:public": same("GET", 200),
    "appeals:feed": same("GET", 200),
    "appeals:subscribe": same("GET", 200),
    "appeals:confirm": same("GET", 404),
    "appeals:preferences": same("GET", 404),
    "appeals:unsubscribe": same("GET", 404),
    "api:appeals": same("GET", 200),
    "api:appeal": same("GET", 200),
}


def make_appeals(world: Any) -> tuple[Any, Any]:
    """A draft of desk A (in English, by documenter_a, with one addressee) and a published
    appeal of network A with an update; made once per database."""
    from amparo.appeals import services
    from amparo.appeals.models import Appeal

    draft = Appeal.objects.filter(submission_key="tables-draft").first()
    public = Appeal.objects.filter(submission_key="tables-public").first()
    if draft and public:
        return draft, public
    author = world.users["documenter_a"]
    data = dict(language="en", country="HN", title="Honduras: threats – a defender", summary="She was threatened.",
                actions="Protect her\nInvestigate", letter="I ask you to protect her.")
    draft = services.draft_appeal(author, world.desk_a, services.AppealData(**data), submission_key="tables-draft")
    services.add_addressee(author, draft, authority="Attorney General", salutation="Dear Attorney General",
                           email="ag@authorities.example")
    public = services.draft_appeal(author, world.desk_a, services.AppealData(**data), submission_key="tables-public")
    services.add_addressee(author, public, authority="Attorney General", email="ag@authorities.example")
    services.submit_for_review(author, public)
    public = services.approve_appeal(world.users["coordinator"], public, unlocked=world.unlocked["coordinator"])
    services.add_update(author, public, title="She was released", body="Released yesterday.")
    return draft, public


def url_values(world: Any) -> dict[str, object]:
    draft, public = make_appeals(world)
    return {
        "appeal_id": draft.pk,
        "public_id": public.pk,
        "addressee_id": draft.addressees.first().pk,
        "update_id": public.updates.first().pk,
        "step": "stop",
        "language": "es",
    }


# --- Page quality ---------------------------------------------------------------------------

def _supporter_link(world: Any, kind: str) -> str:
    """A confirmed supporter's own link (or a live confirmation link), as her e-mail gives it."""
    from django.core import mail

    from amparo.appeals import sealing
    from amparo.appeals.models import Confirmation
    from amparo.appeals.services import subscriptions

    subscriptions.subscribe(f"page-{kind}@supporters.example", subscriptions.Interests(languages=["es"]),
                            base_url="")
    link = re.search(r"/appeals/confirm/(\S+)/", str(mail.outbox[-1].body))
    assert link is not None
    raw = link.group(1)
    if kind == "confirm":
        return f"/appeals/confirm/{raw}/"
    supporter = subscriptions.confirm(raw)
    assert supporter is not None and Confirmation.objects.filter(token_hash=hashlib.sha256(raw.encode()).hexdigest())
    token = sealing.open_supporter_token(supporter)
    return f"/appeals/s/{token}/" + ("unsubscribe/" if kind == "unsubscribe" else "")


def _public_url(world: Any) -> str:
    return f"/appeals/p/{make_appeals(world)[1].pk}/"


PAGES: dict[str, Page] = {
    "appeals:index": Page("documenter_a"),
    "appeals:new": Page("documenter_a"),
    "appeals:detail": Page("coordinator"),
    "appeals:edit": Page("documenter_a"),
    "appeals:translate": Page("documenter_a"),
    "appeals:update_new": Page("documenter_a"),
    "appeals:update_translate": Page("documenter_a"),
    "appeals:close": Page("documenter_a"),
    "appeals:figures": Page("coordinator"),
    "appeals:supporters": Page("coordinator"),
    "appeals:public_list": Page(),
    "appeals:public": Page(url=_public_url),
    "appeals:subscribe": Page(),
    "appeals:confirm": Page(url=lambda world: _supporter_link(world, "confirm"), h1="Confirm"),
    "appeals:preferences": Page(url=lambda world: _supporter_link(world, "preferences"), h1="subscription"),
    "appeals:unsubscribe": Page(url=lambda world: _supporter_link(world, "unsubscribe"), h1="Stop"),
}

NOT_PAGES: dict[str, str] = {
    "appeals:feed": "an Atom feed (application/atom+xml), checked with feedparser in test_public",
    "appeals:addressee_add": "POST only; then a redirect to the appeal",
    "appeals:addressee_remove": "POST only; then a redirect to the appeal",
    "appeals:update_step": "POST only: approve or stop an update; then a redirect",
    "appeals:response_add": "POST only; then a redirect to the appeal",
    "appeals:step": "POST only: send for review, approve, send back, stop; then a redirect",
    "appeals:supporters_import": "POST only; then a redirect to the supporters page",
    "appeals:supporters_export": "POST only: a CSV download after a second-factor code",
}


def _write_supporter(client: Any, world: Any, canary: str) -> None:
    """Through the public subscribe page, and the coordinator's import: address, phone, name."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import sign_in

    client.logout()
    response = client.post("/appeals/subscribe/", {
        "email": f"{canary}@supporters.example", "name": f"{canary}-name", "phone": f"+504{canary}",
        "kind": "individual", "languages": ["es"], "by_email": "on", "by_sms": "on"})
    assert response.status_code == 200, response.content.decode()[:500]
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    upload = SimpleUploadedFile("list.csv", f"email,name,phone\n{canary}-2@supporters.example,{canary} two,"
                                f"+1{canary}\n".encode(), content_type="text/csv")
    assert client.post("/appeals/supporters/import/", {"file": upload}).status_code == 302
    client.logout()


def _write_draft(client: Any, world: Any, canary: str) -> None:
    """Through the desk's pages, as documenter_a: a draft's words, a translation, an addressee,
    and, on an appeal published without the canary, a draft update and a response. None of it
    is published, so all of it stays sealed; the network's coordinator reads it."""
    from amparo.appeals.models import Appeal
    from conftest import sign_in

    words = {name: f"{canary}-{name}" for name in ("title", "summary", "background", "concerns", "actions",
                                                   "letter")}
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    response = client.post(f"/appeals/desk/{world.desk_a.slug}/new/", {
        "submission_key": "canary-appeal", "language": "en", "country": "HN", **words})
    assert response.status_code == 302, response.content.decode()[:500]
    appeal = Appeal.objects.get(submission_key="canary-appeal")
    assert client.post(f"/appeals/{appeal.pk}/translate/es/", {**words, "title": f"{canary}-título"}
                       ).status_code == 302
    assert client.post(f"/appeals/{appeal.pk}/addressees/", {
        "authority": f"{canary}-authority", "salutation": f"{canary}-salutation",
        "email": f"{canary}@authorities.example", "phone": f"+504{canary}", "postal_address": f"{canary}-post",
    }).status_code == 302
    public = make_appeals(world)[1]
    assert client.post(f"/appeals/{public.pk}/updates/new/", {"title": f"{canary}-update", "body": f"{canary}-body"}
                       ).status_code == 302
    assert client.post(f"/appeals/{public.pk}/responses/", {
        "kind": "reply", "received_on": "2026-11-02", "source": f"{canary}-source", "note": f"{canary}-note",
    }).status_code == 302
    assert client.post(f"/appeals/{appeal.pk}/submit/").status_code == 302
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f"{canary}-title" in page and f"{canary}-authority" in page
    page = client.get(f"/appeals/{public.pk}/").content.decode()
    assert f"{canary}-update" in page and f"{canary}-note" in page
    client.logout()


def _sealed_writers() -> dict:
    from amparo.appeals.models import Addressee, AppealText, Response, Supporter, UpdateText

    return {Supporter: _write_supporter,
            **dict.fromkeys((AppealText, Addressee, UpdateText, Response), _write_draft)}


SEALED_WRITERS = _sealed_writers()


# Fields kept in clear on purpose, each with its reason (amparo/tests/test_sealed_or_clear.py).
PUBLISHED = "public appeal text: empty until approval copies the opened words here (sealing.py)"
CLEAR_FIELDS: dict[str, str] = {
    "appeals.Appeal.reference": "public reference, UA-YYYY-NNN, given at approval",
    "appeals.Appeal.language": "language code",
    "appeals.Appeal.country": "ISO country code",
    "appeals.Appeal.status": "status code",
    "appeals.Appeal.submission_key": "a form's random one-time token",
    "appeals.AppealText.language": "language code",
    **{f"appeals.AppealText.{name}": PUBLISHED for name in ("title", "summary", "background", "concerns",
                                                            "actions", "letter")},
    **{f"appeals.Addressee.{name}": PUBLISHED for name in ("authority", "postal_address", "email", "phone",
                                                           "salutation")},
    "appeals.AppealUpdate.status": "status code",
    "appeals.UpdateText.language": "language code",
    "appeals.UpdateText.title": PUBLISHED,
    "appeals.UpdateText.body": PUBLISHED,
    "appeals.Response.kind": "status code (reply, note)",
    "appeals.Action.kind": "status code",
    "appeals.Action.country": "ISO country code",
    "appeals.Action.submission_key": "a form's random one-time token",
    "appeals.Supporter.kind": "status code (a person, an organisation)",
    "appeals.Supporter.email_index": "keyed hash (blind index) of her address",
    "appeals.Supporter.phone_index": "keyed hash (blind index) of her phone",
    "appeals.Supporter.languages": "language codes",
    "appeals.Supporter.status": "status code",
    "appeals.Supporter.source": "status code (form, import)",
    "appeals.Supporter.token_hash": "hash of her link",
    "appeals.SupporterCountry.country": "ISO country code",
    "appeals.Confirmation.token_hash": "hash of a confirmation link",
    "appeals.Delivery.uuid": "random message id",
    "appeals.Delivery.channel": "status code",
    "appeals.Delivery.status": "status code",
    "appeals.Delivery.claim_token": "a worker's random claim token",
    "appeals.Delivery.claimed_by": "a worker's host and process id",
    "appeals.Delivery.language": "language code",
    "appeals.Delivery.error": "the mail or SMS server's reply, addresses replaced (transport/smtp.py _reply)",
}
