"""The defender's side (issue 16): receipts she can type, her own short form, her sealed
conversation with her desk and its neutral e-mail, consent per use, and the desk's inbox that
puts who is in danger first."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from amparo.core.models import AuditEntry
from amparo.registry import sealing, services
from amparo.registry.models import ConsentRecord, Incident, Message
from amparo.registry.services import conversation, intake, receipts
from amparo.vault import services as vault
from conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


# --- Receipts she can type -------------------------------------------------------------------

def _slip(word: str) -> str:
    """A slip after the fourth letter (or a letter added to a shorter word's end is not one)."""
    return word[:4] + ("x" * max(1, len(word) - 4)) if len(word) > 4 else word


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_a_receipt_opens_with_capitals_without_accents_and_with_a_slip_after_the_fourth_letter(world, language):
    receipt, binding = intake.issue_receipt(language)
    incident = intake.submit_anonymous_report(receipt, binding, services.IncidentData(narrative="x", country="HN"))
    words = receipt.split()
    typed = [receipts.plain(w) for w in words]
    typed[2] = _slip(typed[2]).upper()
    typed[0] = typed[0].capitalize()
    opened = intake.open_with_receipt("  ".join(typed), language="en")  # her page now in another language
    assert opened is not None and opened.incident == incident


def test_a_wrong_word_is_named_and_a_receipt_of_before_still_opens(world):
    receipt, binding = intake.issue_receipt("es")
    intake.submit_anonymous_report(receipt, binding, services.IncidentData(narrative="x", country="HN"))
    words = receipt.split()
    wrong = " ".join(words[:2] + ["qqqq"] + words[3:])
    assert intake.open_with_receipt(wrong, language="es") is None
    assert intake.unrecognised_word(wrong, language="es") == 3
    assert intake.unrecognised_word(receipt, language="es") is None
    # A receipt issued before these lists (xkcdpass words, 7 of them): derived as typed.
    old = "langor desplego aperador chanela calaminar melanita orbe"
    keys = vault.derive_reporter_keys(old)
    incident = services.record_incident("anonymous", world.desk_a, services.IncidentData(narrative="old"),
                                        channel=Incident.Channel.ANONYMOUS, also_to=[keys.public_key])
    from amparo.registry.models import AnonymousReceipt

    AnonymousReceipt.objects.create(lookup_tag=keys.lookup_tag, incident=incident, public_key=keys.public_key)
    opened = intake.open_with_receipt("Langor desplego aperador chanela calaminar melanita orbe")
    assert opened is not None and opened.incident == incident


def test_coming_back_names_the_word_not_recognised_and_keeps_what_she_typed(client, world):
    receipt, binding = intake.issue_receipt("pt")
    intake.submit_anonymous_report(receipt, binding, services.IncidentData(narrative="x", country="HN"))
    words = receipt.split()
    wrong = " ".join(words[:4] + ["zzzz"] + words[5:])
    response = client.post("/r/back/", {"receipt": wrong}, HTTP_ACCEPT_LANGUAGE="pt")
    page = response.content.decode()
    assert response.status_code == 404 and "zzzz" in page and 'lang="pt"' in page
    assert re.search(r"\b5\b", page)
    typo = " ".join(words[:7] + [_slip(words[7])])
    assert client.post("/r/back/", {"receipt": typo}).status_code == 303


# --- Her own short form, her conversation, her e-mail ------------------------------------------

def _report(client, world, **extra):
    sign_in(client, world.users["defender"], world.unlocked["defender"])
    page = client.get("/registry/report/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    assert 'name="subdivision"' not in page and 'name="coordinates"' not in page and 'name="victims"' not in page
    data = {"submission_key": key, "country": "HN", "narrative": "they came to my office", "when": "yesterday",
            "targeted": "herself", "safe_now": "unsure", "help_wanted": "a lawyer", **extra}
    return client.post("/registry/report/", data)


def test_her_short_form_records_her_answers_in_fields_of_their_own(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    response = _report(client, world, file=SimpleUploadedFile("nota.txt", b"una nota", "text/plain"))
    assert response.status_code == 303
    incident = Incident.objects.get()
    assert incident.channel == Incident.Channel.DEFENDER and incident.reporter == world.users["defender"]
    assert incident.safe_now == Incident.Safety.UNSURE and incident.attachments.count() == 1
    for who in ("documenter_a", "defender"):  # sealed to the desk and to her
        assert sealing.open_help_wanted(world.unlocked[who], incident) == "a lawyer"
    narrative = services.open_incident(world.unlocked["documenter_a"], incident)["narrative"]
    assert "they came to my office" in narrative and "yesterday" in narrative and "lawyer" not in narrative
    assert [services.open_defender_name(world.unlocked["defender"], d) for d in incident.defenders.all()] == [
        world.users["defender"].display_name()]


def test_a_refused_short_form_keeps_what_she_typed(client, world):
    response = _report(client, world, country="HN", narrative="", when="", targeted="", safe_now="", help_wanted="",
                       perpetrator="")
    assert response.status_code == 400 and not Incident.objects.exists()
    response = _report(client, world, narrative="kept words", file=SimpleUploadedFile("big.bin", b"", "x/y"))
    assert "kept words" in response.content.decode()


def test_she_and_her_desk_write_to_each_other_sealed_and_she_is_told_by_a_neutral_email(client, world,
                                                                                           smtp_server):
    defender, documenter = world.users["defender"], world.users["documenter_a"]
    defender.email = "her@example.org"
    defender.save()
    _report(client, world, notify="on")
    incident = Incident.objects.get()
    assert incident.notify_reporter
    address = client.post("/registry/my-reports/open/", {"incident": incident.pk})["Location"]
    assert client.post(f"/registry/my-reports/{incident.pk}/write/", {"text": "they came back"}).status_code == 303
    message = Message.objects.get()
    assert b"came back" not in bytes(message.body)
    assert sealing.open_message(world.unlocked["documenter_a"], message) == "they came back"
    assert conversation.unread_counts([incident.pk], Message.Author.REPORTER) == {incident.pk: 1}
    conversation.reply_to_defender(documenter, incident, "we will call you")
    assert len(smtp_server) == 1
    mail = smtp_server[0]
    assert mail.recipients == ["her@example.org"] and "new message" in mail.body
    assert "call you" not in mail.body and "Desk" not in mail.body
    listing = client.get("/registry/my-reports/").content.decode()
    assert "1 new message" in listing
    page = client.get(client.post("/registry/my-reports/open/", {"incident": incident.pk})["Location"])
    assert "we will call you" in page.content.decode() and address
    assert conversation.unread_counts([incident.pk], Message.Author.DESK) == {}
    # She turns the e-mail off: the next answer sends none.
    client.post(f"/registry/my-reports/{incident.pk}/email/", {})
    conversation.reply_to_defender(documenter, incident, "again")
    assert len(smtp_server) == 1


def test_an_empty_message_is_refused_on_her_page_with_her_report(client, world):
    _report(client, world)
    incident = Incident.objects.get()
    response = client.post(f"/registry/my-reports/{incident.pk}/write/", {"text": "  "})
    assert response.status_code == 400 and "Write a few words" in response.content.decode()


# --- Consent per use ----------------------------------------------------------------------------

def test_she_gives_takes_back_and_gives_again_one_use_with_a_confirmation(client, world):
    _report(client, world, consent_statistics="on", consent_un="on")
    incident = Incident.objects.get()
    url = f"/registry/my-reports/{incident.pk}/consent/statistics/"
    confirm = client.get(url).content.decode()
    assert "no longer be counted" in confirm and 'value="no"' in confirm
    assert client.post(url, {"given": "no"}).status_code == 303
    incident.refresh_from_db()
    assert not incident.consent_statistics and incident.consent_un  # only that use
    assert incident not in Incident.objects.statistics_eligible()
    assert 'value="yes"' in client.get(url).content.decode()
    client.post(url, {"given": "yes"})
    incident.refresh_from_db()
    assert incident in Incident.objects.statistics_eligible()
    records = list(ConsentRecord.objects.values_list("use", "given", "how"))
    assert records == [("statistics", False, "online"), ("statistics", True, "online")]
    assert AuditEntry.objects.filter(action="incident.consent_given").count() == 1
    assert client.get(f"/registry/my-reports/{incident.pk}/consent/other/").status_code == 404


def test_a_staff_member_records_who_gave_a_consent_and_how(client, world):
    incident = services.record_incident("system", world.desk_a, services.IncidentData(narrative="x"))
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    url = f"/registry/incidents/{incident.pk}/consent/un/"
    assert "United Nations" in client.get(url).content.decode()
    refused = client.post(url, {"given": "yes", "given_by": "herself"})
    assert refused.status_code == 400 and not ConsentRecord.objects.exists()
    assert client.post(url, {"given": "yes", "given_by": "representative", "how": "phone"}).status_code == 302
    record = ConsentRecord.objects.get()
    assert (record.use, record.given, record.given_by, record.how, record.recorded_by) == (
        "un", True, "representative", "phone", world.users["documenter_a"])
    incident.refresh_from_db()
    assert incident.consent_un


# --- The desk sees who is in danger first ------------------------------------------------------

def test_the_inbox_marks_danger_sorts_it_first_and_counts_unread_messages(client, world):
    receipt, binding = intake.issue_receipt("en")
    danger = intake.submit_and_open(receipt, binding, services.IncidentData(narrative="x", country="HN",
                                                                            safe_now="no"))
    intake.add_reporter_message(danger, "please call")
    intake.add_reporter_message(danger, "soon")
    services.record_incident("system", world.desk_a, services.IncidentData(narrative="newer", safe_now="yes"))
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    inbox = f"/registry/desk/{world.desk_a.slug}/inbox/"
    newest = client.get(inbox).content.decode()
    assert "Not safe" in newest and "2 unread messages" in newest
    first = client.get(inbox + "?order=danger").content.decode()
    assert first.index(f"#{danger.incident.pk}") < first.index(f"#{danger.incident.pk + 1}")
    client.get(f"/registry/incidents/{danger.incident.pk}/")
    assert "unread message" not in client.get(inbox).content.decode()


def test_the_desk_form_records_safety_and_help_and_an_edit_keeps_them(client, world):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    page = client.get(f"/registry/desk/{world.desk_a.slug}/new/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    client.post(f"/registry/desk/{world.desk_a.slug}/new/", {
        "submission_key": key, "narrative": "at the market", "date_precision": "day", "victims": "1",
        "defender_kind": "individual", "reported_to_authorities": "unknown", "justice": "none",
        "safe_now": "no", "help_wanted": "a safe house"})
    incident = Incident.objects.get()
    assert incident.safe_now == "no"
    assert sealing.open_help_wanted(world.unlocked["documenter_a"], incident) == "a safe house"
    edit = client.get(f"/registry/incidents/{incident.pk}/edit/").content.decode()
    assert "a safe house" in edit


def test_her_form_refused_by_the_csrf_check_comes_back_filled_in(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, world.users["defender"], world.unlocked["defender"])
    response = browser.post("/registry/report/", {"narrative": "what they did", "help_wanted": "a lawyer"},
                            HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert response.status_code == 403 and "what they did" in page and "a lawyer" in page
    assert not Incident.objects.exists()


def test_reading_typed_words_tries_few_derivations():
    words = ["ábaco", "abdomen", "abeja", "abierto", "abogado", "abono", "aborto", "abrazo"]
    assert all(w in receipts.wordlist("es") for w in words)
    as_written = receipts.read(" ".join(words), "es")
    assert as_written.candidates == (" ".join(receipts.plain(w) for w in words),)  # accents: no receipt of before
    slipped = receipts.read("ABACUS abdomxx abej abie abog abon abor abra", "es")
    assert slipped.candidates[0] == " ".join(receipts.plain(w) for w in words) and slipped.unrecognised is None
    assert receipts.read("abaco abdomen nope abierto abogado abono aborto abrazo", "es").unrecognised == 3
    assert receipts.read("seven words of a receipt from before", "es") == receipts.Reading(
        ("seven words of a receipt from before",))


def test_an_anonymous_reporter_gives_and_takes_back_one_use_from_her_conversation(client, world):
    receipt, binding = intake.issue_receipt("es")
    incident = intake.submit_anonymous_report(receipt, binding, services.IncidentData(
        narrative="x", country="HN", consent_un=True))
    address = client.post("/r/back/", {"receipt": receipt})["Location"]
    page = client.get(address).content.decode()
    assert f"{address}consent/un/" in page
    assert "United Nations" in client.get(f"{address}consent/un/").content.decode()
    assert client.post(f"{address}consent/un/", {"given": "no"})["Location"] == address
    incident.refresh_from_db()
    assert not incident.consent_un
    client.post(f"{address}consent/statistics/", {"given": "yes"})
    incident.refresh_from_db()
    assert incident.consent_statistics and ConsentRecord.objects.filter(recorded_by=None).count() == 2
    assert client.get("/r/v/made-up/consent/un/").status_code == 404
