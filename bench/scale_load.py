"""The mixed load of `scripts/scale-demo`: people using the site at once, through the proxy.

    .venv/bin/python bench/scale_load.py --base http://127.0.0.1:PORT --direct http://127.0.0.1:P1
        --direct http://127.0.0.1:P2 --secrets secrets.json [--seconds 60]

Each kind of visitor is a thread (or a few), all through the proxy, for a bounded time:

- report: an anonymous reporter opens /r/, fills the rendered form (a few words and a small
  file) and sends it; she must land on her conversation's page showing her words;
- inbox: a desk member, logged in through the login pages (password, then a TOTP code; her key
  is unlocked at login), reads her desk's inbox, opens the newest report and downloads its file;
  now and then the same session asks each web process directly (bypassing the proxy): her
  session and her unlocked key must work whichever process serves;
- map: the public map page and its data;
- appeal: a supporter acts on a published appeal (the public action form), at most
  APPEAL_RATE a second (the site-wide limit is 600 a minute);
- job: a coordinator asks for an assessment report, which a Celery worker makes, waits for it
  and downloads its PDF.

A baseline first: /ping through the proxy, one client, a few seconds: the ratio of each kind's
median to it says what the work costs beside the bare round trip. Any answer other than 2xx or
3xx, or a page without what it must show, is an error; exit 1 on any. Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pyotp
import requests

HOST = "127.0.0.1"
APPEAL_RATE = 6.0  # actions a second at most, all threads together
USER_AGENT = "amparo-scale-demo"


# --- Forms as a browser sees them -------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what a browser would send as is
    radios: dict[str, list[str]] = field(default_factory=dict)  # name: choices (none checked yet)


class FormParser(HTMLParser):
    """The forms of a page with their default values: hidden and text inputs, checked boxes
    and radios, selected options (the first when none is), textareas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self.forms.append(Form(action=a.get("action", ""), method=a.get("method", "get").lower()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
                elif kind == "radio":
                    form.radios.setdefault(name, []).append(a.get("value", ""))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                form.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, [])
        elif tag == "option" and self._select is not None:
            self._select[1].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.forms:
            return
        if tag == "select" and self._select is not None:
            name, options = self._select
            chosen = [v for v, selected in options if selected] or [v for v, _s in options[:1]]
            self.forms[-1].fields.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1].fields.append((self._textarea[0], "".join(self._textarea[1]).lstrip("\n")))
            self._textarea = None


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def form_with(html: str, name: str) -> Form:
    """The page's form that has a field `name` (the language switch in the footer has none)."""
    for form in parse(html).forms:
        if any(n == name for n, _v in form.fields) or name in form.radios:
            return form
    raise Problem(f"no form with a field {name!r}")


def form_with_or_none(html: str, name: str) -> Form | None:
    try:
        return form_with(html, name)
    except Problem:
        return None


# --- Clients and figures ----------------------------------------------------------------------


class Problem(Exception):
    """A page that answered but without what it must show."""


def new_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: straight to loopback
    session.headers["User-Agent"] = USER_AGENT
    return session


def keep_secure_cookies(session: requests.Session) -> None:
    """Production cookies are Secure; this loopback run speaks plain HTTP to the proxy (TLS
    would end there in production). The client sends them back anyway."""
    for cookie in session.cookies:
        cookie.secure = False


class Figures:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.samples: list[str] = []
        self.extra: dict[str, Any] = {}

    def record(self, kind: str, seconds: float, ok: bool, why: str = "") -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.samples) < 20:
                    self.samples.append(f"{kind}: {why}")

    def error(self, kind: str, why: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if len(self.samples) < 20:
                self.samples.append(f"{kind}: {why}")

    def add(self, name: str, value: Any) -> None:
        with self.lock:
            self.extra.setdefault(name, []).append(value)


def fetch(fig: Figures, kind: str, session: requests.Session, method: str, url: str,
          **kwargs: Any) -> requests.Response:
    """One request and the redirects it leads to, each counted under `kind`. A status other
    than 2xx/3xx raises Problem (and is counted as an error)."""
    for _hop in range(6):
        assert urlsplit(url).hostname == HOST, url  # loopback only, whatever a page says
        started = time.perf_counter()
        try:
            response = session.request(method, url, allow_redirects=False, timeout=60, **kwargs)
        except requests.RequestException as exc:
            fig.record(kind, time.perf_counter() - started, False, f"{method} {_short(url)}: {type(exc).__name__}")
            raise Problem("no answer") from exc
        elapsed = time.perf_counter() - started
        keep_secure_cookies(session)
        ok = response.status_code < 400
        fig.record(kind, elapsed, ok, f"{method} {_short(url)} answered {response.status_code}")
        if not ok:
            raise Problem(f"{response.status_code}")
        if response.status_code in {301, 302, 303, 307, 308} and "Location" in response.headers:
            url = urljoin(url, response.headers["Location"])
            if response.status_code in {301, 302, 303}:
                method, kwargs = "GET", {}
            continue
        return response
    raise Problem("too many redirects")


def _short(url: str) -> str:
    """Paths with tokens shortened: the figures name the page, never a token."""
    path = urlsplit(url).path
    return re.sub(r"/(v|s|confirm)/[^/]+/", r"/\1/…/", path)


# --- The visitors -----------------------------------------------------------------------------

TEXT_FILE = "scale-demo note {n}: a photo would be cleaned of its hidden details; this is text.\n"


def anonymous_reporter(fig: Figures, base: str, until: float, n: list[int], lock: threading.Lock) -> None:
    while time.monotonic() < until:
        with lock:
            n[0] += 1
            number = n[0]
        session = new_session()
        try:
            page = fetch(fig, "report", session, "GET", f"{base}/r/")
            form = form_with(page.text, "receipt")
            receipt = dict(form.fields)["receipt"]
            data = dict(form.fields)
            data.update({"country": "HN", "narrative": f"scale-demo report {number}: threatened after a radio "
                         "programme about the river, followed home by two men.",
                         "when": "last week", "where": "the town centre", "help_wanted": "a lawyer"})
            body = TEXT_FILE.format(n=number).encode()
            answer = fetch(fig, "report", session, "POST", urljoin(page.url, form.action or page.url),
                           data=data, files={"file": ("note.txt", body, "text/plain")})
            if "/r/v/" not in answer.url or receipt.split()[0] not in answer.text:
                raise Problem("her conversation page did not show her words")
            fig.add("reports_received", number)
        except Problem as problem:
            fig.error("report", f"report {number}: {problem}")


def log_in(fig: Figures, base: str, username: str, password: str, secret: str) -> requests.Session:
    session = new_session()
    page = fetch(fig, "login", session, "GET", f"{base}/accounts/login/")
    form = form_with(page.text, "username")
    data = dict(form.fields) | {"username": username, "password": password}
    code_page = fetch(fig, "login", session, "POST", urljoin(page.url, form.action or page.url), data=data)
    form = form_with(code_page.text, "code")
    data = dict(form.fields) | {"code": pyotp.TOTP(secret).now()}
    landed = fetch(fig, "login", session, "POST", urljoin(code_page.url, form.action or code_page.url), data=data)
    if "/accounts/login" in landed.url and form_with_or_none(landed.text, "code") is not None:
        # Each code works once and never an older one: the demo's set-up may have used this
        # 30-second step's code already. As a person would, wait for the next code.
        time.sleep(30 - time.time() % 30 + 1)
        form = form_with(landed.text, "code")
        data = dict(form.fields) | {"code": pyotp.TOTP(secret).now()}
        landed = fetch(fig, "login", session, "POST", urljoin(landed.url, form.action or landed.url), data=data)
    if "/accounts/login" in landed.url:
        raise Problem(f"{username} is not logged in after her code")
    if "amparo_vault" not in {c.name for c in session.cookies}:
        raise Problem(f"{username}'s key was not unlocked at login")
    return session


INCIDENT = re.compile(r"^/registry/incidents/(\d+)/$")
ATTACHMENT = re.compile(r"^/registry/files/(\d+)/$")


def desk_member(fig: Figures, base: str, direct: list[str], until: float, session: requests.Session,
                desk: str, reads_reports: bool) -> None:
    rounds = 0
    while time.monotonic() < until:
        rounds += 1
        try:
            page = fetch(fig, "inbox", session, "GET", f"{base}/registry/desk/{desk}/inbox/")
            if "/accounts/login" in page.url:
                raise Problem("the inbox sent her to the login page: her session was lost")
            if rounds % 3 == 0:
                fetch(fig, "inbox", session, "GET", f"{base}/registry/desk/{desk}/inbox/?page=2")
            if reads_reports and rounds % 4 == 0:
                open_newest_file(fig, base, direct, session, page.text)
        except Problem as problem:
            fig.error("inbox", f"{desk}: {problem}")


def open_newest_file(fig: Figures, base: str, direct: list[str], session: requests.Session, inbox: str) -> None:
    """The newest report of this run in her inbox, and its file: through the proxy, then the
    same session asking each web process directly. Her session and her unlocked key (a secret
    in her cookie, the key it opens in the shared session store) must work at every one."""
    incidents = sorted({int(m.group(1)) for link in parse(inbox).links
                        if (m := INCIDENT.match(urlsplit(link).path))}, reverse=True)
    for incident in incidents[:5]:
        detail = fetch(fig, "inbox", session, "GET", f"{base}/registry/incidents/{incident}/")
        if "scale-demo report" not in detail.text:
            continue  # a demo report, not one of this run's
        files = [link for link in parse(detail.text).links if ATTACHMENT.match(urlsplit(link).path)]
        if not files:
            raise Problem(f"report {incident} of this run has no file")
        for origin in [base, *direct]:
            got = fetch(fig, "inbox", session, "GET", urljoin(origin, files[0]))
            if not got.content.startswith(b"scale-demo note") or "octet-stream" not in got.headers.get(
                    "Content-Type", ""):
                raise Problem(f"the file of report {incident} did not open at {origin}: key locked?")
            fig.add("file_opened_at", origin)
        for origin in direct:
            again = fetch(fig, "inbox", session, "GET", f"{origin}/registry/incidents/{incident}/")
            if "scale-demo report" not in again.text:
                raise Problem(f"report {incident} did not open at {origin}: key locked?")
        return


def map_visitor(fig: Figures, base: str, until: float) -> None:
    session = new_session()
    while time.monotonic() < until:
        try:
            fetch(fig, "map", session, "GET", f"{base}/analytics/map/")
            data = fetch(fig, "map", session, "GET", f"{base}/analytics/map/data.json")
            json.loads(data.content)
        except (Problem, ValueError) as problem:
            fig.error("map", str(problem))


class Pace:
    def __init__(self, per_second: float) -> None:
        self.gap, self.next, self.lock = 1 / per_second, time.monotonic(), threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            self.next = max(self.next + self.gap, now)
            delay = self.next - now
        time.sleep(delay)


def appeal_supporter(fig: Figures, base: str, until: float, appeals: list[str], pace: Pace) -> None:
    i = 0
    while time.monotonic() < until:
        i += 1
        session = new_session()
        url = f"{base}{appeals[i % len(appeals)]}"
        try:
            page = fetch(fig, "appeal", session, "GET", url)
            form = form_with(page.text, "submission_key")
            kinds = form.radios.get("kind") or []
            if not kinds:
                raise Problem("the action form offers no kind of action")
            data = dict(form.fields) | {"kind": kinds[i % len(kinds)]}
            pace.wait()
            done = fetch(fig, "appeal", session, "POST", urljoin(page.url, form.action or page.url), data=data)
            if "done=1" not in done.url:
                raise Problem("no thanks after the action")
            fig.add("appeal_actions", 1)
        except Problem as problem:
            fig.error("appeal", str(problem))


def report_maker(fig: Figures, base: str, until: float, session: requests.Session) -> None:
    while time.monotonic() < until - 5:
        try:
            page = fetch(fig, "job", session, "GET", f"{base}/analytics/reports/")
            form = form_with(page.text, "submission_key")
            data = list(form.fields)
            started = time.monotonic()
            shown = fetch(fig, "job", session, "POST", urljoin(page.url, form.action or page.url), data=data)
            if not re.search(r"/analytics/reports/\d+/$", urlsplit(shown.url).path):
                raise Problem("asking for a report did not lead to its page")
            while 'http-equiv="refresh"' in shown.text:
                if time.monotonic() - started > 90:
                    raise Problem("the report was not made within 90 s: no worker?")
                time.sleep(0.5)
                shown = fetch(fig, "job", session, "GET", shown.url)
            pdf = fetch(fig, "job", session, "GET", shown.url + "pdf/")
            if not pdf.content.startswith(b"%PDF"):
                raise Problem("the report's PDF is not a PDF")
            fig.add("job_seconds", time.monotonic() - started)
        except Problem as problem:
            fig.error("job", str(problem))
            return
        time.sleep(3)


# --- The run ----------------------------------------------------------------------------------


def baseline(fig: Figures, base: str, seconds: float) -> None:
    session = new_session()
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        with contextlib.suppress(Problem):
            fetch(fig, "ping (baseline)", session, "GET", f"{base}/ping")


def published_appeals(base: str) -> list[str]:
    page = new_session().get(f"{base}/appeals/p/", timeout=30)
    found = sorted({urlsplit(link).path for link in parse(page.text).links
                    if re.match(r"^/appeals/p/\d+/$", urlsplit(link).path)})
    if not found:
        raise SystemExit("scale-load: no published appeal to act on (demo data?)")
    return found


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(base: str, direct: list[str], secrets_file: str, seconds: int) -> int:
    for url in [base, *direct]:
        if urlsplit(url).hostname != HOST:
            raise SystemExit(f"scale-load: {url} is not on {HOST}")
    with open(secrets_file) as f:
        accounts = json.load(f)
    password = accounts.pop("_password")
    fig = Figures()
    baseline(fig, base, 5)
    appeals = published_appeals(base)
    members = [("documenter", "honduras", True), ("documenter_rdc", "rdc", False),
               ("documenter_coalition", "coalition-desk", False)]
    try:
        sessions = {name: log_in(fig, base, name, password, accounts[name]) for name, _d, _r in members}
        maker = log_in(fig, base, "coordinator_hn", password, accounts["coordinator_hn"])
    except Problem as problem:
        fig.error("login", str(problem))
        return report(fig, 1.0)
    started = time.monotonic()
    until = started + seconds
    counter, counter_lock, pace = [0], threading.Lock(), Pace(APPEAL_RATE)
    threads = [threading.Thread(target=anonymous_reporter, args=(fig, base, until, counter, counter_lock))
               for _ in range(2)]
    threads += [threading.Thread(target=desk_member, args=(fig, base, direct, until, sessions[name], desk, reads))
                for name, desk, reads in members]
    threads.append(threading.Thread(target=map_visitor, args=(fig, base, until)))
    threads.append(threading.Thread(target=appeal_supporter, args=(fig, base, until, appeals, pace)))
    threads.append(threading.Thread(target=report_maker, args=(fig, base, until, maker)))
    for thread in threads:
        thread.daemon = True
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, until - time.monotonic()) + 120)
    wall = time.monotonic() - started
    return report(fig, wall)


def report(fig: Figures, wall: float) -> int:
    base_p50 = statistics.median(fig.latencies.get("ping (baseline)", [0.0]))
    print(f"scale-load: {wall:.0f} s of mixed load through the proxy")
    print(f"  {'kind':<16} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'p50/ping':>9}")
    total = errors = 0
    for kind in ["ping (baseline)", "login", "report", "inbox", "map", "appeal", "job"]:
        values = fig.latencies.get(kind, [])
        wrong = fig.errors.get(kind, 0)
        if not values and not wrong:
            continue
        if kind != "ping (baseline)":
            total += len(values)
            errors += wrong
        rate = len(values) / (5 if kind == "ping (baseline)" else wall) if values else 0.0
        p50 = pct(values, 0.5) * 1000 if values else 0.0
        p99 = pct(values, 0.99) * 1000 if values else 0.0
        ratio = f"{p50 / (base_p50 * 1000):9.1f}" if base_p50 else f"{'-':>9}"
        print(f"  {kind:<16} {len(values):>8} {wrong:>6} {rate:>7.1f} {p50:>8.1f} {p99:>8.1f} {ratio}")
    print(f"  {'all (no ping)':<16} {total:>8} {errors:>6} {total / wall:>7.1f}")
    extra = fig.extra
    opened = extra.get("file_opened_at", [])
    print(f"  anonymous reports received: {len(extra.get('reports_received', []))}; appeal actions: "
          f"{len(extra.get('appeal_actions', []))}; assessment reports made by a worker: "
          f"{len(extra.get('job_seconds', []))}"
          + (f" (median {statistics.median(extra['job_seconds']):.1f} s from asking to PDF)"
             if extra.get("job_seconds") else ""))
    print(f"  files opened by the desk with her session: {len(opened)} "
          f"({', '.join(f'{opened.count(o)} at {o}' for o in sorted(set(opened)))})")
    if not extra.get("job_seconds"):
        fig.error("job", "no assessment report was made during the run")
        errors += 1
    if not opened:
        fig.error("inbox", "the desk never opened a file of this run")
        errors += 1
    for sample in fig.samples:
        print(f"  error: {sample}")
    print(f"scale-load: {errors} errors")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the proxy, http://127.0.0.1:PORT")
    parser.add_argument("--direct", action="append", default=[], help="a web process, http://127.0.0.1:PORT")
    parser.add_argument("--secrets", required=True, help="JSON: username -> TOTP secret, _password")
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600:
        raise SystemExit("scale-load: --seconds between 1 and 600")
    return run(args.base.rstrip("/"), [d.rstrip("/") for d in args.direct], args.secrets, args.seconds)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
