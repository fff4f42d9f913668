"""The registry's rows of the project-wide test tables (see amparo/tests/tables.py): the
import and export pages (issue 7)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from amparo.core.tests.pages import Page, State
from amparo.tests.tables import LOGIN, Row, same, signed_in

# Importing writes to the desk with its public key: its documenters and the coordinators of its
# network may; another desk's documenter gets 404. Exporting opens every sealed part: only the
# desk's documenters, who hold its key (a coordinator without the key: 403).
DESK_A_IMPORTERS = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=200,
                        supporter=403, outsider=403, fund_reviewer=403, ict_expert=403)
DESK_A_EXPORTERS = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=403,
                        supporter=403, outsider=403, fund_reviewer=403, ict_expert=403)

# Her own report (the table's incident is the defender's): only she writes to her desk, chooses
# her e-mail and gives or takes back a use; a member of desk A records a consent she heard.
HERS = dict(defender=200, documenter_a=403, documenter_b=403, coordinator=403,
            supporter=403, outsider=403, fund_reviewer=403, ict_expert=403)

AUTHORIZATION: dict[str, Row] = {
    "registry:transfer": signed_in("GET", LOGIN, **DESK_A_IMPORTERS),
    "registry:export": signed_in("GET", LOGIN, **DESK_A_EXPORTERS),
    "registry:incident_consent": signed_in("GET", LOGIN, **{**DESK_A_IMPORTERS, "coordinator": 403}),
    # An empty message is refused on her page (400: what she typed comes back); others: 403.
    "registry:my_report_write": signed_in("POST", LOGIN, **{**HERS, "defender": 400}),
    "registry:my_report_notify": signed_in("POST", LOGIN, **{**HERS, "defender": 303}),
    "registry:my_report_consent": signed_in("GET", LOGIN, **HERS),
    # At her conversation's short-lived address: a made-up token opens nothing (404).
    "intake:consent": same("GET", 404),
}


def url_values(world) -> dict[str, object]:
    return {"fmt": "csv", "use": "statistics"}


# Her pages at short-lived addresses (vault.short_lived): the session holds the entry, the URL
# its token. One pair per world (kept on the world itself: ids of dead worlds are reused), shared
# by the row's state and its URL.


def _kept(world, who: str) -> tuple[dict[str, Any], str] | None:
    return getattr(world, "_her_pages", {}).get(who)


def _keep(world, who: str, pair: tuple[dict[str, Any], str]) -> tuple[dict[str, Any], str]:
    if not hasattr(world, "_her_pages"):
        world._her_pages = {}
    world._her_pages[who] = pair
    return pair


def _her_conversation(world) -> tuple[dict[str, Any], str]:
    from amparo.registry import services
    from amparo.registry.services import intake
    from amparo.vault import short_lived

    kept = _kept(world, "anonymous")
    if kept is not None:
        return kept
    receipt, binding = intake.issue_receipt("en")
    opened = intake.submit_and_open(receipt, binding, services.IncidentData(narrative="what happened",
                                                                             country="HN"))
    session: dict[str, Any] = {}
    token = short_lived.open_page(session, opened.incident.pk, opened.keys.private_key + receipt.encode())
    return _keep(world, "anonymous", (session, token))


def _her_report(world) -> tuple[dict[str, Any], str]:
    from amparo.registry import services
    from amparo.registry.models import Incident
    from amparo.vault import short_lived

    kept = _kept(world, "defender")
    if kept is not None:
        return kept
    defender = world.users["defender"]
    incident = Incident.objects.filter(reporter=defender).first() or services.record_incident(
        defender, world.desk_a, services.IncidentData(narrative="what happened", country="HN"),
        channel=Incident.Channel.DEFENDER, reporter=defender)
    session: dict[str, Any] = {}
    return _keep(world, "defender", (session, short_lived.open_page(session, incident.pk)))


PAGES: dict[str, Page] = {
    "registry:transfer": Page("documenter_a"),
    "registry:incident_consent": Page("documenter_a"),
    "intake:consent": Page(state=lambda world: State(_her_conversation(world)[0]),
                           url=lambda world: reverse("intake:consent",
                                                     args=[_her_conversation(world)[1], "statistics"])),
    "registry:my_report_consent": Page("defender"),
    "intake:conversation": Page(state=lambda world: State(_her_conversation(world)[0]),
                                url=lambda world: reverse("intake:conversation", args=[_her_conversation(world)[1]]),
                                h1="Thank you"),
    "registry:my_report": Page("defender", state=lambda world: State(_her_report(world)[0]),
                               url=lambda world: reverse("registry:my_report", args=[_her_report(world)[1]])),
}
NOT_PAGES: dict[str, str] = {
    "registry:my_report_write": "POST only: she writes to her desk, then a redirect to her report",
    "registry:my_report_notify": "POST only: her e-mail choice, then a redirect to her report",
    "registry:my_report_open": "POST only: a defender opens one of her reports, then a redirect to its address",
    "registry:export": "a CSV or JSON download, streamed, never shown as a page",
}

# Fields kept in clear on purpose, each with its reason (amparo/tests/test_sealed_or_clear.py).
CLEAR_FIELDS: dict[str, str] = {
    "registry.Defender.kind": "status code (a person, a group)",
    "registry.Defender.name_index": "keyed hash of her name (the key is sealed to the desk)",
    "registry.Incident.status": "status code",
    "registry.Incident.channel": "status code (how it arrived)",
    "registry.Incident.safe_now": "status code (safe, not safe, not sure, not said): the inbox sorts by it",
    "registry.Incident.date_precision": "status code (day, month, year)",
    "registry.Incident.country": "ISO country code, for statistics",
    "registry.Incident.subdivision": "ISO 3166-2 region code, for statistics",
    "registry.Incident.reported_to_authorities": "status code (yes, no, not known)",
    "registry.Incident.justice": "status code",
    "registry.Incident.submission_key": "a form's random one-time token",
    "registry.Attachment.sealed_key": "an envelope of the file's key, sealed to the desk",
    "registry.Attachment.content_type": "a MIME type, e.g. 'image/jpeg'",
    "registry.Attachment.stored_name": "a random file name",
    "registry.Attachment.metadata": "one of three codes: were hidden details removed (nothing of the content)",
    "registry.DeskIndexKey.sealed_key": "an envelope of the desk's index key, sealed to the desk",
    "registry.AnonymousReceipt.lookup_tag": "Argon2id and HKDF of a receipt: not reversible",
    "registry.AnonymousReceipt.public_key": "a public key",
    "registry.Message.author": "status code (desk, reporter)",
    "registry.ConsentRecord.use": "status code (statistics, public appeal, UN)",
    "registry.ConsentRecord.given_by": "status code (herself, someone she chose)",
    "registry.ConsentRecord.how": "status code (on Amparo, in person, by phone, in writing)",
    "registry.ImportRun.source": "the mapping's name, e.g. 'cpj_journalists_killed_1992_2018'",
    "registry.ImportedRecord.key": "keyed hash of a source row's identifier",
    "registry.ImportedRecord.digest": "hash of a source row",
}


def _write_her_side(client, world, canary: str) -> None:
    """A defender with an account (issue 16): her short form with her answer on help, she and
    her desk write to each other; the desk's form records a help wanted too."""
    import re

    from amparo.registry.models import Incident
    from conftest import sign_in

    sign_in(client, world.users["defender"], world.unlocked["defender"])
    page = client.get("/registry/report/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    assert client.post("/registry/report/", {
        "submission_key": key, "country": "HN", "narrative": f"{canary}-her-narrative", "safe_now": "no",
        "help_wanted": f"{canary}-her-help", "where": f"{canary}-her-where"}).status_code == 303
    incident = Incident.objects.get(submission_key=key)
    assert client.post(f"/registry/my-reports/{incident.pk}/write/", {"text": f"{canary}-her-message"}
                       ).status_code == 303
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert client.post(f"/registry/incidents/{incident.pk}/reply/", {"text": f"{canary}-desk-to-her"}
                       ).status_code == 302
    page = client.get(f"/registry/desk/{world.desk_a.slug}/new/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    client.post(f"/registry/desk/{world.desk_a.slug}/new/", {
        "submission_key": key, "narrative": "recorded by the desk", "date_precision": "day", "victims": "1",
        "defender_kind": "individual", "reported_to_authorities": "unknown", "justice": "none",
        "safe_now": "unsure", "help_wanted": f"{canary}-desk-help"})
    client.logout()


def _sealed_writers() -> dict:
    from amparo.registry.models import Message

    return {Message: _write_her_side}


SEALED_WRITERS = _sealed_writers()
