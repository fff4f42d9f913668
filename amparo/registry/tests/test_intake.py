"""Anonymous reports (issue 6): the receipt, the form, coming back, the desk's answer, the
global limit, no trace of who sent it, and deletion when nobody triaged it in time."""

from __future__ import annotations

import io
import logging
import math
import re
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from amparo.core.models import AuditEntry
from amparo.registry import sealing
from amparo.registry.models import AnonymousReceipt, Attachment, Incident, Message
from amparo.registry.services import intake
from amparo.vault import services as vault
from amparo.vault.tests.test_canary import _database_bytes, _sessions_and_cache
from conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def issued(client, language: str = "en") -> tuple[str, str]:
    """The receipt and binding that the form's page carries, as a browser reads them."""
    page = client.get("/r/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    receipt = re.search(r'name="receipt" value="([^"]+)"', page)
    binding = re.search(r'name="binding" value="([^"]+)"', page)
    assert receipt and binding, page[:500]
    return receipt.group(1), binding.group(1)


def submit(client, narrative: str = "they followed me home", **extra):
    """Send the form as a browser does: a redirect after a saved report is followed."""
    receipt, binding = issued(client)
    data = {"receipt": receipt, "binding": binding, "country": "HN", "narrative": narrative, **extra}
    return receipt, client.post("/r/", data, follow=True)


def conversation(client, receipt: str) -> str:
    """Her words typed on /r/back/; the short-lived address of her conversation they lead to."""
    response = client.post("/r/back/", {"receipt": receipt})
    assert response.status_code == 303, response.status_code
    return response["Location"]


# --- Receipts -------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_a_receipt_carries_at_least_80_bits_from_a_shipped_wordlist(language):
    # 8 words of a BIP-39 list (mnemonic): 2,048 words each, 88 bits (issue 16).
    words = intake.wordlist(language)
    assert len(words) == 2048, (language, len(words))
    receipt, binding = intake.issue_receipt(language)
    parts = receipt.split(" ")
    assert len(parts) == 8 and len(parts) * math.log2(len(words)) >= 80
    assert all(p in words for p in parts)
    assert vault.receipt_binding_valid(receipt, binding)


def test_the_receipt_is_in_the_visitors_language(client):
    receipt, _ = issued(client, "es")
    assert all(word in intake.wordlist("es") for word in receipt.split())


def test_derivation_ignores_case_and_spaces_and_splits_tag_and_key():
    a = vault.derive_reporter_keys("Alpha  beta gamma")
    b = vault.derive_reporter_keys(" alpha beta GAMMA ")
    assert a == b and a.lookup_tag != a.private_key.hex() and len(a.lookup_tag) == 64
    assert vault.derive_reporter_keys("alpha beta delta").lookup_tag != a.lookup_tag


# --- Submitting -----------------------------------------------------------------------------

def test_a_report_is_sealed_to_the_desk_and_her_receipt_and_shown_back(client, world):
    receipt, response = submit(client, narrative="they followed me home", when="last week",
                               targeted="colleague", safe_now="no", help_wanted="a lawyer")
    assert response.status_code == 200
    assert receipt in response.content.decode()
    incident = Incident.objects.get()
    assert incident.desk == world.desk_a and incident.channel == Incident.Channel.ANONYMOUS
    assert incident.reporter is None and not incident.consent_statistics  # default: documentation only
    assert b"followed" not in bytes(incident.narrative)
    text = vault.open_sealed(world.unlocked["documenter_a"], incident.narrative, label="registry.incident.narrative")
    assert "they followed me home" in text and "last week" in text
    # "Are you safe now?" and "what help would you like?" are fields of their own (issue 16).
    assert incident.safe_now == Incident.Safety.NO and "a lawyer" not in text and b"lawyer" not in bytes(
        incident.help_wanted)
    assert sealing.open_help_wanted(world.unlocked["documenter_a"], incident) == "a lawyer"
    keys = vault.derive_reporter_keys(receipt)
    assert AnonymousReceipt.objects.get().lookup_tag == keys.lookup_tag
    assert "a lawyer" in vault.open_with_private_key(keys.private_key, incident.help_wanted,
                                                     label="registry.incident.help_wanted")
    assert AuditEntry.objects.filter(action="incident.recorded", actor_label="anonymous").exists()


def test_sending_the_same_receipt_twice_stores_one_report(client, world):
    receipt, binding = issued(client)
    data = {"receipt": receipt, "binding": binding, "country": "HN", "narrative": "once"}
    assert client.post("/r/", data).status_code == 303
    assert client.post("/r/", data).status_code == 303
    assert Incident.objects.count() == 1 and AnonymousReceipt.objects.count() == 1


def test_a_receipt_the_server_did_not_issue_is_refused(client, world):
    response = client.post("/r/", {"receipt": "made up words here", "binding": "0" * 64, "country": "HN",
                                   "narrative": "kept in the form"})
    assert response.status_code == 400
    assert Incident.objects.count() == 0
    assert "kept in the form" in response.content.decode()


def test_a_country_without_a_desk_goes_to_the_coalition_desk(client, world):
    from amparo.network import services as network
    from amparo.network.models import Role

    coalition_desk = network.create_desk("system", world.coalition, slug="desk-c", name="Coalition desk",
                                         countries=[], coalition_wide=True)
    network.add_membership("system", user=world.users["documenter_a"], role=Role.DOCUMENTER,
                           network=world.coalition, desk=coalition_desk)
    receipt, response = submit(client, country="MX")
    assert response.status_code == 200
    assert Incident.objects.get().desk == coalition_desk


def test_a_photo_is_cleaned_and_sealed(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    raw = io.BytesIO()
    image.save(raw, format="JPEG", exif=exif.tobytes())
    upload = SimpleUploadedFile("photo.jpg", raw.getvalue(), content_type="image/jpeg")
    _, response = submit(client, file=upload)
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    stored = (tmp_path / "attachments" / attachment.stored_name).read_bytes()
    assert b"SecretPhoneMaker" not in stored


def test_a_file_too_large_is_refused_calmly(client, world, settings, tmp_path):
    settings.MEDIA_ROOT, settings.ATTACHMENT_MAX_BYTES = tmp_path, 10
    _, response = submit(client, file=SimpleUploadedFile("a.txt", b"x" * 100, content_type="text/plain"))
    assert response.status_code == 400 and Incident.objects.count() == 0


# --- Coming back and talking with the desk --------------------------------------------------

def test_she_comes_back_reads_the_desks_answer_and_writes_again(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    receipt, _ = submit(client)
    incident = Incident.objects.get()
    page = client.post("/r/back/", {"receipt": receipt.upper().replace(" ", "   ")}, follow=True)
    assert page.status_code == 200 and "Nobody on the team has opened it yet" in page.content.decode()

    desk = client_for(world, "documenter_a")
    assert desk.post(f"/registry/incidents/{incident.pk}/reply/", {"text": "We read you. Are you safe?"}
                     ).status_code == 302
    assert "We read you" in desk.get(f"/registry/incidents/{incident.pk}/").content.decode()

    address = conversation(client, receipt)
    page = client.get(address).content.decode()
    assert "We read you. Are you safe?" in page
    page = client.post(address, {"text": "Yes, for now.",
                                 "file": SimpleUploadedFile("more.txt", b"more", "text/plain")}, follow=True)
    assert page.status_code == 200 and "Yes, for now." in page.content.decode()
    assert [m.author for m in Message.objects.all()] == ["desk", "reporter"]
    assert incident.attachments.count() == 1
    assert "Yes, for now." in desk.get(f"/registry/incidents/{incident.pk}/").content.decode()
    assert client_for(world, "documenter_b").get(f"/registry/incidents/{incident.pk}/").status_code == 404


# --- Her pages at short-lived addresses (issue 15.4) ------------------------------------------

def test_her_words_are_posted_once_and_answered_by_a_redirect_to_a_short_lived_address(client, world):
    receipt, binding = issued(client)
    response = client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN", "narrative": "n"})
    assert response.status_code == 303
    address = response["Location"]
    assert re.fullmatch(r"/r/v/[A-Za-z0-9_-]{43}/", address)
    assert not any(word in address for word in receipt.split())
    page = client.get(address)
    assert page.status_code == 200 and receipt in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    again = client.post("/r/back/", {"receipt": receipt})
    assert again.status_code == 303 and again["Location"] != address
    page = client.get(again["Location"]).content.decode()
    assert "Nobody on the team has opened it yet" in page and receipt not in page


def test_the_quick_exit_closes_her_address(client, world):
    receipt, _ = submit(client, narrative="a secret of hers")
    address = conversation(client, receipt)
    assert "a secret of hers" in client.get(address).content.decode()
    client.get("/today/")
    page = client.get(address)
    assert page.status_code == 404
    text = page.content.decode()
    assert "a secret of hers" not in text and receipt not in text and "This page has closed" in text
    assert "quick-exit" in text
    assert client.post(address, {"text": "after the exit"}).status_code == 404
    assert not Message.objects.exists()


def test_her_address_closes_after_a_while_without_use(client, world, settings):
    settings.HER_PAGES_IDLE_SECONDS = 60
    receipt, _ = submit(client, narrative="a secret of hers")
    address = conversation(client, receipt)
    start = __import__("time").time()
    with mock.patch("time.time", return_value=start + 50):
        assert client.get(address).status_code == 200  # in use: it stays open
    with mock.patch("time.time", return_value=start + 100):
        assert client.get(address).status_code == 200
    with mock.patch("time.time", return_value=start + 200):
        page = client.get(address)
    assert page.status_code == 404 and "a secret of hers" not in page.content.decode()


def test_another_browser_cannot_open_her_address(client, world):
    from django.test import Client

    receipt, _ = submit(client, narrative="a secret of hers")
    address = conversation(client, receipt)
    page = Client().get(address)
    assert page.status_code == 404 and "a secret of hers" not in page.content.decode()


def test_a_message_written_on_a_closed_page_is_kept_in_the_page_and_sent_with_her_words(client, world):
    receipt, _ = submit(client)
    address = conversation(client, receipt)
    client.get("/today/")
    page = client.post(address, {"text": "written while it closed"})
    assert page.status_code == 404 and 'value="written while it closed"' in page.content.decode()
    assert not Message.objects.exists()
    form = re.search(r'name="text" value="([^"]*)"', page.content.decode()).group(1)
    client.post("/r/back/", {"receipt": receipt, "text": form}, follow=True)
    assert Message.objects.count() == 1


def test_the_session_keeps_neither_her_key_nor_her_words_in_clear(client, world):
    from django.contrib.sessions.models import Session

    receipt, _ = submit(client)
    conversation(client, receipt)
    keys = vault.derive_reporter_keys(receipt)
    for row in Session.objects.all():
        data = row.get_decoded()
        blob = repr(data).encode() + row.session_data.encode()
        assert receipt.encode() not in blob and keys.private_key.hex().encode() not in blob
        assert __import__("base64").b64encode(keys.private_key) not in blob


def client_for(world, who):
    from django.test import Client

    desk = Client()
    sign_in(desk, world.users[who], world.unlocked[who])
    return desk


def test_unknown_words_open_nothing(client, world):
    response = client.post("/r/back/", {"receipt": "not a receipt at all"})
    assert response.status_code == 404 and "no longer available" in response.content.decode()
    assert client.post("/r/v/made-up/", {"text": "hello"}).status_code == 404
    assert not Message.objects.exists()


def test_the_desk_cannot_reply_to_a_report_that_is_not_anonymous(client, world):
    from amparo.registry import services

    incident = services.record_incident(world.users["documenter_a"], world.desk_a,
                                        services.IncidentData(narrative="x"))
    client_for(world, "documenter_a").post(f"/registry/incidents/{incident.pk}/reply/", {"text": "hi"})
    assert not Message.objects.exists()


# --- The global limit -----------------------------------------------------------------------

def test_one_global_limit_slows_everyone_and_keeps_no_client_key(client, world, settings):
    settings.ANONYMOUS_GLOBAL_PER_MINUTE = 2
    submit(client, narrative="one")
    client.post("/r/back/", {"receipt": "a b c"})
    _, response = submit(client, narrative="three")
    assert response.status_code == 429 and "try again in a minute" in response.content.decode()
    assert client.post("/r/back/", {"receipt": "a b c"}).status_code == 429
    assert Incident.objects.count() == 1
    from amparo.core.models import Counter

    keys = list(Counter.objects.values_list("key", flat=True))
    assert keys and all(re.fullmatch(r"anonymous-intake:\d+", k) for k in keys), keys


# --- No trace -------------------------------------------------------------------------------

MARK_IP, MARK_FORWARDED, MARK_AGENT = "203.0.113.77", "198.51.100.99", "MarkedAgent/7.3 tracer"


@pytest.mark.django_db(transaction=True)
def test_no_address_or_user_agent_is_kept_anywhere(client, world, settings, tmp_path, caplog, capfd):
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")  # production keeps ERROR: here, everything
    headers = {"REMOTE_ADDR": MARK_IP, "HTTP_X_FORWARDED_FOR": MARK_FORWARDED, "HTTP_USER_AGENT": MARK_AGENT}
    page = client.get("/r/", **headers).content.decode()
    receipt = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    binding = re.search(r'name="binding" value="([^"]+)"', page).group(1)
    client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN", "narrative": "n",
                        "file": SimpleUploadedFile("f.txt", b"file", "text/plain")}, **headers)
    client.post("/r/back/", {"receipt": receipt}, **headers)
    client.post("/r/back/", {"receipt": "wrong words"}, **headers)  # a 404, which Django logs
    client.post(client.post("/r/back/", {"receipt": receipt}, **headers)["Location"], {"text": "more"}, **headers)
    assert Incident.objects.count() == 1 and Message.objects.count() == 1

    stores = dict(_database_bytes() + _sessions_and_cache())  # SQLite files (and -wal), or a pg_dump
    out, err = capfd.readouterr()
    stores |= {"logs": caplog.text.encode(), "stdout": out.encode(), "stderr": err.encode()}
    assert "Not Found" in caplog.text  # the logs were captured: the search means something
    for needle in (MARK_IP, MARK_FORWARDED, MARK_AGENT, "MarkedAgent", receipt):
        for where, blob in stores.items():
            assert needle.encode() not in blob, (needle, where)


def test_no_code_of_ours_reads_the_clients_address():
    root = Path(intake.__file__).parent.parent
    for path in [root / "services" / "intake.py", root / "views_intake.py", root / "forms_intake.py"]:
        text = path.read_text()
        assert "REMOTE_ADDR" not in text and "USER_AGENT" not in text and "FORWARDED" not in text


# --- Retention ------------------------------------------------------------------------------

def _occurs(needle: bytes, blob: bytes) -> bool:
    """Raw in SQLite's pages; in a pg_dump, bytea is written as hex."""
    return needle in blob or needle.hex().encode() in blob


@pytest.mark.django_db(transaction=True)
def test_an_untriaged_report_is_gone_after_90_days(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert settings.ANONYMOUS_RETENTION_DAYS == 90
    receipt, _ = submit(client, narrative="to be forgotten",
                        file=SimpleUploadedFile("f.txt", b"forget me " * 50, "text/plain"))
    client.post(conversation(client, receipt), {"text": "a message"})
    triaged_receipt, _ = submit(client, narrative="looked at")
    incident, triaged = Incident.objects.get(narrative__isnull=False, receipt__lookup_tag=vault.derive_reporter_keys(
        receipt).lookup_tag), Incident.objects.exclude(receipt__lookup_tag=vault.derive_reporter_keys(
            receipt).lookup_tag).get()
    from amparo.registry import services

    services.set_status(world.users["documenter_a"], triaged, Incident.Status.TRIAGE)
    sealed = bytes(incident.narrative)
    message = bytes(Message.objects.get(incident=incident).body)
    tag = incident.receipt.lookup_tag
    stored = tmp_path / "attachments" / incident.attachments.get().stored_name
    assert stored.exists()
    before = _database_bytes()
    for needle in (sealed[-48:], message[-48:], tag.encode()):  # the search can find them
        assert any(_occurs(needle, blob) for _, blob in before), needle
    start = timezone.now()

    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(days=89)):
        assert intake.expire_untriaged_reports() == 0
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(days=91)):
        assert intake.expire_untriaged_reports() == 1
        assert intake.expire_untriaged_reports() == 0  # safe to run twice

    assert not Incident.objects.filter(pk=incident.pk).exists() and Incident.objects.filter(pk=triaged.pk).exists()
    assert not Message.objects.filter(incident_id=incident.pk).exists() and not stored.exists()
    assert AuditEntry.objects.filter(action="incident.expired", object_id=str(incident.pk)).exists()
    for where, blob in _database_bytes():  # the SQLite file and its -wal (or a pg_dump)
        for needle in (sealed[-48:], message[-48:], tag.encode()):
            assert not _occurs(needle, blob), where

    response = client.post("/r/back/", {"receipt": receipt})
    assert response.status_code == 404 and "no longer available" in response.content.decode()
    assert client.post("/r/back/", {"receipt": triaged_receipt}).status_code == 303


def test_the_retention_job_is_scheduled(settings):
    from amparo.registry.tasks import expire_untriaged_reports

    assert settings.CELERY_BEAT_SCHEDULE["expire-untriaged-reports"]["task"] == expire_untriaged_reports.name


def test_a_report_handed_to_another_desk_stays_readable_by_her_and_the_new_desk(client, world):
    from amparo.network.models import Role
    from amparo.registry import services

    receipt, _ = submit(client)
    incident = Incident.objects.get()
    intake.reply_to_reporter(world.users["documenter_a"], incident, "first answer")
    incident.refresh_from_db()
    assert incident.status == Incident.Status.TRIAGE  # answering her is triage
    # documenter_a may hand cases to desk B: she is one of its documenters too.
    from amparo.network import services as network

    network.add_membership("system", user=world.users["documenter_a"], role=Role.DOCUMENTER,
                           network=world.network_b, desk=world.desk_b)
    services.move_to_desk(world.users["documenter_a"], incident, world.desk_b, world.unlocked["documenter_a"])
    opened = intake.open_with_receipt(receipt)
    assert opened is not None and "they followed me home" in opened.narrative
    assert [text for _, text in opened.messages] == ["first answer"]
    assert intake.open_thread(world.unlocked["documenter_b"], incident)[0][1] == "first answer"


def test_an_empty_form_stores_nothing_and_keeps_her_words(client, world):
    receipt, binding = issued(client)
    response = client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN"})
    assert response.status_code == 400 and receipt in response.content.decode()
    assert not Incident.objects.exists()
