"""The anonymous form when the database or the disk fails while she sends: her words back,
never a 500 page that lost them (the real faults are in amparo/tests/faults/; these are the
quick checks of the same answers)."""

from __future__ import annotations

import errno

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError

from amparo.registry.models import Incident
from amparo.registry.services import intake
from amparo.registry.tests.test_intake import issued

WORDS = "Me siguieron desde la radio hasta mi casa."


def _answers(client):
    receipt, binding = issued(client)
    return receipt, {"receipt": receipt, "binding": binding, "country": "HN", "narrative": WORDS, "when": "el martes"}


@pytest.mark.django_db
def test_the_database_away_while_she_sends_gives_her_form_back_with_the_same_words(client, world, monkeypatch):
    def away(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(intake, "submit_and_open", away)
    client.raise_request_exception = False  # as in production: the 500 handler answers
    receipt, data = _answers(client)
    response = client.post("/r/", data)
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "We could not save your report just now" in page
    assert WORDS in page and 'value="el martes"' in page and f'name="receipt" value="{receipt}"' in page
    monkeypatch.undo()
    sent = client.post("/r/", data)  # sent again, the database back: stored once
    assert sent.status_code == 303 and Incident.objects.count() == 1


@pytest.mark.django_db
def test_another_error_while_she_sends_is_still_the_plain_500_page(client, world, monkeypatch):
    monkeypatch.setattr(intake, "submit_and_open", lambda *a, **k: 1 / 0)
    client.raise_request_exception = False
    response = client.post("/r/", _answers(client)[1])
    assert response.status_code == 500


@pytest.mark.django_db
def test_a_file_that_cannot_be_written_gives_her_form_back_and_stores_nothing(client, world, monkeypatch):
    from amparo.registry.services import attachments

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(attachments.sealing, "seal_attachment_file", full)
    receipt, data = _answers(client)
    response = client.post("/r/", {**data, "file": SimpleUploadedFile("a.ogg", b"\1" * 2048)})
    page = response.content.decode()
    assert response.status_code == 507
    assert "could not be stored" in page and WORDS in page and f'name="receipt" value="{receipt}"' in page
    assert not Incident.objects.exists()
