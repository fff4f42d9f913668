"""Every form of every page, submitted as a person's browser would submit it (issue 15).

The harness walks the authorization table (test_authorization, with the apps' rows): every URL
whose GET answers a page (200) to a role is opened as that role, and the pages that need a
state of their own (a login half done, an invitation link, a supporter's link) as the
page-quality table opens them. Each POST form of the page is read the way a browser reads it
(tests/formparse.py: values as rendered, checked boxes, selected options, textareas, hidden
fields and the CSRF token, the first submit button) and sent back unchanged, with CSRF checks
on. The answer must be

- a redirect (POST → redirect → GET) whose page opens, or
- the page again (200, 400, 409, 422) with an error shown, each error on a field the page
  renders: never an error on a field nobody can see, never a page that comes back saying
  nothing, never a 500.

An edit page (its URL name says "edit", or it is one of EDIT_PAGES) is also changed: one
visible field gets a new value, the form is sent, the page is opened again and must show it.

Nothing has to be written for a new form: it is on a page of the table, so it is submitted.
Every submission runs in a savepoint that is rolled back and with the browser's cookies put
back afterwards, so a destructive or one-shot form (log out, revoke, end a role, withdraw
consent) is submitted for real on a world that the next submission finds untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django import forms as django_forms
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.html import escape

from amparo.tests.formparse import Control, Form, forms_of
from amparo.tests.tables import EVERYONE, gathered
from amparo.tests.test_authorization import TABLE, _url
from conftest import sign_in

# Pages that edit something in place but whose URL name does not say "edit".
EDIT_PAGES = {
    "network:my_contact": "her own contact details",
    "appeals:preferences": "a supporter's languages and channels",
    "appeals:translate": "an appeal's text in another language",
    "appeals:update_translate": "an update's text in another language",
}

# Forms that are not submitted here, each with its reason. Keep it short.
SKIPPED_ACTIONS: dict[str, str] = {
    "core:leave": "the quick exit leaves for a neutral page; it sends nothing (core/tests/test_quick_exit)",
    # The layout's two forms are on every page: submitted once, in test_the_layout_forms_work.
    "accounts:logout": "the layout's log-out button, on every signed-in page",
    "set_language": "the layout's language buttons, on every page",
}

# Forms whose answer is the result itself, shown once, rather than a redirect; by reason.
ANSWERED_IN_PLACE: dict[str, str] = {
    "network:recovery_sheet": "the desk's recovery sheet is shown once, in the answer, and never kept to be "
                              "shown by a later GET",
    "network:network_recovery_sheet": "the coordinators' recovery sheet: shown once, as the desk's",
    "appeals:unsubscribe": "one-click unsubscribe (RFC 8058): a mail program posts and reads the answer",
    **gathered("ANSWERED_IN_PLACE"),  # rows apps keep beside their code (tests/tables.py)
}

ANSWERS_WITH_PAGE = {200, 400, 409, 422}
ERROR_MARKS = re.compile(r'class="[^"]*\b(errorlist|msg-error|has-error)\b|role="alert"')


# --- Who opens what -------------------------------------------------------------------------

@dataclass(frozen=True)
class Visit:
    who: str
    url: Callable[[Any], str] | None = None  # the page-quality row's URL, else the table's
    state: Callable[[Any], Any] | None = None  # a page-quality State


def _quality_rows() -> dict[str, Any]:
    from amparo.core.tests import test_page_quality

    return test_page_quality.TABLE


def visits_of(name: str) -> list[Visit]:
    """Each role that the authorization table lets GET the page (200), and the page-quality
    row's visitor when that row needs its own URL or state."""
    found: list[Visit] = []
    entry = TABLE.get(name)
    if entry is not None and entry.method == "GET":
        found += [Visit(who) for who in EVERYONE if entry.expect[who] == 200]
    page = _quality_rows().get(name)
    if page is not None and page.status == 200 and (page.url or page.state):
        found.append(Visit(page.who, page.url, page.state))
    return found


NAMES = sorted(name for name in {*TABLE, *_quality_rows()}
               if not name.startswith(("api:", "admin:")) and visits_of(name))


def new_browser(world: Any, visit: Visit) -> Client:
    """A client that checks CSRF tokens as the site does for a browser, signed in as the
    visitor, with her key unlocked, in the state the page needs."""
    client = Client(enforce_csrf_checks=True)
    if visit.who != "anonymous":
        sign_in(client, world.users[visit.who], world.unlocked[visit.who])
    if visit.state is not None:
        state = visit.state(world)
        session = client.session
        session.update(state.session)
        session.save()
        client.cookies[django_settings().SESSION_COOKIE_NAME] = str(session.session_key)
        for key, value in state.cookies.items():
            client.cookies[key] = value
    return client


def django_settings() -> Any:
    from django.conf import settings

    return settings


# --- Sending a form -------------------------------------------------------------------------

@contextmanager
def undone(client: Client) -> Iterator[None]:
    """Whatever happens inside is rolled back, and the browser's cookies are put back."""
    cookies = deepcopy(client.cookies)
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    client.cookies = cookies


def target(page_url: str, form: Form) -> str:
    return urljoin(page_url, form.action) if form.action else page_url


def url_name(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return ""
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


def send(client: Client, page_url: str, form: Form, change: tuple[Control, str] | None = None) -> Any:
    pairs = form.data(change)
    if form.enctype == "multipart/form-data":
        data: dict[str, list[str]] = {}
        for key, value in pairs:
            data.setdefault(key, []).append(value)
        return client.post(target(page_url, form), data)
    return client.post(target(page_url, form), urlencode(pairs), content_type="application/x-www-form-urlencoded")


def bound_forms(response: Any) -> list[django_forms.BaseForm]:
    """The Django forms that the answer rendered, when it was rendered from a template."""
    context = getattr(response, "context", None)
    if context is None:
        return []
    found: dict[int, django_forms.BaseForm] = {}
    for layer in (context if isinstance(context, list) else [context]):
        for value in layer.flatten().values():
            if isinstance(value, django_forms.BaseForm) and value.is_bound:
                found[id(value)] = value
    return list(found.values())


def judge(where: str, page_url: str, form: Form, response: Any, client: Client) -> list[str]:
    """What is wrong with the answer to a form sent as rendered (nothing, if it is right)."""
    said = f"{where}: {form.describe()}"
    status = response.status_code
    if 300 <= status < 400:
        location = response.get("Location", "")
        if location.startswith(("/", "http://testserver")):
            landed = client.get(location)
            if landed.status_code >= 500:
                return [f"{said} redirects to {location}, which answers {landed.status_code}"]
        return []
    if status == 200 and url_name(target(page_url, form)) in ANSWERED_IN_PLACE:
        return []
    if status not in ANSWERS_WITH_PAGE:
        return [f"{said} answers {status}" + (" (the CSRF check refused it)" if b"CSRF" in response.content else "")]
    html = response.content.decode()
    rendered = set().union(*(f.rendered_names() for f in forms_of(html)))
    failures = []
    shown_any = False
    for bound in bound_forms(response):
        for field, errors in bound.errors.items():
            for error in map(str, errors):
                shown = escape(error) in html or error in html
                shown_any |= shown
                if field != django_forms.forms.NON_FIELD_ERRORS and bound.add_prefix(field) not in rendered:
                    failures.append(f"{said} answers {status} with an error on the field '{field}' "
                                    f"({error!r}), which the page does not render")
                elif not shown:
                    failures.append(f"{said} answers {status} with an error that the page does not show: "
                                    f"{field}: {error!r}")
    if not failures and not shown_any and not ERROR_MARKS.search(html):
        failures.append(f"{said} answers {status} with the page again and no error: nothing was saved "
                        "and nothing says why")
    return failures


# --- Changing one field of an edit page -----------------------------------------------------

def new_value(control: Control) -> str | None:
    """A different value a person could type or choose, or None when there is none."""
    if control.readonly or control.disabled or not control.name or not control.visible():
        return None
    if control.type == "textarea":
        return (control.value + "\nEdited again.") if control.value else "Edited by a person."
    if control.type in {"text", "search", ""}:
        return (control.value + " edited") if control.value else "Edited"
    if control.type == "email":
        return "edited@example.org"
    if control.type == "select":
        current = control.sent()[0][1] if control.sent() else None
        others = [value for value, _ in control.options if value and value != current]
        return others[0] if others else None
    if control.type == "checkbox":
        return "toggle"
    return None


def shown_value(html: str, form: Form, changed: Control) -> str | None:
    """What the page opened again shows in the changed control ("checked"/"unchecked" for a box)."""
    for again in forms_of(html):
        if again.action != form.action or changed.name not in again.rendered_names():
            continue
        if changed.type == "checkbox":
            boxes = [c for c in again.controls if c.name == changed.name and c.value == changed.value]
            return ("checked" if boxes[0].checked else "unchecked") if boxes else None
        sent = [value for control in again.controls if control.name == changed.name for _, value in control.sent()]
        return sent[0] if sent else ""
    return None


def edit_and_reopen(client: Client, where: str, page_url: str, form: Form) -> list[str]:
    """Change one visible field (the first one that takes a new value: text before choices
    before boxes), send, open the page again: the change is there."""
    tried = []
    order = {"textarea": 0, "select": 2, "checkbox": 3}
    for control in sorted(form.controls, key=lambda c: order.get(c.type, 1)):
        value = new_value(control)
        if value is None:
            continue
        wanted = ("unchecked" if control.checked else "checked") if value == "toggle" else value
        with undone(client):
            response = send(client, page_url, form, (control, value))
            if 300 <= response.status_code < 400:
                shown = shown_value(client.get(page_url).content.decode(), form, control)
                if shown is not None and shown.replace("\r\n", "\n") == wanted:
                    return []
                return [f"{where}: {form.describe()}: '{control.name}' changed to {wanted!r} and saved "
                        f"(redirect), but the page opened again shows {shown!r}"]
            tried.append(f"{control.name} ({response.status_code})")
    return [f"{where}: {form.describe()}: no visible field could be changed and saved (tried {', '.join(tried)})"]


def is_edit_page(name: str, page_url: str, form: Form) -> bool:
    posts_to_itself = urlsplit(target(page_url, form)).path == urlsplit(page_url).path
    return posts_to_itself and ("edit" in name.split(":")[-1] or name in EDIT_PAGES)


# --- The walk -------------------------------------------------------------------------------

def failed_before(failures: list[str], form: Form) -> bool:
    return any(form.describe() in line for line in failures)


def round_trip(client: Client, name: str, page_url: str, who: str) -> tuple[list[str], int]:
    """Open the page and send each of its POST forms; the failures found and the forms sent."""
    where = f"{name} as {who} ({page_url})"
    page = client.get(page_url)
    if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
        return [], 0
    failures, sent = [], 0
    for form in forms_of(page.content.decode()):
        if form.method != "post" or url_name(target(page_url, form)) in SKIPPED_ACTIONS:
            continue
        sent += 1
        with undone(client):
            try:
                response = send(client, page_url, form)
            except Exception as error:  # the test client re-raises what would be a 500
                failures.append(f"{where}: {form.describe()} fails with {error!r} (a 500)")
                continue
            failures += judge(where, page_url, form, response, client)
        # An edit page that saves as it comes (a translation not yet begun asks for its text
        # first, with the errors judged above) must also keep a change.
        saved = 300 <= response.status_code < 400
        if saved and is_edit_page(name, page_url, form) and not failed_before(failures, form):
            failures += edit_and_reopen(client, where, page_url, form)
    return failures, sent


@pytest.mark.parametrize("name", NAMES)
def test_every_form_round_trips(world, vocabulary, name):
    failures, sent = [], 0
    for visit in visits_of(name):
        client = new_browser(world, visit)
        page_url = visit.url(world) if visit.url else _url(name, world)
        found, count = round_trip(client, name, page_url, visit.who)
        failures += found
        sent += count
    assert not failures, "\n".join(failures)


def test_the_layout_forms_work(world):
    """The log-out button and the language buttons, which every page carries."""
    client = new_browser(world, Visit("defender"))
    page = client.get("/accounts/dashboard/")
    layout = [f for f in forms_of(page.content.decode()) if url_name(target("/", f)) in SKIPPED_ACTIONS]
    assert {url_name(target("/", f)) for f in layout} == {"accounts:logout", "set_language"}
    for form in layout:
        with undone(client):
            assert not judge("the layout", "/accounts/dashboard/", form, send(client, "/accounts/dashboard/", form),
                             client)


# --- The harness can fail -------------------------------------------------------------------

def _incident_edit(world: Any) -> tuple[Client, str]:
    return new_browser(world, Visit("documenter_a")), _url("registry:incident_edit", world)


def test_it_names_the_page_and_the_field_a_template_drops(world, vocabulary, monkeypatch):
    """A template that stops rendering a required field (the bug of issue 15, on purpose)."""
    from django.template.backends.django import Template
    from django.utils.safestring import mark_safe

    real = Template.render

    def without_date_precision(self: Template, context: Any = None, request: Any = None) -> str:
        html = real(self, context, request)
        if self.origin.template_name == "registry/incident_form.html":
            dropped = re.sub(r'<div class="field[^"]*">(?:(?!<div).)*?name="date_precision".*?</div>', "", html,
                             flags=re.DOTALL)
            html = mark_safe(dropped)  # noqa: S308 - our own page, one field less
        return html

    monkeypatch.setattr(Template, "render", without_date_precision)
    client, page_url = _incident_edit(world)
    failures, sent = round_trip(client, "registry:incident_edit", page_url, "documenter_a")
    assert sent >= 1
    assert any("registry:incident_edit" in line and "'date_precision'" in line and "does not render" in line
               for line in failures), failures


def test_it_names_a_field_whose_change_is_not_kept(world, vocabulary, monkeypatch):
    """An edit page that answers "saved" but drops what she changed."""
    from amparo.registry import services

    real = services.update_incident

    def forgetful(actor: Any, incident: Any, data: Any) -> Any:
        data.narrative = services.open_incident(world.unlocked["documenter_a"], incident)["narrative"]
        return real(actor, incident, data)

    monkeypatch.setattr(services, "update_incident", forgetful)
    client, page_url = _incident_edit(world)
    failures, _sent = round_trip(client, "registry:incident_edit", page_url, "documenter_a")
    assert any("registry:incident_edit" in line and "'narrative' changed" in line for line in failures), failures


def test_it_names_a_page_that_comes_back_saying_nothing(world, monkeypatch):
    """A page that re-renders its form without showing why (the login page showed no field errors)."""
    from django.template.backends.django import Template
    from django.utils.safestring import mark_safe

    real = Template.render

    def silent(self: Template, context: Any = None, request: Any = None) -> str:
        html = real(self, context, request)
        if self.origin.template_name == "accounts/login.html":
            html = mark_safe(re.sub(r'<ul class="errorlist".*?</ul>', "", html, flags=re.DOTALL))  # noqa: S308
        return html

    monkeypatch.setattr(Template, "render", silent)
    failures, _sent = round_trip(new_browser(world, Visit("anonymous")), "accounts:login", "/accounts/login/",
                                 "anonymous")
    assert any("accounts:login" in line and "does not show" in line for line in failures), failures
