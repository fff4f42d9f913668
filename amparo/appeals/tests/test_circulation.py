"""Circulation end to end on a real SMTP server on loopback: every message checked."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from amparo.appeals import progress, services, tasks
from amparo.appeals.models import Appeal, AppealUpdate, Delivery, Supporter
from amparo.appeals.rendering import message_id
from amparo.appeals.services import circulation_queue
from amparo.appeals.tests.circulation_support import (
    SUMMARIES,
    TITLES,
    UPDATE_TITLES,
    approve,
    approved_update,
    draft_in_review,
    make_supporters,
    parse,
)

pytestmark = pytest.mark.django_db


def test_it_circulates_an_appeal_and_an_update_to_2000_supporters_in_their_languages(world, smtp_server,
                                                                                     settings):
    settings.AMPARO_PUBLIC_URL = "https://amparo.example"
    settings.AMPARO_MAIL_DOMAIN = "amparo.example"
    # 2,000 who want it, in English, Spanish and French (one in ten prefers Portuguese, which
    # the appeal is not written in, then Spanish); 50 interested only in another country.
    wanted = make_supporters(2000, languages=["en", "es", "fr", "es", "fr", "en", "en", "es", "fr", "pt,es"])
    elsewhere = make_supporters(50, languages=["en"], countries=["CD"], prefix="cd")
    appeal = draft_in_review(world)
    appeal = services.approve_appeal(world.users["coordinator"], appeal, unlocked=world.unlocked["coordinator"])
    assert Delivery.objects.filter(appeal=appeal).count() == 2000

    # Half the batches go out; meanwhile one supporter leaves and the rest is sent.
    for _ in range(5):
        tasks.send_batch("email", "test-worker")
    sent_before = set(Delivery.objects.filter(status="sent").values_list("supporter_id", flat=True))
    leaving = next(m for m in wanted if m.pk not in sent_before)
    Supporter.objects.filter(pk=leaving.pk).update(status=Supporter.Status.UNSUBSCRIBED)
    tasks.drain("email", "test-worker")

    by_address = {m.email: m for m in wanted}
    assert not {r.recipients[0] for r in smtp_server} & {m.email for m in elsewhere}
    assert len(smtp_server) == 1999
    originals: dict[str, str] = {}
    for received in smtp_server:
        message = parse(received.body)
        supporter = by_address[received.recipients[0]]
        assert message["To"] == supporter.email
        expected = supporter.languages.split(",")[-1] if supporter.languages.startswith("pt") else supporter.languages
        body = message.get_content()
        assert message["Content-Language"] == expected
        assert TITLES[expected] in message["Subject"] and TITLES[expected] in body
        assert SUMMARIES[expected] in body
        assert appeal.reference in message["Subject"]
        assert f"https://amparo.example/appeals/s/{supporter.token}/unsubscribe/" in body
        assert message["List-Unsubscribe"] == f"<https://amparo.example/appeals/s/{supporter.token}/unsubscribe/>"
        assert f"https://amparo.example/appeals/p/{appeal.pk}/#did-h" in body
        assert body.count("/appeals/s/") == 2  # her preferences and unsubscribe links, nobody else's
        assert message["Message-ID"].endswith("@amparo.example>")
        originals[supporter.email] = message["Message-ID"]
    assert len(set(originals.values())) == 1999
    assert leaving.email not in originals
    assert Delivery.objects.get(supporter_id=leaving.pk).status == "stopped"
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.CIRCULATED and appeal.circulated_at is not None

    # The update: to exactly those who received the original.
    smtp_server.clear()
    late = make_supporters(20, languages=["en"], prefix="late")  # subscribed after: no update
    update = approved_update(world, appeal)
    tasks.drain("email", "test-worker")
    recipients = Counter(r.recipients[0] for r in smtp_server)
    assert set(recipients) == set(originals) and set(recipients.values()) == {1}
    assert not set(recipients) & {m.email for m in late}
    for received in smtp_server:
        message = parse(received.body)
        supporter = by_address[received.recipients[0]]
        expected = message["Content-Language"]
        assert expected == (supporter.languages.split(",")[-1] if supporter.languages.startswith("pt")
                            else supporter.languages)
        assert UPDATE_TITLES[expected] in message["Subject"]
        assert f"/appeals/s/{supporter.token}/unsubscribe/" in message.get_content()
        assert message["Message-ID"] != originals[supporter.email]
    update.refresh_from_db()
    assert update.status == AppealUpdate.Status.CIRCULATED

    figures = {p.channel: p for p in progress.progress(appeal)}["email"]
    assert figures.counts["sent"] == 1999 and figures.counts["stopped"] == 1
    assert figures.first is not None and figures.last is not None and figures.first <= figures.last


def test_it_sends_the_update_to_those_who_receive_the_original_after_it_was_approved(world, smtp_server):
    make_supporters(30, languages=["en"])
    appeal = approve(world, draft_in_review(world))
    tasks.send_batch("email", "w", size=10)
    update = approved_update(world, appeal)
    assert Delivery.objects.filter(update=update).count() == 10  # those who had the original
    tasks.drain("email", "w")
    assert Delivery.objects.filter(update=update, status="sent").count() == 30
    assert len(smtp_server) == 60


def test_stopping_an_appeal_stops_what_is_unsent_at_once(world, smtp_server):
    make_supporters(50, languages=["en"])
    appeal = approve(world, draft_in_review(world))
    tasks.send_batch("email", "w", size=10)
    token = circulation_queue.claim_batch("email", "w", 10)  # a batch in a worker's hands
    services.stop_appeal(world.users["coordinator"], appeal)
    counts = Counter(Delivery.objects.values_list("status", flat=True))
    assert counts == {"sent": 10, "stopped": 40}
    assert token is not None and not Delivery.objects.filter(claim_token=token, status="claimed").exists()
    assert tasks.drain("email", "w") == 0
    assert len(smtp_server) == 10


def test_a_worker_checks_for_a_stop_just_before_it_sends(world, smtp_server):
    make_supporters(10, languages=["en"])
    appeal = approve(world, draft_in_review(world))
    # Stopped behind circulation's back: the worker's own check must catch it.
    Appeal.objects.filter(pk=appeal.pk).update(stopped_at=timezone.now())
    tasks.send_batch("email", "w")
    assert smtp_server == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"stopped"}


def test_two_claims_never_share_a_delivery_and_stale_claims_return(world, settings):
    make_supporters(25, languages=["en"])
    services.approve_appeal(world.users["coordinator"], draft_in_review(world), unlocked=world.unlocked["coordinator"])
    first = circulation_queue.claim_batch("email", "a", 10)
    second = circulation_queue.claim_batch("email", "b", 10)
    third = circulation_queue.claim_batch("email", "c", 10)
    mine = {t: set(Delivery.objects.filter(claim_token=t).values_list("pk", flat=True)) for t in (first, second, third)}
    assert [len(v) for v in mine.values()] == [10, 10, 5]
    assert not (mine[first] & mine[second]) and not (mine[second] & mine[third])
    assert circulation_queue.claim_batch("email", "d", 10) is None
    assert circulation_queue.release_stale_claims() == 0  # fresh claims stay
    Delivery.objects.filter(claim_token=first).update(claimed_at=timezone.now() - timedelta(hours=1))
    assert circulation_queue.release_stale_claims() == 10
    assert Delivery.objects.filter(status="queued").count() == 10


def test_the_message_id_is_the_same_on_every_attempt(world, smtp_server):
    make_supporters(3, languages=["en"])
    services.approve_appeal(world.users["coordinator"], draft_in_review(world), unlocked=world.unlocked["coordinator"])
    token = circulation_queue.claim_batch("email", "dies", 10)
    assert token
    Delivery.objects.update(claimed_at=timezone.now() - timedelta(hours=1))  # it died mid-batch
    circulation_queue.release_stale_claims()
    tasks.drain("email", "w")
    expected = {message_id(u) for u in Delivery.objects.values_list("uuid", flat=True)}
    assert {parse(r.body)["Message-ID"] for r in smtp_server} == expected


def test_progress_is_counted_per_channel_and_status(world, smtp_server):
    make_supporters(12, languages=["en"])
    appeal = approve(world, draft_in_review(world))
    tasks.send_batch("email", "w", size=5)
    (email,) = progress.progress(appeal)
    assert email.channel == "email" and email.total == 12
    assert email.counts["sent"] == 5 and email.counts["queued"] == 7
    assert email.first is not None and email.last is not None
    assert timedelta(0) <= email.first <= email.last


def test_the_staff_page_shows_progress_per_channel(world, smtp_server, client):
    from conftest import sign_in

    make_supporters(12, languages=["en"])
    appeal = approve(world, draft_in_review(world))
    tasks.send_batch("email", "w", size=5)
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    page = client.get(f"/appeals/{appeal.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="circulation"' in html
    row = html[html.index("<tbody>", html.index('id="circulation"')):]
    # Each cell names its column (data-label) for the stacked rows of a phone.
    assert re.search(r"<td[^>]*>7</td><td[^>]*>5</td><td[^>]*>0</td><td[^>]*>0</td><td[^>]*>0</td>", row)


def test_a_reader_whose_languages_it_lacks_gets_the_original_marked_as_such(world, smtp_server):
    make_supporters(1, languages=["pt"])
    approve(world, draft_in_review(world, languages=("en", "es")))
    tasks.drain("email", "w")
    message = parse(smtp_server[0].body)
    assert message["Content-Language"] == "en" and TITLES["en"] in message["Subject"]
    with translation.override("pt"):  # the note, in her language
        note = gettext("This appeal is not translated into your language yet: here it is in its original language.")
    assert " ".join(note.split()) in " ".join(message.get_content().split())


def test_a_batch_that_fails_on_our_side_waits_its_back_off_and_ends_as_failed(world, smtp_server, settings,
                                                                             monkeypatch):
    settings.AMPARO_CIRCULATION_MAX_ATTEMPTS = 2
    make_supporters(3, languages=["en"])
    services.approve_appeal(world.users["coordinator"], draft_in_review(world), unlocked=world.unlocked["coordinator"])

    def broken(*args, **kwargs):
        raise RuntimeError("a template error")

    monkeypatch.setattr(tasks, "prepare", broken)
    with pytest.raises(RuntimeError):
        tasks.send_batch("email", "w")
    assert set(Delivery.objects.values_list("status", "attempts")) == {("queued", 1)}
    assert tasks.send_batch("email", "w") == 0  # not before its back-off
    Delivery.objects.update(next_attempt_at=timezone.now())
    with pytest.raises(RuntimeError):
        tasks.send_batch("email", "w")
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}
    assert smtp_server == []


def test_the_sweeper_returns_stale_claims_and_starts_senders_only_when_nobody_sends(world, settings, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(circulation_queue, "kick", lambda channel, count=None: started.append(channel))
    make_supporters(5, languages=["en"])
    services.approve_appeal(world.users["coordinator"], draft_in_review(world), unlocked=world.unlocked["coordinator"])
    circulation_queue.claim_batch("email", "alive", 2)
    assert circulation_queue.sweep() == {"released": 0, "started": 0}  # someone is sending
    Delivery.objects.filter(status="claimed").update(claimed_at=timezone.now() - timedelta(hours=1))
    assert circulation_queue.sweep() == {"released": 2, "started": 1}
    assert started == ["email"]


def test_the_task_sends_what_is_due(world, smtp_server):
    make_supporters(4, languages=["fr"])
    services.approve_appeal(world.users["coordinator"], draft_in_review(world), unlocked=world.unlocked["coordinator"])
    assert tasks.send_deliveries.apply(args=("email",)).get() == 4
    assert len(smtp_server) == 4
    assert Delivery.objects.filter(status="sent", claimed_by__contains=":").count() == 4
