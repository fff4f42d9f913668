"""Standing people and places for every test.

Two national networks under one coalition, each with a desk. The standing users are a
defender, a documenter of desk A, a documenter of desk B, a coordinator of network A, a
supporter and an outsider with no role, so every test of a page can also say who may not
see it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from amparo.accounts import services
from amparo.accounts.models import ApiToken, User, UserSession
from amparo.network.models import Desk, Membership, Network, Role
from amparo.network.tests.factories import (
    DeskFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
)

STANDING_USERS = ["defender", "documenter_a", "documenter_b", "coordinator", "supporter", "outsider"]


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


@pytest.fixture
def world(db) -> World:
    coalition = NetworkFactory.create(slug="coalition", name="Coalition", kind=Network.Kind.COALITION)
    network_a = NetworkFactory.create(slug="network-a", name="Network A", parent=coalition, country="HN")
    network_b = NetworkFactory.create(slug="network-b", name="Network B", parent=coalition, country="CD")
    desk_a = DeskFactory.create(slug="desk-a", name="Desk A", network=network_a, countries=["HN"])
    desk_b = DeskFactory.create(slug="desk-b", name="Desk B", network=network_b, countries=["CD"])
    users = {name: UserFactory.create(username=name) for name in STANDING_USERS}
    roles = {
        "defender": dict(role=Role.DEFENDER, network=network_a),
        "documenter_a": dict(role=Role.DOCUMENTER, network=network_a, desk=desk_a),
        "documenter_b": dict(role=Role.DOCUMENTER, network=network_b, desk=desk_b),
        "coordinator": dict(role=Role.COORDINATOR, network=network_a),
        "supporter": dict(role=Role.SUPPORTER, network=coalition),
    }
    memberships = {
        name: MembershipFactory.create(user=users[name], **kwargs) for name, kwargs in roles.items()
    }
    for name in ("documenter_a", "documenter_b", "coordinator"):
        enrol_second_factor(users[name])
    session = services.record_session(users["defender"], "elsewhere-session-key")
    token, _raw = services.create_api_token(users["defender"], name="integration", days=30)
    return World(coalition, network_a, network_b, desk_a, desk_b, users, memberships, session, token)


def enrol_second_factor(user: User) -> str:
    """Give `user` a confirmed TOTP second factor, as staff roles must have; returns the secret."""
    import pyotp
    from django.utils import timezone

    from amparo.accounts.models import SecondFactor

    secret = pyotp.random_base32(32)
    SecondFactor.objects.update_or_create(user=user, defaults={"secret": secret,
                                                               "confirmed_at": timezone.now()})
    return secret


def sign_in(client, user: User) -> None:
    """Log in as a person who also proved her second factor, if she has one."""
    from amparo.accounts.session_keys import SECOND_FACTOR_OK

    client.force_login(user)
    if services.has_second_factor(user):
        session = client.session
        session[SECOND_FACTOR_OK] = True
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
