"""Standing people and places for every test.

Two national networks under one coalition, each with a desk. The standing users are a
defender, a documenter of desk A, a documenter of desk B, a coordinator of network A, a
supporter, a fund reviewer and an ICT expert of the coalition, and an outsider with no role, so
every test of a page can also say who may not see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from amparo.accounts import services
from amparo.accounts.models import ApiToken, User, UserSession
from amparo.network import services as network
from amparo.network.models import Desk, Membership, Network, Role
from amparo.network.tests.factories import UserFactory
from amparo.vault import services as vault
from amparo.vault import session as vault_session
from amparo.vault.services import Unlocked

STANDING_USERS = ["defender", "documenter_a", "documenter_b", "coordinator", "supporter", "fund_reviewer",
                  "ict_expert", "outsider"]


@dataclass
class World:
    coalition: Network
    network_a: Network
    network_b: Network
    desk_a: Desk
    desk_b: Desk
    users: dict[str, User]
    memberships: dict[str, Membership]
    defender_session: UserSession
    defender_token: ApiToken
    unlocked: dict[str, Unlocked]


STANDING_PASSWORD = "standing users share this long test password"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Attachments written by tests go to a folder of their own, never the developer's var/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def fast_key_derivation(settings):
    """Argon2id at 64 MiB per member key is the production floor; tests use the smallest
    setting libsodium allows, so that hundreds of keys cost milliseconds. Only here."""
    settings.VAULT_KDF_OPS, settings.VAULT_KDF_MEM = 1, 8192


@pytest.fixture
def world(db) -> World:
    coalition = network.create_network("system", slug="coalition", name="Coalition", kind=Network.Kind.COALITION)
    network_a = network.create_network("system", slug="network-a", name="Network A", kind=Network.Kind.NATIONAL,
                                       parent=coalition, country="HN")
    network_b = network.create_network("system", slug="network-b", name="Network B", kind=Network.Kind.NATIONAL,
                                       parent=coalition, country="CD")
    desk_a = network.create_desk("system", network_a, slug="desk-a", name="Desk A", countries=["HN"])
    desk_b = network.create_desk("system", network_b, slug="desk-b", name="Desk B", countries=["CD"])
    users = {name: UserFactory.create(username=name) for name in STANDING_USERS}
    unlocked = {name: vault.create_member_key(user, STANDING_PASSWORD)[0] for name, user in users.items()}
    roles: dict[str, dict[str, Any]] = {
        "defender": dict(role=Role.DEFENDER, network=network_a),
        "documenter_a": dict(role=Role.DOCUMENTER, network=network_a, desk=desk_a),
        "documenter_b": dict(role=Role.DOCUMENTER, network=network_b, desk=desk_b),
        "coordinator": dict(role=Role.COORDINATOR, network=network_a),
        "supporter": dict(role=Role.SUPPORTER, network=coalition),
        "fund_reviewer": dict(role=Role.FUND_REVIEWER, network=coalition),
        "ict_expert": dict(role=Role.ICT_EXPERT, network=coalition),
    }
    memberships = {
        name: network.add_membership("system", user=users[name], **kwargs) for name, kwargs in roles.items()
    }
    for name in ("documenter_a", "documenter_b", "coordinator", "fund_reviewer", "ict_expert"):
        enrol_second_factor(users[name])
    session = services.record_session(users["defender"], "elsewhere-session-key")
    token, _raw = services.create_api_token(users["defender"], name="integration", days=30)
    return World(coalition, network_a, network_b, desk_a, desk_b, users, memberships, session, token,
                 unlocked)


def enrol_second_factor(user: User) -> str:
    """Give `user` a confirmed TOTP second factor, as staff roles must have; returns the secret."""
    import pyotp
    from django.utils import timezone

    from amparo.accounts import policy
    from amparo.accounts.models import SecondFactor

    secret = pyotp.random_base32(32)
    SecondFactor.objects.update_or_create(user=user, defaults={
        "sealed_secret": policy.seal_secret(secret, SecondFactor.SECRET_LABEL), "confirmed_at": timezone.now()})
    return secret


def sign_in(client, user: User, unlocked: Unlocked | None = None) -> None:
    """Log in as a person who also proved her second factor, if she has one, and whose member
    key is unlocked when `unlocked` is given."""
    from amparo.accounts.session_keys import SECOND_FACTOR_OK

    client.force_login(user)
    session = client.session
    if services.has_second_factor(user):
        session[SECOND_FACTOR_OK] = True
    if unlocked is not None:
        # As at a real login: her key in the session, the secret that opens it in a cookie.
        client.cookies[vault_session.COOKIE] = vault_session.cookie_value(vault_session.store(session, unlocked))
    session.save()


@pytest.fixture
def fast_password_hashing(settings):
    """Argon2id at its production cost makes each hash take a noticeable time; tests that
    create many passwords opt into a cheap hasher. Tests of hashing itself do not."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    body: str


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (aiosmtpd); Django sends to it over SMTP."""
    import socket

    from aiosmtpd.controller import Controller

    received: list[Received] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
            received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                     envelope.content.decode("utf-8", "replace")))
            return "250 Message accepted"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    try:
        yield received
    finally:
        controller.stop()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = __import__("pathlib").Path(__file__).parent / "test-artifacts" / "screens"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright for Python; no browser is ever downloaded."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls made by the
    # test itself (not by the server) are still sequential, so the guard can be lifted here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium):
    """A 360-pixel-wide phone screen, JavaScript on."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    yield context
    context.close()


@pytest.fixture
def phone_without_js(chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    yield context
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def broker(tmp_path):
    """The configured broker, kept apart from a development worker that may be running:
    a fresh folder for the file broker, the configured server (Redis in CI) otherwise."""
    from amparo.celery import app

    def drop_pools() -> None:
        # Producers pool their connections, with the options they were made with: drop both
        # pools, or the next send finds a pool closed by the last test ("Acquire on closed pool").
        from kombu import pools

        app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        pools.reset()  # kombu's own registry hands out producer pools by connection: closed ones too

    saved = app.conf.broker_transport_options
    drop_pools()
    if app.conf.broker_url.startswith("filesystem"):
        (tmp_path / "queue").mkdir()
        (tmp_path / "control").mkdir()
        app.conf.broker_transport_options = {
            "data_folder_in": str(tmp_path / "queue"), "data_folder_out": str(tmp_path / "queue"),
            "control_folder": str(tmp_path / "control"),
        }
    yield app
    app.conf.broker_transport_options = saved
    drop_pools()


@pytest.fixture
def vocabulary(db):
    """The shipped vocabulary, even after a transactional test has emptied the tables (Django
    flushes migration data away with them)."""
    import importlib

    from django.apps import apps

    from amparo.vocabulary.models import Term

    if not Term.objects.filter(code="attack.threat.death").exists():
        importlib.import_module("amparo.vocabulary.migrations.0002_shipped_vocabulary").ship(apps, None)
