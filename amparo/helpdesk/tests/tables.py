"""The helpdesk rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations

from typing import Any

from amparo.core.tests.pages import Page
from amparo.tests.tables import LOGIN, Row, same, signed_in
from conftest import STANDING_USERS

EVERYONE_SIGNED_IN = dict.fromkeys(STANDING_USERS, 200)
EXPERT_ONLY = dict(defender=403, documenter_a=403, documenter_b=403, coordinator=403, supporter=403, outsider=403,
                   fund_reviewer=403, ict_expert=200)
# Her own request: the defender asked it; anyone else gets 404, as if it did not exist.
REQUESTER_ONLY = {**dict.fromkeys(STANDING_USERS, 404), "defender": 200}
# A lockdown of desk A: its documenter; desk B's gets 404; roles without a desk 403.
DESK_A_ONLY = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=403, supporter=403, outsider=403,
                   fund_reviewer=403, ict_expert=403)


def _signed_in_all(method: str, answer: int) -> Row:
    return signed_in(method, LOGIN, **dict.fromkeys(STANDING_USERS, answer))


AUTHORIZATION: dict[str, Row] = {
    # Public: the front page, the guides, asking (anonymously with words), the trusted contact's page.
    "helpdesk:index": same("GET", 200),
    "helpdesk:guides": same("GET", 200),
    "helpdesk:guide": same("GET", 200),
    "helpdesk:ask": same("GET", 200),
    "helpdesk:back": same("GET", 200),
    "helpdesk:conversation": same("GET", 404),  # a made-up address opens nothing
    "helpdesk:locked": same("GET", 200),
    "helpdesk:by_contact": same("GET", 200),
    # Done marks live in her account: a signed-in person marks a guide (then a redirect).
    "helpdesk:guide_done": _signed_in_all("POST", 303),
    "helpdesk:mine": _signed_in_all("GET", 200),
    "helpdesk:my_request": signed_in("GET", LOGIN, **REQUESTER_ONLY),
    # ICT experts.
    "helpdesk:queue": signed_in("GET", LOGIN, **EXPERT_ONLY),
    "helpdesk:request": signed_in("GET", LOGIN, **EXPERT_ONLY),
    "helpdesk:take": signed_in("POST", LOGIN, **{**EXPERT_ONLY, "ict_expert": 303}),
    "helpdesk:status": signed_in("POST", LOGIN, **{**EXPERT_ONLY, "ict_expert": 400}),  # an empty form
    "helpdesk:experts": signed_in("GET", LOGIN, **EXPERT_ONLY),
    "helpdesk:profile": signed_in("GET", LOGIN, **EXPERT_ONLY),
    # Lockdown: anyone with an account prepares hers; empty forms are refused (400), so nobody
    # standing is locked down by the walk; removing a contact that is not hers changes nothing.
    "helpdesk:lockdown": _signed_in_all("GET", 200),
    "helpdesk:lockdown_code": _signed_in_all("POST", 400),
    "helpdesk:contact_add": _signed_in_all("POST", 400),
    "helpdesk:contact_remove": _signed_in_all("POST", 303),
    "helpdesk:lock_now": _signed_in_all("POST", 400),
    "helpdesk:desk_lockdown": signed_in("GET", LOGIN, **DESK_A_ONLY),
    "api:helpdesk_guides": same("GET", 200),
}


def make_help(world: Any) -> tuple[Any, Any]:
    """A request the defender asked (in the coalition, answered by the standing expert once)
    and a lockdown at desk A of another defender of network A; made once per database."""
    from amparo.helpdesk import services
    from amparo.helpdesk.models import HelpRequest, Lockdown
    from amparo.network import services as network
    from amparo.network.models import Role
    from amparo.network.tests.factories import UserFactory

    found = HelpRequest.objects.filter(submission_key="tables-help").first()
    if found is None:
        found = services.ask_for_help(world.users["defender"], services.Asked(
            "device", "es", "Se llevaron mi teléfono", "tables-help"))
        services.reply_as_expert(world.users["ict_expert"], found, "Bloquea tu cuenta primero.")
    lockdown = Lockdown.objects.filter(user__username="tables-locked").first()
    if lockdown is None:
        other = UserFactory.create(username="tables-locked")
        network.add_membership("system", user=other, role=Role.DEFENDER, network=world.network_a)
        lockdown = services.lock_down(other, by=Lockdown.By.HERSELF)
    return found, lockdown


def url_values(world: Any) -> dict[str, object]:
    from amparo.helpdesk import services

    services.load_shipped_guides()  # a transactional test before may have emptied the tables
    found, lockdown = make_help(world)
    return {"guide_slug": "phone-seized", "help_id": found.pk, "trusted_contact_id": 999999,
            "lockdown_id": lockdown.pk}


PAGES: dict[str, Page] = {
    "helpdesk:index": Page(),
    "helpdesk:guides": Page(),
    "helpdesk:guide": Page(),
    "helpdesk:ask": Page(url=lambda world: "/helpdesk/ask/?category=device"),
    "helpdesk:back": Page(),
    "helpdesk:locked": Page(),
    "helpdesk:by_contact": Page(),
    "helpdesk:mine": Page("defender"),
    "helpdesk:my_request": Page("defender"),
    "helpdesk:queue": Page("ict_expert"),
    "helpdesk:request": Page("ict_expert"),
    "helpdesk:experts": Page("ict_expert"),
    "helpdesk:profile": Page("ict_expert"),
    "helpdesk:lockdown": Page("defender"),
    "helpdesk:desk_lockdown": Page("documenter_a"),
}

NOT_PAGES: dict[str, str] = {
    "helpdesk:conversation": "her anonymous conversation at a short-lived address: 404 without one "
                             "(walked in test_requests)",
    "helpdesk:guide_done": "POST only; then a redirect to the guide",
    "helpdesk:take": "POST only; then a redirect to the request",
    "helpdesk:status": "POST only; then a redirect to the request",
    "helpdesk:lockdown_code": "POST only; then a redirect to the lockdown page",
    "helpdesk:contact_add": "POST only; then a redirect to the lockdown page",
    "helpdesk:contact_remove": "POST only; then a redirect to the lockdown page",
    "helpdesk:lock_now": "POST only: locks her account down, then the public 'locked' page",
}


def _write_conversation(client: Any, world: Any, canary: str) -> None:
    """Through the pages: the defender asks, the expert answers, an anonymous visitor asks."""
    import re

    from amparo.helpdesk.models import HelpRequest
    from conftest import sign_in

    sign_in(client, world.users["defender"], world.unlocked["defender"])
    page = client.get("/helpdesk/ask/?category=device").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    assert client.post("/helpdesk/ask/", {"category": "device", "language": "es", "text": f"{canary}-asked",
                                          "submission_key": key}).status_code == 303
    found = HelpRequest.objects.get(submission_key=key)
    sign_in(client, world.users["ict_expert"], world.unlocked["ict_expert"])
    assert client.post(f"/helpdesk/desk/{found.pk}/", {"text": f"{canary}-answer", "status": "waiting"}
                       ).status_code == 303
    assert f"{canary}-asked" in client.get(f"/helpdesk/desk/{found.pk}/").content.decode()
    client.logout()


def _write_contact(client: Any, world: Any, canary: str) -> None:
    from conftest import sign_in

    sign_in(client, world.users["defender"], world.unlocked["defender"])
    assert client.post("/helpdesk/lockdown/contacts/", {"channel": "email", "address": f"{canary}@trusted.example",
                                                         "language": "es"}).status_code == 303
    assert f"{canary}@trusted.example" in client.get("/helpdesk/lockdown/").content.decode()
    client.logout()


def _sealed_writers() -> dict:
    from amparo.helpdesk.models import HelpMessage, TrustedContact

    return {HelpMessage: _write_conversation, TrustedContact: _write_contact}


SEALED_WRITERS = _sealed_writers()

CLEAR_FIELDS: dict[str, str] = {
    "helpdesk.ExpertProfile.kind": "status code (volunteer, staff, peer)",
    "helpdesk.ExpertProfile.languages": "language codes an expert answers in (for routing)",
    "helpdesk.ExpertProfile.skills": "category codes an expert helps with (for routing)",
    "helpdesk.HelpRequest.category": "category code, for routing and figures",
    "helpdesk.HelpRequest.language": "language code",
    "helpdesk.HelpRequest.status": "status code",
    "helpdesk.HelpRequest.receipt_tag": "lookup tag derived from her receipt by Argon2id + HKDF (names nobody)",
    "helpdesk.HelpRequest.receipt_public_key": "public key her receipt derives (opens nothing)",
    "helpdesk.HelpRequest.submission_key": "a form's random one-time token",
    "helpdesk.HelpMessage.author_kind": "status code (requester, expert)",
    "helpdesk.Tutorial.slug": "public guide identifier",
    "helpdesk.Tutorial.language": "language code",
    "helpdesk.Tutorial.title": "public guide text, read without an account",
    "helpdesk.Tutorial.summary": "public guide text, read without an account",
    "helpdesk.Tutorial.body": "public guide text (Markdown), read without an account",
    "helpdesk.Tutorial.categories": "category codes",
    "helpdesk.TutorialDone.slug": "public guide identifier",
    "helpdesk.LockdownCode.code_hash": "slow hash (Argon2id) of her lockdown code",
    "helpdesk.TrustedContact.channel": "status code (email, sms)",
    "helpdesk.TrustedContact.language": "language code",
    "helpdesk.Lockdown.by": "status code (herself, contact)",
    "helpdesk.Lockdown.rings_rotated": "key-ring ids",
    "helpdesk.Lockdown.rings_to_restore": "key-ring ids",
}
