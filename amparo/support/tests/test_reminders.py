"""With a frozen clock, an overdue request is marked and its reviewers reminded once, over real
SMTP on loopback; a second run sends nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from amparo.support import tasks
from amparo.support.models import SupportRequest
from amparo.support.services import reminders
from amparo.support.tests.test_requests import _member_request


def test_an_overdue_request_is_reminded_once(world, smtp_server, monkeypatch):
    world.users["fund_reviewer"].email = "reviewer@coalition.example"
    world.users["fund_reviewer"].save()
    request = _member_request(world, details={"destination": "secret-city"})
    on_time = _member_request(world, kind="legal")
    frozen = request.due_at + timedelta(minutes=1)
    SupportRequest.objects.filter(pk=on_time.pk).update(due_at=frozen + timedelta(hours=1))
    monkeypatch.setattr(reminders.timezone, "now", lambda: frozen)

    assert tasks.remind_overdue_requests() == 1
    assert len(smtp_server) == 1
    mail = smtp_server[0]
    assert mail.recipients == ["reviewer@coalition.example"]
    assert request.reference in mail.body and f"/support/{request.pk}/" in mail.body
    assert "secret-city" not in mail.body
    request.refresh_from_db()
    assert request.overdue_reminded_at == frozen

    assert tasks.remind_overdue_requests() == 0  # the second run sends nothing
    assert len(smtp_server) == 1


def test_the_job_is_in_the_beat_schedule():
    from amparo.celery import app

    assert app.conf.beat_schedule["support-remind-overdue"]["task"] == "amparo.support.tasks.remind_overdue_requests"
    assert timezone.now()


def test_payment_steps_and_the_follow_up_report_reminded_once(world, smtp_server, monkeypatch):
    import pytest

    from amparo.support import services

    world.users["fund_reviewer"].email = "reviewer@coalition.example"
    world.users["fund_reviewer"].save()
    reviewer = world.users["fund_reviewer"]
    request = _member_request(world)
    with pytest.raises(services.DecisionRefused):
        services.record_payment(reviewer, request, "sent")  # not approved yet
    services.decide(reviewer, request, outcome="approved", amount=request.amount)
    request.refresh_from_db()
    services.record_payment(reviewer, request, "sent")
    with pytest.raises(services.DecisionRefused):
        services.record_payment(reviewer, request, "planned")  # forward only
    services.record_payment(reviewer, request, "received")
    request.refresh_from_db()
    assert request.payment == "received" and request.report_due_at is not None
    SupportRequest.objects.filter(pk=request.pk).update(overdue_reminded_at=request.due_at)
    frozen = request.report_due_at + timedelta(days=1)
    monkeypatch.setattr(reminders.timezone, "now", lambda: frozen)
    assert tasks.remind_overdue_requests() == 1
    assert len(smtp_server) == 1 and request.reference in smtp_server[0].body
    assert tasks.remind_overdue_requests() == 0 and len(smtp_server) == 1
