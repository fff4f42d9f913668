"""Supporters (issue 10): double opt-in by a one-time link, the same answer for a known
address, preferences and unsubscribing from the token alone, import with the same opt-in,
export behind a fresh second factor, and addresses never in clear in the database."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pyotp
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amparo.appeals import sealing
from amparo.appeals.models import Confirmation, Supporter
from amparo.appeals.services import subscriptions
from amparo.appeals.tests.test_appeals import approved
from amparo.core.models import AuditEntry
from amparo.network import services as network
from amparo.network.models import Role
from amparo.network.tests.factories import UserFactory
from amparo.vault.tests.test_canary import _database_bytes
from amparo.vocabulary.models import Term
from conftest import enrol_second_factor, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


FORM = {"name": "Ana", "kind": "individual", "languages": ["es", "en"], "countries": ["HN", "GT"],
        "by_email": "on"}


def _link(body: str, kind: str = "confirm") -> str:
    found = re.search(rf"https?://\S+?(/appeals/{kind}/\S+/)", body)
    assert found, body
    return found.group(1)


def test_double_opt_in_through_a_real_smtp_server(client, world, smtp_server):
    response = client.post("/appeals/subscribe/", {**FORM, "email": "ana@supporters.example"},
                           HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    supporter = Supporter.objects.get()
    assert supporter.status == Supporter.Status.PENDING and not Supporter.objects.reachable().exists()
    [message] = smtp_server
    assert message.recipients == ["ana@supporters.example"]
    link = _link(message.body.replace("=\n", ""))
    raw = link.rstrip("/").rsplit("/", 1)[-1]
    # Only the hash of the one-time token is kept.
    assert Confirmation.objects.filter(token_hash=hashlib.sha256(raw.encode()).hexdigest()).exists()
    assert not Confirmation.objects.filter(token_hash=raw).exists()
    assert client.get(link).status_code == 200  # opening shows a button; a mail scanner spends nothing
    supporter.refresh_from_db()
    assert supporter.status == Supporter.Status.PENDING
    response = client.post(link)
    assert response.status_code == 302 and response["Location"].startswith("/appeals/s/")
    supporter.refresh_from_db()
    assert supporter.status == Supporter.Status.CONFIRMED and supporter.language_list() == ["es", "en"]
    assert sorted(c.country for c in supporter.countries.all()) == ["GT", "HN"]
    assert client.post(link).status_code == 404  # used once


def test_an_expired_link_confirms_nothing(client, world):
    client.post("/appeals/subscribe/", {**FORM, "email": "late@supporters.example"})
    link = _link(mail.outbox[-1].body)
    Confirmation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(link).status_code == 404 and client.post(link).status_code == 404
    assert Supporter.objects.get().status == Supporter.Status.PENDING


def test_the_subscribe_page_answers_the_same_for_a_known_address(client, world):
    first = client.post("/appeals/subscribe/", {**FORM, "email": "same@supporters.example"})
    client.post(_link(mail.outbox[-1].body), follow=True)
    cache.clear()  # past the pause between two messages to one address
    again = client.post("/appeals/subscribe/", {**FORM, "email": "Same@Supporters.example "})
    new = client.post("/appeals/subscribe/", {**FORM, "email": "other@supporters.example"})

    def main(response) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert first.status_code == again.status_code == new.status_code == 200
    assert main(first) == main(again) == main(new)
    assert Supporter.objects.count() == 2
    # The known address gets its preferences link by e-mail, not a second subscription.
    assert "/appeals/s/" in mail.outbox[-2].body and mail.outbox[-2].to == ["Same@Supporters.example"]


@pytest.mark.django_db(transaction=True)
def test_supporters_addresses_never_appear_in_clear_in_the_database(client, world):
    address, phone, name = "needle.address@supporters.example", "+50499887766", "Needle Name"
    client.post("/appeals/subscribe/", {**FORM, "email": address, "phone": phone, "name": name, "by_sms": "on"})
    client.post(_link(mail.outbox[-1].body))
    supporter = Supporter.objects.get()
    assert sealing.open_supporter_email(supporter) == address and sealing.open_supporter_phone(supporter) == phone
    found = sealing.supporter_email_index("NEEDLE.address@supporters.example ")
    assert Supporter.objects.filter(email_index=found).exists()
    for where, blob in _database_bytes():
        for needle in (address, "needle.address", phone, "99887766", name):
            assert needle.encode() not in blob and needle.encode().hex().encode() not in blob, (needle, where)


def test_preferences_and_unsubscribe_work_from_the_token_alone(client, world):
    client.post("/appeals/subscribe/", {**FORM, "email": "tok@supporters.example"})
    preferences = client.post(_link(mail.outbox[-1].body))["Location"]
    client.cookies.clear()  # nothing but the link: no session, no login
    token = preferences.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(preferences).status_code == 200
    land = Term.objects.create(kind="theme", code="theme.test", label_en="Test theme")
    response = client.post(preferences, {"languages": ["fr"], "themes": [land.pk], "by_email": "on"})
    assert response.status_code == 302
    supporter = Supporter.objects.get()
    assert supporter.language_list() == ["fr"] and list(supporter.themes.all()) == [land]
    assert not supporter.countries.exists()
    assert client.get(f"/appeals/s/{token}/unsubscribe/").status_code == 200
    assert client.post(f"/appeals/s/{token}/unsubscribe/").status_code == 200
    supporter.refresh_from_db()
    assert supporter.status == Supporter.Status.UNSUBSCRIBED and not Supporter.objects.reachable().exists()
    assert client.get("/appeals/s/not-her-token/").status_code == 404
    assert AuditEntry.objects.filter(action="supporter.unsubscribed", object_id=str(supporter.pk)).exists()


def test_whom_an_appeal_matches_is_chosen_in_the_database(world):
    appeal = approved(world)  # about HN
    theme = Term.objects.create(kind="theme", code="theme.t1", label_en="T1")
    narrower = Term.objects.create(kind="theme", code="theme.t1.n", label_en="N", parent=theme)
    appeal.themes.set([narrower])
    wanted = {"all": ([], []), "hn": (["HN"], []), "cd": (["CD"], []), "theme": (["CD"], [theme])}
    made = {key: subscriptions.add_demo_supporter(f"{key}@supporters.example", subscriptions.Interests(
        countries=countries, themes=themes)) for key, (countries, themes) in wanted.items()}
    Supporter.objects.filter(pk=made["all"].pk).update(status=Supporter.Status.UNSUBSCRIBED)
    matching = set(Supporter.objects.matching_appeal(appeal))
    assert matching == {made["hn"], made["theme"]}
    assert made["hn"].message_language(["en", "es"], "en") == "en"


def test_an_imported_list_gets_the_same_opt_in(client, world):
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    data = (b"email;name;languages;countries;sms;phone\n"
            b"one@supporters.example;One;es;HN;no;\n"
            b"not-an-address;Two;en;;;\n"
            b"three@supporters.example;Three;fr,en;CD XX;yes;+243000\n")
    response = client.post("/appeals/supporters/import/", {"file": SimpleUploadedFile("l.csv", data, "text/csv")})
    assert response.status_code == 302
    assert Supporter.objects.count() == 2 and not Supporter.objects.reachable().exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["one@supporters.example", "three@supporters.example"]
    three = Supporter.objects.get(email_index=sealing.supporter_email_index("three@supporters.example"))
    assert three.by_sms and [c.country for c in three.countries.all()] == ["CD"]
    page = client.get("/appeals/supporters/").content.decode()
    assert "one@supporters.example" not in page and "Line 3" in page
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert client.post("/appeals/supporters/import/").status_code == 403


def test_the_export_needs_a_fresh_second_factor_and_is_audited(client, world):
    for n in range(3):
        subscriptions.add_demo_supporter(f"s{n}@supporters.example", subscriptions.Interests(), name=f"=cmd{n}")
    national = world.users["coordinator"]
    sign_in(client, national, world.unlocked["coordinator"])
    assert client.post("/appeals/supporters/export/", {"code": "000000"}).status_code == 403
    coordinator = UserFactory.create(username="coalition_coordinator")
    network.add_membership("system", user=coordinator, role=Role.COORDINATOR, network=world.coalition)
    secret = enrol_second_factor(coordinator)
    sign_in(client, coordinator)
    refused = client.post("/appeals/supporters/export/", {"code": "000000"})
    assert refused.status_code == 403 and b"supporters.example" not in refused.content
    assert not AuditEntry.objects.filter(action="supporters.exported").exists()
    code = pyotp.TOTP(secret).now()
    response = client.post("/appeals/supporters/export/", {"code": code})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert all(f"s{n}@supporters.example" in body for n in range(3)) and "'=cmd0" in body
    assert AuditEntry.objects.filter(action="supporters.exported", actor_id=coordinator.pk).count() == 1
    assert client.post("/appeals/supporters/export/", {"code": code}).status_code == 403  # not twice


def test_typing_an_address_again_and_again_sends_one_message(client, world):
    for _n in range(5):
        assert client.post("/appeals/subscribe/", {**FORM, "email": "flood@supporters.example"}).status_code == 200
    assert len(mail.outbox) == 1 and Supporter.objects.count() == 1


def _state(supporter: Supporter) -> tuple:
    supporter.refresh_from_db()
    name = sealing.open_supporter_name(supporter)
    return (supporter.status, supporter.kind, name, sealing.open_supporter_phone(supporter), supporter.phone_index,
            supporter.languages, sorted(c.country for c in supporter.countries.all()),
            sorted(t.code for t in supporter.themes.all()), supporter.by_email, supporter.by_sms)


@pytest.mark.parametrize("status", [Supporter.Status.PENDING, Supporter.Status.UNSUBSCRIBED,
                                    Supporter.Status.BOUNCED, Supporter.Status.CONFIRMED])
def test_someone_typing_her_address_changes_nothing_on_her_record(client, world, status):
    """Issue 17.7: the subscribe form with a known address must not put another name, another
    phone or other interests on her record before she confirms from her own mailbox."""
    client.post("/appeals/subscribe/", {**FORM, "email": "ana@supporters.example", "phone": "+50411112222",
                                        "by_sms": "on"})
    ana = Supporter.objects.get()
    Supporter.objects.filter(pk=ana.pk).update(status=status)
    before = _state(ana)
    cache.clear()  # past the pause between two messages to one address
    sent = len(mail.outbox)
    response = client.post("/appeals/subscribe/", {
        "email": "ANA@supporters.example", "name": "Someone Else", "kind": "organisation", "phone": "+50499990000",
        "languages": ["fr"], "countries": ["CD"], "by_sms": "on"})
    assert response.status_code == 200 and len(mail.outbox) == sent + 1
    assert _state(ana) == before
    assert Supporter.objects.count() == 1 and not Supporter.objects.filter(phone_index=sealing.supporter_phone_index(
        "+50499990000")).exists()
    if status != Supporter.Status.CONFIRMED:
        # She confirms from her mailbox: subscribed with her own choices, on her preferences page.
        response = client.post(_link(mail.outbox[-1].body), follow=True)
        assert response.status_code == 200 and "/appeals/s/" in response.redirect_chain[-1][0]
        assert _state(ana)[1:] == before[1:] and ana.status == Supporter.Status.CONFIRMED
