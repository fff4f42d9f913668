"""Public pages never wait for a computation: they read the version of the public tables that
the single-flight job published, rendered once per version and language (issue 25)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from amparo.analytics.models import PublicRefresh, PublicTables
from amparo.analytics.services import public as job
from amparo.analytics.statistics import public as public_stats
from amparo.analytics.tests.stats_data import make, ship_groupings
from amparo.celery import app
from amparo.registry.models import Incident
from amparo.registry.signals import announce

API = "/api/v1/stats/incidents"
PUBLIC_URLS = ["/analytics/", "/analytics/map/?year=2023", "/analytics/map/data.json?year=2023",
               f"{API}?public=1&group_by=country,year", f"{API}?public=1&group_by=state&year=2023&format=csv"]


@pytest.fixture(autouse=True)
def _shipped(db, vocabulary):
    ship_groupings()


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _computations() -> int:
    return PublicRefresh.objects.get(pk=1).runs


def _countries(client, year: int = 2023) -> dict[str, int | None]:
    answer = client.get(API, {"public": "1", "group_by": "country", "year": year}).json()
    return {r["country"]: r["incidents"] for r in answer["rows"]}


class _NoComputing:
    """Fails the test if anything computes public tables or reads the incidents."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("a visitor's request computed public tables")

        for name in ("public_tables", "protected_tables", "grouped"):
            monkeypatch.setattr(public_stats, name, refuse)


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_before_the_first_run_a_visitor_is_told_the_figures_are_being_prepared(client, world, monkeypatch, url):
    make(world.desk_a, 8, country="HN", year=2023)
    _NoComputing(monkeypatch)
    queued = []
    monkeypatch.setattr(job, "queue_first_version", lambda: queued.append(1))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert not any(Incident._meta.db_table in q["sql"] for q in queries.captured_queries)
    assert queued == [1]  # the job is asked for, not run
    if url.startswith(API):
        assert response.status_code == 202 and response["Retry-After"] == "60"
        assert "being prepared" in response.content.decode()
    else:
        assert response.status_code == 200
        body = response.content.decode()
        assert "being prepared" in body or '"preparing": true' in body


def test_the_message_is_translated(client, world):
    html = client.get("/analytics/map/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "being prepared" not in html and "Las cifras se están preparando" in html


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_with_a_published_version_a_visitor_reads_it_and_never_computes(client, world, publish, monkeypatch, url):
    make(world.desk_a, 8, country="HN", year=2023)
    make(world.desk_a, 6, country="CO", year=2023)
    publish()
    make(world.desk_a, 5, country="PE", year=2023)  # written since: not in the published version
    _NoComputing(monkeypatch)
    monkeypatch.setattr(job, "queue_first_version", lambda: pytest.fail("a version exists"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert not any(Incident._meta.db_table in q["sql"] for q in queries.captured_queries)
    body = response.content.decode()
    assert "Peru: 5" not in body and "Peru</th>" not in body and '"country":"PE"' not in body.replace(" ", "")
    assert response["ETag"] and response["Last-Modified"]


def test_pages_say_when_the_figures_were_computed(client, world, publish):
    make(world.desk_a, 8, country="HN", year=2023)
    publish()
    version = PublicTables.objects.get()
    assert "Figures as of" in client.get("/analytics/map/?year=2023").content.decode()
    assert "Figures as of" in client.get("/analytics/").content.decode()
    assert client.get("/analytics/map/data.json?year=2023").json()["as_of"] == version.computed_at.isoformat()
    assert client.get(API, {"public": "1"}).json()["as_of"] == version.computed_at.isoformat()


def test_a_withdrawn_consent_leaves_the_public_figures_after_one_run_and_staff_figures_at_once(
        client, world, eager, django_capture_on_commit_callbacks):
    from amparo.registry import services as registry

    made = make(world.desk_a, 7, country="HN", year=2023)
    make(world.desk_a, 8, country="FR", year=2023)
    assert job.refresh_public_tables() == "computed"
    runs = _computations()
    assert _countries(client) == {"FR": 8, "HN": 7}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        registry.withdraw_consent("system", made[0])
        # What the registry's services send in their transaction (registry/signals.py); sent
        # twice here to show that one transaction asks once.
        announce([made[0].pk])
        announce([made[0].pk])
        assert _countries(client) == {"FR": 8, "HN": 7}  # the last good version until the commit
    assert _computations() == runs + 1  # exactly one run of the job (eager here)
    assert _countries(client) == {"FR": 8, "HN": 6}


def test_a_rolled_back_write_asks_for_nothing(world, django_capture_on_commit_callbacks):
    job._state()
    wanted = PublicRefresh.objects.get(pk=1).wanted
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        announce([1])
        raise RuntimeError
    assert PublicRefresh.objects.get(pk=1).wanted == wanted


def test_a_cache_that_does_not_answer_never_fails_a_committed_write(world, django_capture_on_commit_callbacks,
                                                                    monkeypatch, caplog):
    """The request for a run comes after the commit: a cache (or broker) away is logged and the
    periodic check catches up; the write that asked is not reported as failed."""
    def away(*args, **kwargs):
        raise ConnectionError("cache away")

    monkeypatch.setattr(job.cache, "add", away)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        announce([1])
    assert "periodic check will run it" in caplog.text


def test_moving_a_country_asks_for_a_run(world, eager, django_capture_on_commit_callbacks):
    from amparo.analytics import services
    from amparo.analytics.models import Grouping, Region

    make(world.desk_a, 7, country="HN", year=2023)
    job.refresh_public_tables()
    runs = _computations()
    grouping = Grouping.objects.get(code="un-sr")
    with django_capture_on_commit_callbacks(execute=True):
        services.move_countries(world.users["coordinator"], grouping, ["HN"], Region.objects.get(
            grouping=grouping, code="africa"))
    assert _computations() == runs + 1


def test_the_safety_net_catches_rows_written_around_the_services(client, world):
    make(world.desk_a, 8, country="HN", year=2023)
    assert job.check_public_tables() == "computed"  # nothing stored yet
    assert job.check_public_tables() == "fresh"  # nothing moved: no computation
    runs = _computations()
    make(world.desk_a, 6, country="CO", year=2023)  # a bulk load: no service, no signal
    assert _countries(client) == {"HN": 8}  # the last good version meanwhile
    assert job.check_public_tables() == "computed"
    assert _computations() == runs + 1
    assert _countries(client) == {"CO": 6, "HN": 8}


def test_a_rendered_page_is_kept_per_language_and_version(client, world, publish, monkeypatch):
    from amparo.analytics import maps

    make(world.desk_a, 8, country="HN", year=2023)
    publish()
    drawn: list[tuple] = []
    original = maps.public_map

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        drawn.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(maps, "public_map", counted)
    first = client.get("/analytics/map/?year=2023")
    again = client.get("/analytics/map/?year=2023")
    spanish = client.get("/analytics/map/?year=2023", HTTP_ACCEPT_LANGUAGE="es")
    assert len(drawn) == 2  # English once, Spanish once
    assert first.content == again.content and first["ETag"] == again["ETag"]
    assert spanish["ETag"] != first["ETag"] and "Honduras" in first.content.decode()
    assert client.get("/analytics/map/?year=2023", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    make(world.desk_a, 6, country="CO", year=2023)
    publish()
    after = client.get("/analytics/map/?year=2023")
    assert len(drawn) == 3 and after["ETag"] != first["ETag"]
    assert "Colombia: 6 incidents" in after.content.decode()
    assert "Colombia: 6 incidents" not in first.content.decode()
    assert client.get("/analytics/map/?year=2023", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_signed_in_person_gets_her_own_rendering(client, world, publish):
    from conftest import sign_in

    make(world.desk_a, 8, country="HN", year=2023)
    publish()
    client.get("/analytics/map/?year=2023")  # an anonymous rendering is kept
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    assert "/analytics/map/desks/" in client.get("/analytics/map/?year=2023").content.decode()


def test_the_stored_version_answers_as_the_computation_does(world, publish):
    """One stored version (every year) gives, year by year, what the computation gives."""
    from amparo.analytics import stats

    make(world.desk_a, 12, country="CO", year=2023, attack=["attack.threat.death"])
    make(world.desk_a, 2, country="HN", year=2023, attack=["attack.smear"])
    make(world.desk_a, 7, country="HN", year=2022, attack=["attack.smear"])
    make(world.desk_b, 3, country="CD", year=2022, attack=["attack.physical"])
    publish()
    questions = [(["year"], {}), (["country", "year"], {}), (["country"], {"year": 2023}),
                 (["region"], {"year": 2022}), (["state"], {"year": 2023}), (["attack_type", "year"], {}),
                 (["perpetrator"], {"year": [2022, 2023]})]
    for group_by, filters in questions:
        for language in ("en", "fr"):
            computed = stats.compute(group_by, filters, public=True, language=language).as_dict()
            assert stats.published(group_by, filters, language=language).as_dict() == computed, group_by


# --- Single flight (threads with their own connections) --------------------------------------

def _blocking_computation(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event, list[int]]:
    started, go_on, calls = threading.Event(), threading.Event(), []
    original = public_stats.protected_tables

    def slow(*args: object, **kwargs: object) -> object:
        calls.append(1)
        started.set()
        assert go_on.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(public_stats, "protected_tables", slow)
    return started, go_on, calls


def _in_thread(target, found: list) -> threading.Thread:  # noqa: ANN001
    def run() -> None:
        try:
            found.append(target())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_make_one_computation(world, monkeypatch):
    make(world.desk_a, 8, country="HN", year=2023)
    job._bump()  # one write asked for a run
    started, go_on, calls = _blocking_computation(monkeypatch)
    found: list[str] = []
    first = _in_thread(lambda: job.refresh_public_tables(ask=False), found)
    assert started.wait(30)
    # A second worker takes the same task (or a duplicate) while the first computes.
    assert job.refresh_public_tables(ask=False) == "busy"
    go_on.set()
    first.join(30)
    assert found == ["computed"] and len(calls) == 1
    assert job.refresh_public_tables(ask=False) == "fresh" and len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_writes_during_a_run_make_exactly_one_more(world, monkeypatch):
    make(world.desk_a, 8, country="HN", year=2023)
    job._bump()
    started, go_on, calls = _blocking_computation(monkeypatch)
    found: list[str] = []
    runner = _in_thread(lambda: job.refresh_public_tables(ask=False), found)
    assert started.wait(30)
    for _ in range(5):  # five writes commit while it computes; their tasks find it busy
        job._bump()
        assert job.refresh_public_tables(ask=False) == "busy"
    go_on.set()
    runner.join(30)
    assert found == ["computed"] and len(calls) == 2
    state = PublicRefresh.objects.get(pk=1)
    assert state.done == state.wanted and state.running_until is None


@pytest.mark.django_db(transaction=True)
def test_a_dead_runner_does_not_block_the_next(world):
    from datetime import timedelta

    from django.utils import timezone

    make(world.desk_a, 8, country="HN", year=2023)
    job._state()
    PublicRefresh.objects.filter(pk=1).update(running_until=timezone.now() + timedelta(minutes=5))
    assert job.refresh_public_tables() == "busy"  # claimed by a worker that may still be alive
    PublicRefresh.objects.filter(pk=1).update(running_until=timezone.now() - timedelta(seconds=1))
    assert job.refresh_public_tables(ask=False) == "computed"  # its lease ran out; the ask is kept


def test_a_kept_public_answer_is_given_back_before_the_rest_framework(client, world, publish, monkeypatch):
    from amparo.analytics import api

    make(world.desk_a, 8, country="HN", year=2023)
    publish()
    url = f"{API}?public=1&group_by=country,year"
    first = client.get(url)
    monkeypatch.setattr(api, "_drf_view", lambda *a, **k: pytest.fail("went through the REST framework"))
    again = client.get(url)
    assert again.status_code == 200 and again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"] and "Accept" in again["Vary"]
    with pytest.raises(pytest.fail.Exception):  # another negotiation is another rendering: not kept yet
        client.get(url, HTTP_ACCEPT="text/csv")


def test_runs_are_spaced_so_a_burst_of_writes_makes_few_versions(world, publish, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(job, "MIN_SECONDS_BETWEEN_RUNS", 5.0)
    monkeypatch.setattr(job.time, "sleep", slept.append)
    make(world.desk_a, 8, country="HN", year=2023)
    assert job.refresh_public_tables() == "computed" and slept == []  # no version yet: at once
    assert job.refresh_public_tables() == "computed"
    assert len(slept) == 1 and 0 < slept[0] <= 5.0


def test_two_threads_of_one_process_render_a_new_version_of_a_page_once(world, publish):
    """A new version: the threads that ask for the same page at once wait for one rendering."""
    import time as clock

    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.core.cache import cache
    from django.http import HttpRequest, HttpResponse
    from django.test import RequestFactory

    from amparo.analytics import published_pages

    make(world.desk_a, 8, country="HN", year=2023)
    publish()
    version = public_stats.published_version()
    published_pages.forget()
    cache.clear()
    renders: list[int] = []

    def render() -> HttpResponse:
        renders.append(1)
        clock.sleep(0.2)  # long enough for the other thread to arrive meanwhile
        return HttpResponse(b"the map", content_type="text/html")

    answers: list[bytes] = []

    def anonymous(path: str) -> HttpRequest:
        request = RequestFactory().get(path)
        request.user = AnonymousUser()
        request.session = {}  # type: ignore[assignment]
        request._messages = FallbackStorage(request)
        return request

    def visit() -> bytes:
        return published_pages.cached("map", anonymous("/analytics/map/?year=2023"), version,
                                      "/analytics/map/?year=2023", render).content

    threads = [_in_thread(visit, answers) for _ in range(3)]  # each closes its own connection
    for thread in threads:
        thread.join()
    assert answers == [b"the map"] * 3 and len(renders) == 1
    assert published_pages._RENDERING == {}  # nothing kept per path once rendered (nor refused)
    refused = published_pages.cached("map", anonymous("/analytics/map/?year=1"), version, "/analytics/map/?year=1",
                                     lambda: HttpResponse(b"no", status=400))
    assert refused.status_code == 400 and published_pages._RENDERING == {}
