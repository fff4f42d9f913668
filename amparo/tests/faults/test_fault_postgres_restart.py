"""PostgreSQL restarted twice (a fast shutdown, then a crash) during a 30-second load of
anonymous reports: every report that got its "received" page is in the database afterwards,
opens with her receipt and her words, and none is half-written. An error met during a restart
is a clear page that gives her words back.

Everything is the test's own: a PostgreSQL 15 cluster on a spare port (normal commit
durability: fsync on, synchronous commit), gunicorn with the production gunicorn.conf.py on
127.0.0.1, and reports sent as a browser sends them (the form fetched, filled in, posted, the
redirect followed to her conversation, which shows her receipt)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from amparo.tests.faults.conftest import ROOT, child_env, record_figures, run_to_end
from amparo.tests.faults.servers import PrivatePostgres, free_port, port_open, postgres_available
from amparo.tests.formparse import forms_of

pytestmark = [pytest.mark.fault,
              pytest.mark.skipif(not postgres_available(), reason="PostgreSQL 15 is not installed here")]

LOAD_SECONDS = 30
THREADS = 4
RESTARTS = [(8.0, "fast"), (19.0, "immediate")]  # seconds into the load, shutdown mode
DOWN_SECONDS = 2.0
PASSWORD = "the desk's documenter has this long password"


@dataclass
class Tally:
    sent: int = 0
    accepted: dict[str, str] = field(default_factory=dict)  # receipt -> her words, for each post answered 303
    acknowledged: dict[str, str] = field(default_factory=dict)  # ... that then showed her the receipt page
    received_page_reloaded: int = 0
    answers: Counter[str] = field(default_factory=Counter)  # status of each answer that was not the receipt page
    errors_with_her_words: int = 0
    errors_without: list[str] = field(default_factory=list)
    said: dict[str, str] = field(default_factory=dict)  # status -> what the first such page said
    resent: int = 0
    pages_not_served: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def cluster(fault_tmp):
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        # Its cluster is its own either way: once per CI run is enough, in the PostgreSQL one.
        pytest.skip("runs in the PostgreSQL run of the fault tests")
    pg = PrivatePostgres(durable=False)  # fast for the set-up; durable again before the load
    try:
        pg.start()
        url = pg.create_database("amparo")
        env = child_env(fault_tmp, url)
        done = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                              capture_output=True, timeout=240, check=False)
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        run_to_end(["--call", "amparo.tests.faults.jobs.seed_desk", "--args", json.dumps([PASSWORD])], env)
        pg.durable = True
        pg.restart("fast")
        yield pg, env
    finally:
        pg.stop()


@pytest.fixture
def web(cluster, fault_tmp):
    pg, env = cluster
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "4",
           "GUNICORN_ACCESS_LOG": "", "ANONYMOUS_GLOBAL_PER_MINUTE": "100000"}
    log = (fault_tmp / "gunicorn.log").open("wb")
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
                                "amparo.wsgi"], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 60
    while not port_open(port):
        assert process.poll() is None and time.monotonic() < deadline, (fault_tmp / "gunicorn.log").read_text()
        time.sleep(0.1)
    try:
        yield pg, env, f"http://127.0.0.1:{port}", fault_tmp / "gunicorn.log"
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the load is over: nothing is left to finish
        try:
            process.wait(timeout=30)
        finally:
            log.close()


def _report_form(html: str):
    return next(f for f in forms_of(html) if "receipt" in f.rendered_names() and "narrative" in f.rendered_names())


def _said(html: str) -> str:
    """The form's message to her (its error list), or the page's title."""
    import re

    found = re.search(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S) or re.search(r"<title>(.*?)</title>",
                                                                                       html, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()[:200] if found else html[:200]


def _see_received(browser: requests.Session, url: str, receipt: str, words: str, tally: Tally) -> None:
    """The "received" page, reloaded (at most 5 times) if the database is away just then."""
    for _ in range(5):
        try:
            page = browser.get(url, timeout=60)
        except requests.RequestException:
            page = None
        if page is not None and page.status_code == 200 and receipt in page.text:
            with tally.lock:
                tally.acknowledged[receipt] = words
            return
        with tally.lock:
            tally.received_page_reloaded += 1
        time.sleep(0.5)


def _send_one(base: str, name: str, tally: Tally) -> None:
    """One visitor: the form, her words, send; the form again with her words if it comes back
    (she presses send again, at most 3 times)."""
    with requests.Session() as browser:
        try:
            page = browser.get(f"{base}/r/", timeout=30)
        except requests.RequestException:
            page = None
        if page is None or page.status_code != 200:
            with tally.lock:
                tally.pages_not_served += 1
            time.sleep(0.2)
            return
        words = f"{name}: a car without plates waited outside her house for {random.randint(2, 9)} nights"
        html = page.text
        for attempt in range(3):
            form = _report_form(html)
            # Her words and her country; the questions with radio buttons left unanswered.
            data = [(k, v) for k, v in form.data() if k not in {"narrative", "country", "targeted", "safe_now"}]
            data += [("narrative", words), ("country", "HN")]
            receipt = dict(data)["receipt"]
            with tally.lock:
                tally.sent += 1
                tally.resent += attempt > 0
            try:
                answer = browser.post(f"{base}/r/", data=data, timeout=60, allow_redirects=False)
            except requests.RequestException as exc:
                with tally.lock:
                    tally.answers[type(exc).__name__] += 1
                return
            if answer.status_code == 303:  # accepted: on to her conversation, which shows her receipt
                with tally.lock:
                    tally.accepted[receipt] = words
                _see_received(browser, urljoin(f"{base}/r/", answer.headers["Location"]), receipt, words, tally)
                return
            with tally.lock:
                tally.answers[str(answer.status_code)] += 1
                tally.said.setdefault(str(answer.status_code), _said(answer.text))
                if words in answer.text:
                    tally.errors_with_her_words += 1
                else:
                    tally.errors_without.append(f"{answer.status_code} {answer.url}: {answer.text[:300]}")
            if words not in answer.text:
                return
            html = answer.text
            time.sleep(0.5)


def test_postgresql_restarted_during_a_load_of_anonymous_reports_loses_no_acknowledged_report(web):
    pg, env, base, log = web
    tally = Tally()
    stop_at = time.monotonic() + LOAD_SECONDS

    def visitor(n: int) -> None:
        count = 0
        while time.monotonic() < stop_at:
            count += 1
            _send_one(base, f"Report {n}-{count}", tally)

    started = time.monotonic()
    threads = [threading.Thread(target=visitor, args=(n,), daemon=True) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    away = []
    for at, mode in RESTARTS:
        time.sleep(max(0.0, started + at - time.monotonic()))
        away.append(round(pg.restart(mode, down_for=DOWN_SECONDS), 1))
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 120)
    elapsed = time.monotonic() - started
    wanted = log.parent / "acknowledged.json"
    wanted.write_text(json.dumps(tally.accepted))  # every acknowledged one, and any accepted whose page failed
    found = json.loads(run_to_end(["--call", "amparo.tests.faults.jobs.check_receipts", "--args",
                                   json.dumps([str(wanted)])], env, timeout=300))
    figures = dict(requests_sent=tally.sent, resent_by_her=tally.resent, restarts=len(away), seconds_away=away,
                   accepted=len(tally.accepted), acknowledged=len(tally.acknowledged),
                   received_page_reloaded=tally.received_page_reloaded, stored=found["stored"],
                   missing=found["missing"],
                   error_answers=dict(tally.answers), errors_with_her_words=tally.errors_with_her_words,
                   pages_not_served=tally.pages_not_served, load_seconds=round(elapsed, 1), said=tally.said)
    shutil.copy(log, ROOT / "var" / "fault-gunicorn.log")  # what the server wrote, for a failure's reader
    record_figures("postgresql restarted under load", **figures)
    assert len(tally.acknowledged) >= 10, (figures, log.read_text()[-3000:])
    assert found["missing"] == 0 and found["wrong"] == 0, found  # every acknowledged report is there, whole
    assert found["without_receipt"] == 0 and found["without_words"] == 0, found  # none half-written
    assert found["stored"] == found["receipts"] >= len(tally.accepted) >= len(tally.acknowledged)
    assert not tally.errors_without, tally.errors_without[:3]  # an error page always gives her words back
