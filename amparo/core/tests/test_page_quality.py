"""Every HTML page of the project, in Chromium, against the quality bars of DESIGN.md.

For each page in TABLE, as the person who sees it, on a 360-pixel screen:

- axe-core reports no accessibility violation;
- the Nu HTML checker finds no error in the HTML as served (one JVM run for all pages);
- nothing is requested from another host;
- the page and everything it loads weigh at most 30 KB gzip-compressed (or the row's budget);
- nothing scrolls sideways: neither the document (its scrollWidth within its clientWidth) nor
  any part of it (a table in a scrolling box counts: tables stack their rows instead);
- without JavaScript, its <main> and <h1> are still shown;
- the headers of data-protection rule 7 for its kind (strict, or staff for `@staff_page`);
- the browser reports no error (a CSP refusal, a script error, a missing file);
- on strict pages, the quick exit is there.

A URL name that is neither in TABLE nor in NOT_PAGES fails `test_it_has_a_row_for_every_page`.
The browser work runs once, in whichever page test comes first; every page test then reads
its own results, so each page's failures are reported on their own line.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Error as PlaywrightError

from amparo.core.security import STAFF_CSP, STRICT_CSP
from amparo.core.tests import real_data
from amparo.core.tests.pages import BUDGET, Page, State, World
from amparo.tests.tables import gathered
from amparo.tests.test_authorization import _url, all_url_names
from conftest import SCREENSHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REPORT = SCREENSHOTS.parent / "page-quality.txt"
WIDTH = 360



# --- What a page is and who sees it -----------------------------------------------------------

def _half_logged_in(world: World) -> State:
    """The password step done, the code step pending (accounts.views.login_code)."""
    from amparo.accounts.views import PENDING

    return State({PENDING: {"user": world.users["coordinator"].pk, "at": time.time(), "next": ""}})


def _new_recovery_code(world: World) -> State:
    """A key just made: its recovery code waits, sealed under the cookie's secret, to be shown
    once (vault.session.keep_unlocked)."""
    import base64

    from amparo.vault import crypto, session

    secret = crypto.random_bytes()
    sealed = crypto.encrypt(secret, b"ABCD-EFGH-JKLM-NPQR-STUV-WXYZ", b"amparo:vault-new-code")
    return State({session.NEW_CODE_KEY: base64.b64encode(sealed).decode()},
                 {session.COOKIE: session.cookie_value(secret)})


def unlocked_key(world: World, who: str) -> State:
    """Her member key unlocked in the session, as after a real login: sealed parts open."""
    from amparo.vault import session

    stored: dict[str, Any] = {}
    secret = session.store(stored, world.unlocked[who])
    return State(stored, {session.COOKIE: session.cookie_value(secret)})


def _reset_link_opened(world: World) -> State:
    """What Django's reset view keeps in the session once the e-mailed link is opened. The
    token depends on the last login, so it is for the outsider, whom no other row signs in."""
    from django.contrib.auth.tokens import default_token_generator
    from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN

    return State({INTERNAL_RESET_SESSION_TOKEN: default_token_generator.make_token(world.users["outsider"])})


def _reset_form_url(world: World) -> str:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(world.users["outsider"].pk))
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": "set-password"})


def _invitation_url(world: World) -> str:
    """A live invitation's link, as the invitee receives it by e-mail."""
    from amparo.network import services

    services.invite(world.users["coordinator"], world.network_a, email="new@example.org",
                    role="defender", base_url="")
    link = re.search(r"/network/invitation/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    return link.group(0)


TABLE: dict[str, Page] = {
    "core:home": Page(),
    "core:leave": Page(),
    "registry:vocabulary": Page("coordinator"),
    "registry:vocabulary_kind": Page("coordinator"),
    "registry:term_create": Page("coordinator"),
    "registry:term_edit": Page("coordinator"),
    "registry:vocabulary_import": Page("coordinator"),
    "accounts:login": Page(),
    "accounts:login_code": Page(state=_half_logged_in, h1="One more step"),
    "accounts:dashboard": Page("defender"),
    "accounts:security": Page("defender"),
    "accounts:second_factor": Page("defender"),
    "accounts:api_tokens": Page("coordinator"),
    "accounts:password_change": Page("defender"),
    "accounts:password_reset": Page(),
    "accounts:password_reset_done": Page(),
    "accounts:password_reset_confirm": Page(state=_reset_link_opened, url=_reset_form_url,
                                            h1="Choose a new password"),
    "accounts:password_reset_complete": Page(),
    "network:invitation": Page(url=_invitation_url, h1="Open your account"),
    "vault:recovery_code": Page("defender", state=_new_recovery_code, h1="recovery code"),
    "vault:recover": Page("defender"),
    "network:index": Page("coordinator"),
    "network:network_detail": Page("coordinator"),
    "network:desk_create": Page("coordinator"),
    "network:organisation_create": Page("coordinator"),
    "network:members": Page("coordinator"),
    "network:invite": Page("coordinator"),
    "network:audit_log": Page("coordinator"),
    "network:desk_detail": Page("documenter_a"),
    "network:desk_edit": Page("coordinator"),
    "network:network_create": Page("coordinator", status=404),
    "registry:inbox": Page("documenter_a"),
    "registry:incident_new": Page("documenter_a", budget=45_000, why="the vocabulary's checkboxes, in the page "
                                  "so the form works without JavaScript"),
    "registry:incident": Page("documenter_a"),
    "registry:incident_edit": Page("documenter_a", budget=45_000, why="the vocabulary's checkboxes"),
    "registry:report": Page("defender", budget=40_000, why="the vocabulary's checkboxes"),
    "registry:my_reports": Page("defender"),
    "intake:form": Page(),  # the anonymous form: 30 KB with everything it loads
    "intake:back": Page(),
    "network:restore_from_sheet": Page("documenter_a"),
    "network:network_restore": Page("coordinator"),
    "network:my_contact": Page("defender"),
    "network:member_contact": Page("coordinator"),
}

# Rows that apps keep beside their code (amparo/<app>/tests/tables.py).
TABLE.update(gathered("PAGES"))

# Other states of a page that people meet, checked the same way (not URL names of their own).
VARIANTS: dict[str, tuple[str, Page]] = {
    "accounts:dashboard of a coordinator": ("accounts:dashboard", Page("coordinator")),
    "accounts:dashboard of a documenter": ("accounts:dashboard", Page("documenter_a")),
    "network:invitation, link no longer valid": (
        "network:invitation", Page(status=404, url=lambda world: "/network/invitation/used-or-unknown/")),
    "404 page": ("core:home", Page(status=404, url=lambda world: "/no-such-page/")),
    "403 page": ("network:index", Page("defender", status=403)),
    "405 page": ("accounts:logout", Page(status=405)),
    "intake:conversation, closed": ("intake:conversation", Page(status=404)),
    "registry:my_report, closed": ("registry:my_report", Page("defender", status=404)),
}

# Pages as a desk really fills them (real_data.py): many rows, long names in several scripts,
# long words, addresses and file names. None may widen the page.
REAL_DATA: dict[str, tuple[str, Page]] = {
    "registry:inbox, full": ("registry:inbox", Page("documenter_a", url=real_data.full_inbox)),
    "registry:incident, long file names": (
        "registry:incident", Page("documenter_a", url=real_data.incident_with_long_file_names,
                                  state=lambda world: unlocked_key(world, "documenter_a"), h1="#")),
    "appeals:index, thirty appeals": ("appeals:index", Page("documenter_a", url=real_data.many_appeals)),
    "appeals:detail, in circulation": ("appeals:detail", Page("coordinator", url=real_data.circulated_appeal)),
    "analytics:map, its stylesheets refused": (
        "analytics:map", Page(budget=300_000, why="the map's boundaries (see its own row)",
                              url=TABLE["analytics:map"].url, refuse="**/*.css")),
}
VARIANTS.update(REAL_DATA)

# URL names that are not HTML pages answering GET; `test_it_excludes_only_what_is_no_page`
# checks that each still answers GET without a page.
NOT_PAGES: dict[str, str] = {
    "core:ping": "plain text: the ceiling the benchmark compares with",
    "core:health": "plain text for monitors: ok or unavailable",
    "set_language": "Django's language switch: a POST from the footer's form, then a redirect",
    "accounts:logout": "POST only; it redirects to the home page",
    "accounts:recovery_codes": "POST only: new codes after proving the second factor",
    "accounts:session_end": "POST only; it redirects to the security page",
    "accounts:sessions_end_others": "POST only; it redirects to the security page",
    "accounts:api_token_revoke": "POST only; it redirects to the token list",
    "network:membership_end": "POST only; it redirects to the members page",
    "vault:new_recovery_code": "POST only: a new recovery code after proving the password",
    "network:recovery_sheet": "POST only: the desk's recovery sheet, shown once",
    "registry:incident_action": "POST only: triage, assignment, duplicates, follow-ups, moves; then a redirect",
    "registry:attachment": "a file download (application/octet-stream), never shown as a page",
    "registry:my_report_withdraw": "POST only: a defender takes back her consent, then a redirect",
    "network:recovery_sheet_confirm": "POST only: confirms the sheet, then redirects",
    "network:network_recovery_sheet": "POST only: the coordinators' recovery sheet, shown once",
    "network:network_recovery_sheet_confirm": "POST only: confirms the sheet, then redirects",
    "registry:term_retire": "POST only: retires a term, then redirects to its kind",
    "registry:term_restore": "POST only: offers a term again, then redirects to its kind",
    "registry:vocabulary_export": "a CSV download (text/csv), not a page",
}
NOT_PAGES.update(gathered("NOT_PAGES"))
NOT_PAGE_PREFIXES: dict[str, str] = {
    "api:": "the REST API answers JSON, not pages (the schema view included)",
    "admin:": "Django's own admin templates, for staff behind the second factor, with the staff "
              "policy applied by path; not pages that we write",
}


def html_page_names() -> set[str]:
    return {name for name in all_url_names()
            if name not in NOT_PAGES and not name.startswith(tuple(NOT_PAGE_PREFIXES))}


def page_kind(path: str) -> str:
    """"staff" or "strict", read from the view as SecurityHeadersMiddleware reads it."""
    try:
        view = resolve(path).func
    except Resolver404:
        return "strict"
    kind = getattr(view, "amparo_page_kind", None) or getattr(
        getattr(view, "view_class", None), "amparo_page_kind", None)
    return "staff" if kind == "staff" else "strict"


# --- One visit, and the checks over it --------------------------------------------------------

@dataclass
class Visit:
    url: str
    status: int
    redirected: bool
    headers: dict[str, str]
    html: str
    requested: list[str]
    bodies: dict[str, bytes]
    scroll_width: int
    client_width: int
    sideways: list[str]  # what sticks out past the right edge, or scrolls sideways inside the page
    errors: list[str]
    quick_exit_href: str | None
    h1: str


# Elements that reach past the document's right edge (the innermost ones: the culprits), and
# boxes that scroll sideways inside the page.
SIDEWAYS = """() => {
    const edge = document.documentElement.clientWidth;
    const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    const path = el => [el.parentElement && el.parentElement !== document.body ? name(el.parentElement) : "", name(el)]
        .filter(Boolean).join(" > ");
    const found = [];
    const out = el => el.getBoundingClientRect().right > edge + 0.5;
    for (const el of document.body.querySelectorAll("*")) {
        if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
        if (out(el) && ![...el.children].some(out)) {
            found.push(`${path(el)} reaches ${Math.round(el.getBoundingClientRect().right)} px`);
        }
        const overflow = getComputedStyle(el).overflowX;
        if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
            found.push(`${path(el)} scrolls sideways: ${el.scrollWidth} px in ${el.clientWidth}`);
        }
    }
    return found.slice(0, 5);
}"""


def visit(page, url: str, refuse: str = "") -> Visit:
    """Open `url` in `page` and record what a person's browser fetched and showed; requests
    matching the glob `refuse` fail, as on a line that drops them."""
    requested: list[str] = []
    responses: list[Any] = []
    errors: list[str] = []
    refused: list[str] = []

    def on_console(message) -> None:
        # A page answering 403 or 404 on purpose makes Chromium log its status; check_reached
        # judges that, as refusing a request is the row's own doing. Every other error counts,
        # CSP refusals of inline code included.
        failed = message.text.startswith("Failed to load resource")
        own_status = failed and message.location.get("url") in {url, *refused}
        if message.type == "error" and not own_status:
            errors.append(message.text)

    def refusing(route) -> None:
        refused.append(route.request.url)
        route.abort()

    listeners = {"request": lambda r: requested.append(r.url), "response": lambda r: responses.append(r),
                 "console": on_console, "pageerror": lambda e: errors.append(str(e))}
    for event, listener in listeners.items():
        page.on(event, listener)
    if refuse:
        page.route(refuse, refusing)
    try:
        response = page.goto(url, wait_until="load")
        assert response is not None
        bodies = {}
        for r in responses:
            if not 300 <= r.status < 400:
                try:
                    bodies[r.url] = r.body()
                except PlaywrightError:  # the icon, fetched by the browser itself, keeps no body
                    bodies[r.url] = page.context.request.get(r.url).body()
        exit_link = page.locator("#quick-exit")
        return Visit(
            url=url, status=response.status, redirected=response.request.redirected_from is not None,
            headers=response.headers, html=response.text(), requested=requested, bodies=bodies,
            scroll_width=page.evaluate("document.documentElement.scrollWidth"),
            client_width=page.evaluate("document.documentElement.clientWidth"),
            sideways=page.evaluate(SIDEWAYS), errors=errors,
            quick_exit_href=exit_link.get_attribute("href")
            if exit_link.count() and exit_link.is_visible() else None,
            h1=page.locator("h1").first.inner_text() if page.locator("h1").count() else "",
        )
    finally:
        for event, listener in listeners.items():
            page.remove_listener(event, listener)
        if refuse:
            page.unroute(refuse, refusing)


def check_foreign(seen: Visit, own: str) -> list[str]:
    """Requests to any host but the app's own."""
    return [url for url in seen.requested
            if urlparse(url).scheme not in {"data", "blob", "about"} and urlparse(url).netloc != own]


def check_weight(seen: Visit, budget: int) -> list[str]:
    """The gzip-compressed weight of the page and everything it loaded, against its budget."""
    sizes = {url: len(gzip.compress(body)) for url, body in seen.bodies.items()}
    total = sum(sizes.values())
    if total <= budget:
        return []
    parts = ", ".join(f"{urlparse(url).path} {size} B" for url, size in sorted(sizes.items()))
    return [f"{total} bytes compressed > budget {budget} ({parts})"]


def check_headers(seen: Visit, kind: str) -> list[str]:
    """DESIGN.md, data protection rule 7."""
    wanted = {
        "content-security-policy": STAFF_CSP if kind == "staff" else STRICT_CSP,
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
    }
    failures = [f"{name}: {seen.headers.get(name)!r}, wanted {value!r}"
                for name, value in wanted.items() if seen.headers.get(name) != value]
    if "no-store" not in seen.headers.get("cache-control", ""):
        failures.append(f"cache-control: {seen.headers.get('cache-control')!r} lacks no-store")
    return failures


def check_reached(seen: Visit, status: int, h1: str = "") -> list[str]:
    """The row's page itself, not a redirect to another (a login, an enrolment) or another state."""
    failures = [f"the <h1> says {seen.h1!r}, not {h1!r}"] if h1 not in seen.h1 else []
    if seen.redirected:
        failures.append("redirected: the row needs another visitor or session to show this page")
    if seen.status != status:
        failures.append(f"status {seen.status}, wanted {status}")
    return failures


def check_narrow(seen: Visit) -> list[str]:
    """Nothing wider than the phone: the document fits its 360 pixels and nothing in it scrolls
    sideways (a wide table in a scrolling box hides what a thumb cannot see)."""
    failures = []
    if seen.scroll_width > min(seen.client_width, WIDTH):
        failures.append(f"scrolls sideways: {seen.scroll_width} px wide in {seen.client_width}")
    return failures + seen.sideways


def check_quick_exit(seen: Visit, kind: str, name: str) -> list[str]:
    if kind != "strict" or name == "core:leave":
        return []
    if seen.quick_exit_href != reverse("core:leave"):
        return [f"no visible quick exit to {reverse('core:leave')} (found {seen.quick_exit_href!r})"]
    return []


def _refusing(page, refuse: str) -> None:
    if refuse:
        page.route(refuse, lambda route: route.abort())
    else:
        page.unroute_all()


def axe_violations(page, url: str, refuse: str = "") -> list[str]:
    """axe-core's violations; `page` is in a context that loads axe into every document."""
    _refusing(page, refuse)
    page.goto(url, wait_until="load")
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v =>
            `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
    }""")


def shows_main_without_javascript(page, url: str, refuse: str = "") -> list[str]:
    """`page` is in a context with JavaScript off."""
    _refusing(page, refuse)
    page.goto(url, wait_until="load")
    shown = page.locator("main").first.is_visible() and page.locator("main h1").first.is_visible()
    return [] if shown else ["without JavaScript, no visible <main> with an <h1>"]


def start_vnu(folder: Path) -> subprocess.Popen[str]:
    """The Nu HTML checker over every saved page, in one JVM, in the background."""
    files = [str(path) for path in sorted(folder.glob("*.html"))]
    return subprocess.Popen(["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def vnu_messages(process: subprocess.Popen[str]) -> dict[str, dict[str, list[str]]]:
    """{file name: {"errors": [...], "warnings": [...]}} from the checker's JSON."""
    _out, err = process.communicate(timeout=120)
    found: dict[str, dict[str, list[str]]] = {}
    for message in json.loads(err)["messages"]:
        name = Path(urlparse(message.get("url", "")).path).name
        entry = found.setdefault(name, {"errors": [], "warnings": []})
        text = f"line {message.get('lastLine', '?')}: {message.get('message')}"
        entry["warnings" if message["type"] == "info" else "errors"].append(text)
    return found


# --- Running every page once ------------------------------------------------------------------

CHECKS = ["reached", "headers", "axe", "html", "foreign", "weight", "narrow", "nojs", "console",
          "quick_exit"]
MODES = {
    "shown": {},  # as a person's phone shows it
    "axe": {"bypass_csp": True},  # only so that axe's own script may run
    "nojs": {"java_script_enabled": False},
}


def new_context(browser, own: str, **options):
    """A 360-pixel phone screen. Requests for other hosts are recorded by `visit`, then
    refused here, so no test ever leaves the machine."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 740}, **options)
    context.route(lambda url: urlparse(url).netloc != own, lambda route: route.abort())
    return context


def signed_in_cookie(user, live_url: str) -> dict[str, str]:
    """A browser cookie for a fresh session of `user`, second factor proven if she has one."""
    client = Client()
    sign_in(client, user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_url}


def _cookies(world: World, page: Page, live_url: str) -> list[dict[str, str]]:
    """The browser cookies of the row's visitor, in the state the row asks for."""
    state = page.state(world) if page.state else State()
    cookies = [{"name": name, "value": value, "url": live_url} for name, value in state.cookies.items()]
    if page.who == "anonymous" and not state.session:
        return cookies
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if page.who == "anonymous":
        store = store_class()
    else:
        store = store_class(signed_in_cookie(world.users[page.who], live_url)["value"])
    store.update(state.session)
    store.save()
    return [*cookies, {"name": settings.SESSION_COOKIE_NAME, "value": str(store.session_key), "url": live_url}]


def run_every_page(world: World, live_url: str, browser, folder: Path) -> dict[str, dict[str, list[str]]]:
    """Visit every page once per mode (three tabs reused throughout) and check it."""
    own = urlparse(live_url).netloc
    contexts = {mode: new_context(browser, own, **options) for mode, options in MODES.items()}
    contexts["axe"].add_init_script(path=str(AXE))
    tabs = {mode: context.new_page() for mode, context in contexts.items()}
    targets = {name: (name, page) for name, page in TABLE.items()} | VARIANTS
    urls = {key: live_url + (page.url(world) if page.url else _url(name, world))
            for key, (name, page) in targets.items()}
    cookies = {key: _cookies(world, page, live_url) for key, (_name, page) in targets.items()}

    def as_visitor_of(key: str) -> None:
        for context in contexts.values():
            context.clear_cookies()
            if cookies[key]:
                context.add_cookies(cookies[key])

    results: dict[str, dict[str, list[str]]] = {}
    notes: list[str] = []
    files: dict[str, str] = {}
    for key, (name, page) in targets.items():
        as_visitor_of(key)
        seen = visit(tabs["shown"], urls[key], page.refuse)
        kind = page_kind(urlparse(urls[key]).path)
        files[key] = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") + ".html"
        (folder / files[key]).write_text(seen.html)
        results[key] = {
            "reached": check_reached(seen, page.status, page.h1),
            "headers": check_headers(seen, kind),
            "foreign": check_foreign(seen, own),
            "weight": check_weight(seen, page.budget),
            "narrow": check_narrow(seen),
            "console": seen.errors,
            "quick_exit": check_quick_exit(seen, kind, name),
        }
        weight = sum(len(gzip.compress(body)) for body in seen.bodies.values())
        notes.append(f"{key}: {kind} page, {weight} B compressed (budget {page.budget}), "
                     f"{seen.scroll_width} px wide")
        if page.refuse or key in REAL_DATA:
            (SCREENSHOTS / "page-quality").mkdir(parents=True, exist_ok=True)
            tabs["shown"].screenshot(path=str(SCREENSHOTS / "page-quality" / (files[key][:-5] + ".png")),
                                     full_page=True)
    checker = start_vnu(folder)  # the JVM starts while axe runs
    for key, (_name, page) in targets.items():
        as_visitor_of(key)
        results[key]["axe"] = axe_violations(tabs["axe"], urls[key], page.refuse)
        results[key]["nojs"] = shows_main_without_javascript(tabs["nojs"], urls[key], page.refuse)
    for context in contexts.values():
        context.close()
    validated = vnu_messages(checker)
    for key in targets:
        results[key]["html"] = validated.get(files[key], {}).get("errors", [])
        notes += [f"{key}: HTML warning {w}" for w in validated.get(files[key], {}).get("warnings", [])]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(notes) + "\n")
    return results


_RUN: dict[str, Any] = {}


@pytest.fixture
def results(request, live_server, chromium, tmp_path_factory) -> dict[str, dict[str, list[str]]]:
    """Every page's results, computed once per run by the first test that asks."""
    if not _RUN:
        started = time.monotonic()
        try:
            request.getfixturevalue("vocabulary")  # the real data uses the shipped terms
            world = request.getfixturevalue("world")
            _RUN["results"] = run_every_page(world, live_server.url, chromium, tmp_path_factory.mktemp("pages"))
        except Exception as error:
            _RUN["error"] = repr(error)
            raise
        finally:
            _RUN["seconds"] = time.monotonic() - started
    if "error" in _RUN:  # the first page test showed the traceback
        pytest.fail(f"the run over every page failed: {_RUN['error']}")
    return _RUN["results"]


# --- The tests ----------------------------------------------------------------------------------

def test_it_has_a_row_for_every_page():
    assert html_page_names() == set(TABLE), (
        f"pages without a row: {sorted(html_page_names() - set(TABLE))}; "
        f"rows without a page: {sorted(set(TABLE) - html_page_names())}")


def test_it_excludes_only_what_is_no_page(client, world):
    sign_in(client, world.users["coordinator"])
    for name in NOT_PAGES:
        response = client.get(_url(name, world))
        is_page = response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
        assert not is_page, f"{name} answers GET with an HTML page: give it a row in TABLE"


@pytest.mark.parametrize("key", [*TABLE, *VARIANTS])
def test_it_meets_the_quality_bars(key, results):
    page = TABLE[key] if key in TABLE else VARIANTS[key][1]
    found = results[key]
    failing = {check: found[check] for check in CHECKS if found[check]}
    unexpected = {check: lines for check, lines in failing.items() if check not in page.xfail}
    assert not unexpected, f"{key} fails:\n" + "\n".join(
        f"  {check}: {line}" for check, lines in unexpected.items() for line in lines)
    fixed = [check for check in page.xfail if check not in failing]
    assert not fixed, f"{key} now passes {fixed}: remove its xfail"
    if page.xfail:
        pytest.xfail("; ".join(f"{check}: {reason}" for check, reason in page.xfail.items()))


# --- The harness can fail ---------------------------------------------------------------------

def _injecting(context, url: str, change: Callable[[str], str]) -> None:
    """Serve the real response for `url`, changed on its way to the browser."""
    def handle(route):
        real = route.fetch()
        route.fulfill(response=real, body=change(real.text()))
    context.route(url, handle)


def test_it_catches_a_page_that_loads_a_third_party_script(live_server, chromium):
    own = urlparse(live_server.url).netloc
    context = new_context(chromium, own)
    tab = context.new_page()
    assert check_foreign(visit(tab, live_server.url + "/"), own) == []
    _injecting(context, live_server.url + "/", lambda html: html.replace(
        "</head>", '<script src="https://cdn.example.com/x.js"></script></head>'))
    assert check_foreign(visit(tab, live_server.url + "/"), own) == ["https://cdn.example.com/x.js"]
    context.close()


def test_it_catches_a_page_grown_past_its_budget(live_server, chromium):
    import base64
    import random

    context = new_context(chromium, urlparse(live_server.url).netloc)
    tab = context.new_page()
    assert check_weight(visit(tab, live_server.url + "/"), BUDGET) == []
    # 40 KB that gzip cannot shrink, appended to the stylesheet as a comment.
    filler = base64.b64encode(random.Random(7).randbytes(40_000)).decode()
    _injecting(context, live_server.url + "/static/core/amparo.css", lambda css: css + f"/*{filler}*/")
    failures = check_weight(visit(tab, live_server.url + "/"), BUDGET)
    assert len(failures) == 1 and "> budget 30000" in failures[0] and "amparo.css" in failures[0]
    context.close()


def test_it_catches_an_inline_style_that_the_policy_refuses(live_server, chromium):
    context = new_context(chromium, urlparse(live_server.url).netloc)
    tab = context.new_page()
    assert visit(tab, live_server.url + "/").errors == []
    _injecting(context, live_server.url + "/", lambda html: html.replace("<h1>", '<h1 style="color:red">'))
    errors = visit(tab, live_server.url + "/").errors
    assert len(errors) == 1 and "Content Security Policy" in errors[0]
    context.close()


def test_it_catches_a_page_wider_than_the_phone(live_server, chromium):
    context = new_context(chromium, urlparse(live_server.url).netloc)
    tab = context.new_page()
    assert check_narrow(visit(tab, live_server.url + "/")) == []
    # Something wider than the screen in the page itself: the document scrolls sideways.
    _injecting(context, live_server.url + "/", lambda html: html.replace(
        "<h1>", '<svg id="wide" width="800" height="10"></svg><h1>'))
    failures = check_narrow(visit(tab, live_server.url + "/"))
    assert failures[0] == "scrolls sideways: 816 px wide in 360", failures  # with main's padding
    assert failures[1] == "main#main > svg#wide reaches 816 px", failures
    context.unroute(live_server.url + "/")
    # A wide table in a box that scrolls: the document fits, the table does not.
    _injecting(context, live_server.url + "/", lambda html: html.replace(
        "<h1>", '<div class="table-wrap"><table><tr><td><svg width="800" height="10"></svg></td></tr></table>'
                '</div><h1>'))
    failures = check_narrow(visit(tab, live_server.url + "/"))
    assert failures == ["main#main > div.table-wrap scrolls sideways: 813 px in 328", "td > svg reaches 822 px"]
    context.close()
