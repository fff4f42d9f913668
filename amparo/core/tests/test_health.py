"""The health endpoint: "ok" while the database, the cache and the broker answer, "unavailable"
otherwise, and never a word more (docs/deploy.md, monitoring)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.utils import OperationalError

from amparo.core import views
from conftest import sign_in


@pytest.mark.django_db
def test_it_answers_ok_to_anyone_and_says_nothing_else(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert not response.cookies  # a monitor gets no session and no CSRF cookie


@pytest.mark.django_db
def test_it_answers_the_same_to_a_signed_in_member(client, world):
    sign_in(client, world.users["coordinator"])
    response = client.get("/health")
    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.django_db
def test_it_refuses_anything_but_get(client):
    assert client.post("/health").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("part", ["_database_answers", "_cache_answers", "_broker_answers"])
def test_a_part_that_fails_gives_unavailable_without_its_error(client, monkeypatch, caplog, part):
    secret = "postgres://admin:hunter2@db-7.internal:5432 version 16.4"

    def fails() -> None:
        raise RuntimeError(secret)

    monkeypatch.setattr(views, part, fails)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.content == b"unavailable"
    assert "hunter2" not in caplog.text and "db-7" not in caplog.text  # the log names the part only
    assert "RuntimeError" in caplog.text


@pytest.mark.django_db
def test_it_fails_when_the_database_is_gone(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health")
    assert (response.status_code, response.content) == (503, b"unavailable")
