"""Every place that checks a password, a second-factor code, a recovery code or a recovery
sheet counts its failures with the login's, per account, and refuses the right secret after
five wrong ones (issue 17, point 3).

Each gate is walked here as a person uses it: the form as the page renders it, five wrong
secrets, then the right one, which must be refused with "too many attempts" and change
nothing; once the wait is over the right one works. Then the whole code base is read, so
that a new check of a secret made outside `accounts.gates.check_secret` fails a test.
"""

from __future__ import annotations

import ast
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from amparo.accounts import services as accounts
from amparo.accounts import throttle
from amparo.accounts.gates import Gate
from amparo.accounts.models import RecoveryCode
from amparo.core.models import AuditEntry, Counter
from amparo.network import services as network
from amparo.network.models import Role
from amparo.network.tests.factories import UserFactory
from amparo.vault import services as vault
from amparo.vault.models import Grant, MemberKey
from conftest import enrol_second_factor, sign_in

PASSWORD = "a long enough passphrase for tests"
NEW_PASSWORD = "another quiet evening by the river"
WRONG_PASSWORD = "not her password, but long enough"
WRONG_SHEET = "AAAA" * 13
TOO_MANY = "Too many attempts. Please wait 1 minute and try again."


# --- Forms as the page renders them -----------------------------------------------------------

class _Forms(HTMLParser):
    """The page's forms: where each one posts, and the names of its fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and (found.get("method") or "").lower() == "post":
            self.forms.append((found.get("action") or "", set()))
        elif tag in ("input", "select", "textarea", "button") and self.forms and found.get("name"):
            self.forms[-1][1].add(str(found["name"]))


@dataclass
class Door:
    """One gate's form: where the page is, which form on it, and what passing it changes."""

    client: Client
    page: str  # the address of the page that shows the form
    action: str  # where the form posts ("" for the page itself)
    secret_field: str  # the field that holds the secret
    others: dict[str, str]  # what else a person types
    passed: Callable[[], bool]
    html: str = ""  # the page last shown, to submit its form again as a person would
    typed: list[str] = field(default_factory=list)

    def submit(self, secret: str) -> Any:
        form = self._form()
        values = {**self.others, self.secret_field: secret}
        assert set(values) <= form[1], f"{sorted(values)} not all in the rendered form {sorted(form[1])}"
        self.typed.append(secret)
        response = self.client.post(form[0] or self.page, values, follow=True)
        self.html = response.content.decode()
        return response

    def _form(self) -> tuple[str, set[str]]:
        for _attempt in range(2):
            parser = _Forms()
            parser.feed(self.html)
            for action, names in parser.forms:
                if (action or self.page) == (self.action or self.page) and self.secret_field in names:
                    return action, names
            self.html = self.client.get(self.page, follow=True).content.decode()
        raise AssertionError(f"no form posting to {self.action or self.page} on {self.page}")


def _wrong_code(totp: pyotp.TOTP) -> str:
    """A six-digit code that no clock drift makes right."""
    now = time.time()
    near = {totp.at(now + drift) for drift in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555", "666666") if c not in near)


def _person(username: str, *, second_factor: bool = False) -> tuple[Any, str, str | None]:
    """A member with a password, a key (and its recovery code) and maybe a second factor."""
    user = accounts.create_user(username=username, password=PASSWORD, email=f"{username}@example.org")
    _unlocked, code = vault.create_member_key(user, PASSWORD)
    return user, code, enrol_second_factor(user) if second_factor else None


# --- The doors, one per gate (a gate with two addresses has two) -------------------------------

@dataclass
class Walk:
    door: Door
    right: Callable[[], str]  # the right secret, as it is at the moment it is typed
    wrong: str


def _login_password(world: Any, client: Client) -> Walk:
    user, _code, _secret = _person("ines")
    door = Door(client, "/accounts/login/", "", "password", {"username": "ines"},
                passed=lambda: client.session.get("_auth_user_id") == str(user.pk))
    return Walk(door, lambda: PASSWORD, WRONG_PASSWORD)


def _login_code(world: Any, client: Client) -> Walk:
    user, _code, secret = _person("ines", second_factor=True)
    totp = pyotp.TOTP(secret)
    first = client.post("/accounts/login/", {"username": "ines", "password": PASSWORD})
    assert first["Location"] == "/accounts/login/code/"
    door = Door(client, "/accounts/login/code/", "", "code", {},
                passed=lambda: client.session.get("_auth_user_id") == str(user.pk))
    return Walk(door, totp.now, _wrong_code(totp))


def _reset_code(world: Any, client: Client) -> Walk:
    user, _code, secret = _person("ines", second_factor=True)
    totp = pyotp.TOTP(secret)
    client.post("/accounts/password-reset/", {"email": "ines@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body)
    assert link
    set_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]

    def passed() -> bool:
        user.refresh_from_db()
        return user.check_password(NEW_PASSWORD)

    door = Door(client, set_url, "", "code", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                passed=passed)
    return Walk(door, totp.now, _wrong_code(totp))


def _password_change(world: Any, client: Client) -> Walk:
    user, _code, _secret = _person("ines")
    sign_in(client, user, vault.unlock_with_password(user, PASSWORD))

    def passed() -> bool:
        user.refresh_from_db()
        return user.check_password(NEW_PASSWORD)

    door = Door(client, "/accounts/password/", "", "old_password",
                {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, passed=passed)
    return Walk(door, lambda: PASSWORD, WRONG_PASSWORD)


def _enrol_code(world: Any, client: Client) -> Walk:
    user, _code, _secret = _person("ines")
    sign_in(client, user)
    door = Door(client, "/accounts/second-factor/", "", "code", {},
                passed=lambda: accounts.has_second_factor(user))
    door.html = client.get(door.page).content.decode()  # the key is made when the page is shown
    shown = re.search(r'<code class="hash">([A-Z2-7 ]+)</code>', door.html)
    assert shown
    totp = pyotp.TOTP(shown.group(1).replace(" ", ""))
    return Walk(door, totp.now, _wrong_code(totp))


def _new_recovery_codes(world: Any, client: Client) -> Walk:
    user, _code, secret = _person("ines", second_factor=True)
    totp = pyotp.TOTP(secret)
    accounts.issue_recovery_codes(user)
    before = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    sign_in(client, user)
    door = Door(client, "/accounts/security/", "/accounts/second-factor/recovery-codes/", "code", {},
                passed=lambda: set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
                != before)
    return Walk(door, totp.now, _wrong_code(totp))


def _new_key_recovery_code(world: Any, client: Client) -> Walk:
    user, _code, _secret = _person("ines")
    sign_in(client, user, vault.unlock_with_password(user, PASSWORD))
    before = bytes(MemberKey.objects.get(user=user).wrapped_by_recovery)
    door = Door(client, "/accounts/dashboard/", "/vault/recovery-code/new/", "password", {},
                passed=lambda: bytes(MemberKey.objects.get(user=user).wrapped_by_recovery) != before)
    return Walk(door, lambda: PASSWORD, WRONG_PASSWORD)


def _key_recovery(world: Any, client: Client) -> Walk:
    user, code, _secret = _person("ines")
    vault.mark_needs_recovery(user)  # as a password reset leaves it
    sign_in(client, user)
    door = Door(client, "/vault/recover/", "", "code", {"password": PASSWORD},
                passed=lambda: not MemberKey.objects.get(user=user).needs_recovery)
    return Walk(door, lambda: code, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")


def _sheet_page(world: Any, scope: str) -> tuple[Any, str, str]:
    """A key holder makes the ring's recovery sheet on its page; the sheet and that page."""
    holder = "documenter_a" if scope == "desk" else "coordinator"
    base = f"/network/desks/{world.desk_a.slug}" if scope == "desk" else f"/network/n/{world.network_a.slug}"
    issuer = Client()
    sign_in(issuer, world.users[holder], world.unlocked[holder])
    html = issuer.post(f"{base}/recovery-sheet/").content.decode()
    sheet = re.search(r'class="big-code"><code>([^<]+)</code>', html)
    assert sheet
    return issuer, html, sheet.group(1)


def _sheet_confirm(scope: str) -> Callable[[Any, Client], Walk]:
    def walk(world: Any, client: Client) -> Walk:
        issuer, html, sheet = _sheet_page(world, scope)
        owner = world.desk_a if scope == "desk" else world.network_a
        ring = owner.ring
        base = f"/network/desks/{world.desk_a.slug}" if scope == "desk" else f"/network/n/{world.network_a.slug}"

        def passed() -> bool:
            ring.refresh_from_db()
            return ring.recovery_confirmed_at is not None

        door = Door(issuer, f"{base}/", f"{base}/recovery-sheet/confirm/", "sheet", {}, passed=passed, html=html)
        return Walk(door, lambda: sheet, WRONG_SHEET)
    return walk


def _sheet_restore(scope: str) -> Callable[[Any, Client], Walk]:
    def walk(world: Any, client: Client) -> Walk:
        _issuer, _html, sheet = _sheet_page(world, scope)
        newcomer, _code, _secret = _person("newcomer", second_factor=True)
        if scope == "desk":
            network.add_membership("system", user=newcomer, role=Role.DOCUMENTER, network=world.network_a,
                                   desk=world.desk_a)
            ring, base = world.desk_a.ring, f"/network/desks/{world.desk_a.slug}"
        else:
            network.add_membership("system", user=newcomer, role=Role.COORDINATOR, network=world.network_a)
            ring, base = world.network_a.ring, f"/network/n/{world.network_a.slug}"
        sign_in(client, newcomer)
        door = Door(client, f"{base}/restore/", "", "sheet", {},
                    passed=lambda: Grant.objects.filter(epoch__ring=ring, user=newcomer).exists())
        return Walk(door, lambda: sheet, WRONG_SHEET)
    return walk


def _supporters_export(world: Any, client: Client) -> Walk:
    coordinator = UserFactory.create(username="coalition_coordinator")
    network.add_membership("system", user=coordinator, role=Role.COORDINATOR, network=world.coalition)
    totp = pyotp.TOTP(enrol_second_factor(coordinator))
    sign_in(client, coordinator)
    door = Door(client, "/appeals/supporters/", "/appeals/supporters/export/", "code", {},
                passed=lambda: AuditEntry.objects.filter(action="supporters.exported").exists())
    return Walk(door, totp.now, _wrong_code(totp))


def _lockdown_code(world: Any, client: Client) -> Walk:
    """A trusted contact types her account name and the lockdown code she set (helpdesk)."""
    from amparo.helpdesk import services as helpdesk
    from amparo.helpdesk.models import Lockdown

    user, _code, _secret = _person("ines")
    helpdesk.set_lockdown_code(user, "the code she gave her sister")
    door = Door(client, "/helpdesk/lockdown/contact/", "", "code", {"username": "ines"},
                passed=lambda: Lockdown.objects.filter(user=user).exists())
    return Walk(door, lambda: "the code she gave her sister", "not the code she gave")


class BasicAuthDoor(Door):
    """A door that is an HTTP header, not a form: a phone app's user name and password
    (OpenRosa, `/openrosa/login/`), sent over HTTPS as ODK Collect and Tella send them."""

    status: int = 0

    def submit(self, secret: str) -> Any:
        import base64

        self.typed.append(secret)
        raw = base64.b64encode(f"{self.others['username']}:{secret}".encode()).decode()
        response = self.client.get(self.page, secure=True, follow=True, HTTP_AUTHORIZATION=f"Basic {raw}",
                                   HTTP_X_OPENROSA_VERSION="1.0")
        self.status = response.status_code
        return response


def _openrosa_password(world: Any, client: Client) -> Walk:
    from amparo.openrosa import services as openrosa

    link, token = openrosa.create_link("system", world.desk_a)
    door = BasicAuthDoor(client, "/openrosa/login/formList", "", "password", {"username": link.username},
                         passed=lambda: door.status == 200)
    return Walk(door, lambda: token, "not-the-links-token")


DOORS: dict[str, tuple[Gate, Callable[[Any, Client], Walk]]] = {
    "login password": (Gate.LOGIN_PASSWORD, _login_password),
    "login code": (Gate.LOGIN_CODE, _login_code),
    "reset code": (Gate.RESET_CODE, _reset_code),
    "password change": (Gate.PASSWORD_CHANGE, _password_change),
    "second factor enrolment": (Gate.ENROL_CODE, _enrol_code),
    "new recovery codes": (Gate.NEW_RECOVERY_CODES, _new_recovery_codes),
    "new key recovery code": (Gate.NEW_KEY_RECOVERY_CODE, _new_key_recovery_code),
    "key recovery after a reset": (Gate.KEY_RECOVERY, _key_recovery),
    "desk sheet confirmation": (Gate.SHEET_CONFIRM, _sheet_confirm("desk")),
    "network sheet confirmation": (Gate.SHEET_CONFIRM, _sheet_confirm("network")),
    "desk restore from sheet": (Gate.SHEET_RESTORE, _sheet_restore("desk")),
    "network restore from sheet": (Gate.SHEET_RESTORE, _sheet_restore("network")),
    "supporters export": (Gate.SUPPORTERS_EXPORT, _supporters_export),
    "lockdown code": (Gate.LOCKDOWN_CODE, _lockdown_code),
    "phone app's password": (Gate.OPENROSA_PASSWORD, _openrosa_password),
}


def _wait_out_the_throttle() -> None:
    cache.clear()
    Counter.objects.all().delete()


@pytest.fixture
def fresh(world, fast_password_hashing):
    cache.clear()
    Counter.objects.all().delete()
    return world


@pytest.mark.parametrize("name", list(DOORS))
def test_each_gate_refuses_even_the_right_secret_after_five_wrong_ones(name, fresh, client, caplog):
    caplog.set_level(logging.DEBUG)
    walk = DOORS[name][1](fresh, client)
    for _ in range(throttle.FREE_FAILURES):
        wrong = walk.door.submit(walk.wrong)
        assert wrong.status_code != 429 and "Too many attempts" not in wrong.content.decode()
        assert not walk.door.passed()
    refused = walk.door.submit(walk.right())
    assert TOO_MANY in refused.content.decode()
    # A page that shows its form again answers 429 and says when to come back; one that
    # redirects shows the same words where the form was.
    if not refused.redirect_chain:
        assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert not walk.door.passed()
    _wait_out_the_throttle()
    walk.door.submit(walk.right())
    assert walk.door.passed(), "the right secret works once the wait is over"
    for typed in walk.door.typed:
        assert typed not in caplog.text


def test_every_gate_is_walked_by_a_test():
    assert {gate for gate, _walk in DOORS.values()} == set(Gate)


def test_the_gates_share_one_count_per_account(fresh, client):
    """Wrong reset codes and wrong passwords add up; another account is not slowed down."""
    walk = _reset_code(fresh, client)
    for _ in range(3):
        walk.door.submit(walk.wrong)
    login = Client()
    for _ in range(2):
        login.post("/accounts/login/", {"username": "ines", "password": WRONG_PASSWORD})
    refused = login.post("/accounts/login/", {"username": "ines", "password": PASSWORD})
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    accounts.create_user(username="other", password=PASSWORD)
    assert login.post("/accounts/login/", {"username": "other", "password": PASSWORD}).status_code == 302


def test_passing_the_password_does_not_wipe_the_count_of_wrong_codes(fresh, client):
    """Whoever knows the password cannot start the count of wrong codes again by logging in
    again: the password is only the first step."""
    _user, _code, secret = _person("ines", second_factor=True)
    wrong = _wrong_code(pyotp.TOTP(secret))
    for _ in range(3):
        client.post("/accounts/login/", {"username": "ines", "password": PASSWORD})
        client.post("/accounts/login/code/", {"code": wrong})
    again = Client()
    assert again.post("/accounts/login/", {"username": "ines", "password": PASSWORD}).status_code == 302
    for _ in range(2):
        again.post("/accounts/login/code/", {"code": wrong})
    refused = again.post("/accounts/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert refused.status_code == 429 and "_auth_user_id" not in again.session


def test_a_reset_request_answers_the_same_for_a_slowed_down_account(fresh, client):
    """No account enumeration through the throttle: asking for a reset link says the same
    for a known address whose account is waiting and for an unknown one."""
    _person("ines")
    for _ in range(throttle.FREE_FAILURES + 1):
        client.post("/accounts/login/", {"username": "ines", "password": WRONG_PASSWORD})
    known = client.post("/accounts/password-reset/", {"email": "ines@example.org"})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == "/accounts/password-reset/sent/"


# --- Reading the code: no secret is checked outside the throttled door ------------------------

ROOT = Path(__file__).resolve().parents[1]

# What checks a secret a person typed. A call to one of these must sit inside a function
# handed to `check_secret`, or inside another of them (a checker built on a checker).
RAW_CHECKS = {
    "authenticate", "check_password", "verify",  # Django's and pyotp's
    "generate_otp", "_accept_totp", "verify_second_factor", "confirm_second_factor",
    "unlock_with_password", "recover_member_key", "confirm_recovery_sheet", "restore_from_sheet",
}

# Calls outside the door, each with the reason it needs none.
EXEMPT = {
    ("accounts/gates.py", "check_secret"): "the door itself, calling what it was handed",
    ("vault/receivers.py", "_unlock"):
        "opens her key with the password the login gate has just passed (or she has just chosen)",
    ("vault/receivers.py", "_rewrap"):
        "opens her key with the old password the password-change gate has just passed",
    ("registry/management/commands/export_incidents.py", "handle"):
        "a shell command: whoever runs it already holds the server",
    ("network/management/commands/load_demo.py", "_enrol_staff"):
        "demo data: the code is made from the secret it has just created",
    ("appeals/management/commands/load_demo_appeals.py", "_appeal"):
        "demo data: the coordinator's key opened with the demo password the command itself set",
    ("core/management/commands/verify_audit.py", "handle"):
        "verifies the audit log's chain, not a secret",
}


def _sources() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" not in parts and "migrations" not in parts:
            yield path


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _handed_to_check_secret(tree: ast.AST) -> tuple[dict[ast.AST, ast.AST], set[str], set[ast.AST]]:
    """Each node's parent; the names of functions and the lambdas given to check_secret."""
    parents: dict[ast.AST, ast.AST] = {}
    handed: set[str] = set()
    wrapped: set[ast.AST] = set()
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
        if isinstance(node, ast.Call) and _called_name(node) == "check_secret":
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Lambda):
                    wrapped.add(arg)
                elif isinstance(arg, ast.Name):
                    handed.add(arg.id)
    return parents, handed, wrapped


def unthrottled_checks(source: str, path: str) -> list[str]:
    """Calls of a raw check of a secret that no `check_secret` wraps, as "path:line name"."""
    tree = ast.parse(source)
    parents, handed, wrapped = _handed_to_check_secret(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called_name(node) in RAW_CHECKS):
            continue
        ancestor: ast.AST | None = node
        allowed, function = False, ""
        while ancestor is not None:
            if ancestor in wrapped:
                allowed = True
            if isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef):
                function = function or ancestor.name
                if ancestor.name in handed or ancestor.name in RAW_CHECKS:
                    allowed = True
            ancestor = parents.get(ancestor)
        if not allowed and (path, function) not in EXEMPT:
            found.append(f"{path}:{node.lineno} {_called_name(node)}")
    return found


def test_no_secret_is_checked_outside_the_throttled_door():
    found = []
    for path in _sources():
        found += unthrottled_checks(path.read_text(), path.relative_to(ROOT).as_posix())
    assert found == [], "check these through accounts.gates.check_secret with a Gate of their own"


def test_every_exemption_is_still_needed():
    used = set()
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and (relative, node.name) in EXEMPT and any(
                    isinstance(n, ast.Call) and _called_name(n) in RAW_CHECKS for n in ast.walk(node)):
                used.add((relative, node.name))
    assert used == set(EXEMPT)


def test_the_reader_finds_a_gate_that_forgot_its_throttle():
    forgot = (
        "def view(request, form):\n"
        "    if request.user.check_password(form.cleaned_data['password']):\n"
        "        return 1\n"
        "def export(user, code):\n"
        "    return accounts.verify_second_factor(user, code)\n"
        "def early(user, code):\n"
        "    return check_secret(user, Gate.X, verify_second_factor(user, code))\n"  # called before the door
    )
    assert unthrottled_checks(forgot, "x.py") == ["x.py:2 check_password", "x.py:5 verify_second_factor",
                                                  "x.py:7 verify_second_factor"]
    kept = (
        "def view(request, password):\n"
        "    return check_secret(request.user, Gate.X, lambda: request.user.check_password(password))\n"
        "def restore(user, sheet):\n"
        "    def verify():\n"
        "        return vault.restore_from_sheet(ring, sheet, user)\n"
        "    return check_secret(user, Gate.Y, verify)\n"
    )
    assert unthrottled_checks(kept, "x.py") == []


def test_every_gate_is_used_by_the_code_and_named_at_each_door():
    used: set[str] = set()
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Gate":
                used.add(node.attr)
            if isinstance(node, ast.Call) and _called_name(node) == "check_secret":
                gate = ast.unparse(node.args[1]) if len(node.args) > 1 else "(none)"
                assert gate.startswith("Gate.") or gate == "self.gate", f"{path}:{node.lineno} names no gate"
    assert used == {g.name for g in Gate}


# --- The URL table: Django's own views that check a secret use our gated forms ----------------

def _views() -> Iterator[Any]:
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list[Any]) -> Iterator[Any]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield pattern.callback

    yield from walk(get_resolver().url_patterns)


def test_the_url_table_has_no_password_check_of_djangos_own():
    """The code reader sees only our code: Django's login, password change and reset views
    check secrets in Django's forms, so each one in the URL table must use a form of ours whose
    checking method goes through the door; and no API authentication takes a password."""
    from django.conf import settings
    from django.contrib.auth import views as auth_views

    checking = {auth_views.LoginView: ("authentication_form", "clean"),
                auth_views.PasswordChangeView: ("form_class", "clean_old_password"),
                auth_views.PasswordResetConfirmView: ("form_class", "clean_code")}
    seen = set()
    for callback in _views():
        view_class = getattr(callback, "view_class", None)
        for base, (attribute, method) in checking.items():
            if view_class is not None and issubclass(view_class, base):
                form = getattr(view_class, attribute)
                defined_in = getattr(form, method).__module__
                assert defined_in == "amparo.accounts.forms", f"{view_class} checks with {form}.{method}"
                seen.add(base)
    assert seen == set(checking)
    for name in settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]:
        assert "Basic" not in name and "authtoken" not in name, name


def test_the_admin_sends_her_to_the_gated_login_and_password_change(fresh, client):
    staff, _code, _secret = _person("admin_ines", second_factor=True)
    staff.is_staff = True
    staff.save()
    sign_in(client, staff)
    changed = client.get("/admin/password_change/")
    assert changed.status_code == 302 and changed["Location"] == "/accounts/password/"
    client.logout()
    assert client.get("/admin/login/")["Location"].startswith("/accounts/login/")
