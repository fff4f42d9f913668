from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from amparo.core.security import STAFF_CSP, STRICT_CSP
from conftest import sign_in

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_it_serves_a_home_page_in_plain_words(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Protection and solidarity for women human rights defenders" in page
    assert "/accounts/login/" in page
    assert "http://" not in page.replace('http://www.w3.org', '') and "https://" not in page


@pytest.mark.django_db
def test_it_serves_the_home_page_in_the_chosen_language(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="es">' in page


@pytest.mark.django_db
def test_it_sends_the_strict_policy_on_public_pages(client):
    response = client.get("/")
    assert response["Content-Security-Policy"] == STRICT_CSP
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_sends_the_staff_policy_on_staff_pages(client, world):
    sign_in(client, world.users["coordinator"])
    response = client.get("/network/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STAFF_CSP
    assert "no-store" in response["Cache-Control"]
    # Defender-facing pages stay strict even for a logged-in person.
    assert client.get("/accounts/dashboard/")["Content-Security-Policy"] == STRICT_CSP


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120)


def test_it_refuses_to_start_in_production_without_a_secret_key_or_hosts():
    result = _manage("check", AMPARO_ENV="production", ALLOWED_HOSTS="amparo.example.org",
                     EMAIL_HOST="127.0.0.1")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    result = _manage("check", AMPARO_ENV="production", SECRET_KEY="k" * 60, EMAIL_HOST="127.0.0.1")
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr
    result = _manage("check", AMPARO_ENV="production", SECRET_KEY="k" * 60, EMAIL_HOST="127.0.0.1",
                     ALLOWED_HOSTS="amparo.example.org")
    assert result.returncode != 0 and "VAULT_SERVICE_KEY" in result.stderr


def test_it_passes_the_deployment_checklist_in_production(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-" + "q7" * 30)
    result = _manage("check", "--deploy", "--fail-level", "WARNING", AMPARO_ENV="production",
                     SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="amparo.example.org",
                     VAULT_SERVICE_KEY="MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                     EMAIL_HOST="127.0.0.1", STATIC_ROOT=str(tmp_path / "static"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_it_accepts_a_same_origin_form_post_without_origin_or_referer():
    """Under `Referrer-Policy: no-referrer` a browser sends `Origin: null` and no Referer."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/", secure=True)
    token = client.cookies["csrftoken"].value
    form = {"username": "nobody", "password": "not the password", "csrfmiddlewaretoken": token}
    ok = client.post("/accounts/login/", form, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin", secure=True)
    assert ok.status_code == 200  # reached the form: a wrong password, not a CSRF refusal
    cross = client.post("/accounts/login/", form, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site", secure=True)
    assert cross.status_code == 403
    no_token = client.post("/accounts/login/", {**form, "csrfmiddlewaretoken": ""}, HTTP_ORIGIN="null",
                           HTTP_SEC_FETCH_SITE="same-origin", secure=True)
    assert no_token.status_code == 403
    foreign = client.post("/accounts/login/", form, HTTP_ORIGIN="https://evil.example", secure=True)
    assert foreign.status_code == 403


@pytest.mark.django_db
def test_it_sets_no_cookie_on_a_public_page_without_a_form(client):
    response = client.get("/")
    assert not response.cookies
