"""With a frozen clock: a request nobody answers escalates to the leads at 60 minutes and again
at 90, once each however often the job runs; an answered one never escalates."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from amparo.helpdesk import services, tasks
from amparo.helpdesk.models import Escalation

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0)


def _at(minutes: int):
    return mock.patch("django.utils.timezone.now", return_value=START + timedelta(minutes=minutes))


def _asked(world, text="Me quitaron el teléfono", key="k1"):
    with _at(0):
        return services.ask_for_help(world.users["defender"], services.Asked("device", "es", text, key))


def test_an_unanswered_request_escalates_at_60_and_90_minutes_once_each(world, experts, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    request = _asked(world)
    answered = _asked(world, key="k2")
    services.reply_as_expert(experts["es"], answered, "Ya voy", now=START + timedelta(minutes=10))

    for minute, expected in ((59, set()), (60, {60}), (61, {60}), (89, {60}), (90, {60, 90}), (200, {60, 90})):
        with _at(minute):
            tasks.escalate_unanswered()
            tasks.escalate_unanswered()  # twice: nothing new
        assert set(Escalation.objects.filter(request=request).values_list("minutes", flat=True)) == expected
    assert not Escalation.objects.filter(request=answered).exists()
    # The lead (the French expert) was told once per level.
    told = [m for m in mail.outbox if experts["fr"].email in m.to]
    assert len(told) == 2 and "60" in told[0].subject and "90" in told[1].subject
    assert "teléfono" not in told[0].body  # the e-mail says which request, never what she wrote


def test_an_answer_before_60_minutes_stops_the_clock(world, experts):
    request = _asked(world)
    services.reply_as_expert(experts["es"], request, "Aquí estoy", now=START + timedelta(minutes=59))
    with _at(120):
        assert services.escalate_unanswered() == []
