from __future__ import annotations

import logging
import threading
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client

from amparo.accounts import services, throttle
from amparo.accounts.models import UserSession
from amparo.accounts.session_keys import STARTED
from amparo.accounts.session_store import stored_key
from amparo.vault import services as vault

PASSWORD = "a long enough passphrase for tests"
ADDRESS = "203.0.113.77"  # a documentation address, easy to find if anything kept it


@pytest.fixture
def person(db, fast_password_hashing):
    cache.clear()
    user = services.create_user(username="rosa", password=PASSWORD, email="rosa@example.org")
    vault.create_member_key(user, PASSWORD)  # an existing member: no first-login key page
    return user


def _login(client, password=PASSWORD, username="rosa"):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT="Mozilla/5.0 (TestPhone)")


def test_it_allows_five_failures_a_minute_then_refuses_even_the_right_password(client, person):
    for _ in range(5):
        assert "do not match" in _login(client, "wrong password " * 2).content.decode()
    refused = _login(client)
    assert "Too many attempts" in refused.content.decode()
    assert client.get("/accounts/dashboard/").status_code == 302


def test_it_throttles_unknown_accounts_exactly_like_real_ones(client, person):
    for _ in range(5):
        _login(client, username="nobody-here")
    assert "Too many attempts" in _login(client, username="nobody-here").content.decode()
    # The real account is not affected by guesses at another name.
    assert _login(client).status_code == 302


@pytest.mark.django_db
def test_it_doubles_the_wait_with_each_further_failure():
    cache.clear()
    start = 1_000_000.0
    for i in range(5):
        throttle.failed("ana", now=start + i)
    first = throttle.check("ana", now=start + 5)
    assert not first.allowed and 50 <= first.retry_after <= 61  # waits out the minute
    after_minute = start + 61
    assert throttle.check("ana", now=after_minute).allowed
    throttle.failed("ana", now=after_minute)  # sixth in a row
    second = throttle.check("ana", now=after_minute + 1)
    assert not second.allowed and 25 <= second.retry_after <= 31
    throttle.failed("ana", now=after_minute + 40)  # seventh
    third = throttle.check("ana", now=after_minute + 41)
    assert not third.allowed and 55 <= third.retry_after <= 61
    throttle.succeeded("ana")
    assert throttle.check("ana", now=after_minute + 42).allowed


@pytest.mark.django_db
def test_it_pauses_all_logins_past_the_global_ceiling(settings):
    cache.clear()
    settings.LOGIN_GLOBAL_FAILURES_PER_MINUTE = 10
    now = 2_000_000.0
    for i in range(10):
        throttle.failed(f"user{i}", now=now)
    assert not throttle.check("someone-else", now=now + 1).allowed
    assert throttle.check("someone-else", now=now + 61).allowed


def test_it_keeps_no_address_or_browser_anywhere(client, person, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(3):
        _login(client, "wrong password " * 2)
    _login(client)
    client.get("/accounts/security/", REMOTE_ADDR=ADDRESS)
    dump = "\n".join(connection.connection.iterdump()) if connection.vendor == "sqlite" else _pg_dump()
    assert ADDRESS not in dump and "TestPhone" not in dump
    assert ADDRESS not in caplog.text and "TestPhone" not in caplog.text
    for session in Session.objects.all():
        assert ADDRESS not in str(session.get_decoded())


def _pg_dump() -> str:
    rows = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the catalogue
            rows += [repr(r) for r in cursor.fetchall()]
    return "\n".join(rows)


def test_it_ends_sessions_after_twelve_hours_whatever_the_activity(client, person):
    _login(client)
    session = client.session
    session[STARTED] = time.time() - 12 * 3600 - 1
    session.save()
    assert client.get("/accounts/dashboard/").status_code == 302
    assert client.get("/accounts/dashboard/")["Location"].startswith("/accounts/login/")


def test_it_lists_sessions_and_ends_the_others(client, person):
    from django.test import Client

    phone, laptop = Client(), Client()
    _login(phone)
    _login(laptop)
    _login(client)
    page = client.get("/accounts/security/").content.decode()
    assert page.count("End this session") == 3
    assert page.count("this device") == 1
    assert ADDRESS not in page
    client.post("/accounts/sessions/end-others/")
    assert UserSession.objects.filter(user=person).count() == 1
    assert phone.get("/accounts/dashboard/").status_code == 302
    assert laptop.get("/accounts/dashboard/").status_code == 302
    assert client.get("/accounts/dashboard/").status_code == 200


def test_it_ends_one_chosen_session(client, person):
    from django.test import Client

    phone = Client()
    _login(phone)
    _login(client)
    other = UserSession.objects.exclude(session_key=stored_key(client.session.session_key)).get()
    client.post(f"/accounts/sessions/{other.pk}/end/")
    assert phone.get("/accounts/dashboard/").status_code == 302
    assert client.get("/accounts/dashboard/").status_code == 200


def test_it_runs_at_most_the_configured_number_of_argon2_hashes_at_once(settings, monkeypatch):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from amparo.accounts import hashers

    settings.ARGON2_MAX_CONCURRENT = 2
    monkeypatch.setattr(hashers, "_gate", None)
    running, peak, lock = [0], [0], threading.Lock()

    def slow_encode(self, password, salt):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return "argon2$fake"

    monkeypatch.setattr(Argon2PasswordHasher, "encode", slow_encode)
    hasher = hashers.BoundedArgon2PasswordHasher()
    threads = [threading.Thread(target=hasher.encode, args=("pw", "salt")) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 2


def test_it_sweeps_expired_sessions_and_their_list_rows(client, person):
    from datetime import timedelta

    from django.utils import timezone

    from amparo.accounts.tasks import sweep_expired_sessions

    _login(client)
    live = client.session.session_key
    old = services.record_session(person, "old-session-key")
    UserSession.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(hours=13))
    Session.objects.create(session_key=stored_key("old-session-key"), session_data="",
                           expire_date=timezone.now() + timedelta(hours=1))
    services.record_session(person, "gone-session-key")  # its session row no longer exists
    Session.objects.create(session_key="idle-key", session_data="", expire_date=timezone.now() - timedelta(minutes=1))
    assert sweep_expired_sessions() == 2
    assert set(UserSession.objects.values_list("session_key", flat=True)) == {stored_key(live)}
    assert set(Session.objects.values_list("session_key", flat=True)) == {stored_key(live)}
    assert sweep_expired_sessions() == 0


@pytest.mark.django_db(transaction=True)
def test_it_lets_five_tries_through_when_many_arrive_at_once():
    """Tries counted before the password is checked, atomically: twelve parallel tries for
    one account get five through, whatever the timing (database counters, not read-then-write)."""
    start = time.time()
    verdicts: list[bool] = []
    barrier = threading.Barrier(12)

    def attempt() -> None:
        barrier.wait()
        try:
            verdicts.append(throttle.check("burst", now=start).allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(verdicts) == [False] * 7 + [True] * 5
    throttle.succeeded("burst", now=start)
    assert throttle.check("burst", now=start).allowed


@pytest.mark.django_db
def test_it_sweeps_counters_of_past_minutes():
    from amparo.core import counters
    from amparo.core.models import Counter

    counters.bump("x", 60, now=1_000)
    counters.bump("x", 60, now=1_000)
    assert counters.peek("x", 60, now=1_010) == 2
    assert counters.sweep(now=1_050) == 0  # the minute 960–1019, kept a minute more
    assert counters.sweep(now=1_100) == 1 and not Counter.objects.exists()


def test_it_keeps_only_a_hash_of_each_session_key(client, person):
    """A copy of the session table cannot be replayed as a cookie."""
    _login(client)
    key = client.session.session_key
    assert key and not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=stored_key(key)).exists()
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = stored_key(key)  # what a database copy shows
    assert stolen.get("/accounts/dashboard/").status_code == 302
    assert client.get("/accounts/dashboard/").status_code == 200
