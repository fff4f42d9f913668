"""Demo data for `make run`: a coalition, two national networks, desks and one user per role.

Idempotent: running it again changes nothing and prints the same credentials. Refuses to run
in production, where demo passwords would be a door left open.
"""

from __future__ import annotations

from typing import Any

import pyotp
from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from amparo.accounts import services as accounts
from amparo.accounts.models import User
from amparo.network import permissions, services
from amparo.network.models import STAFF_ROLES, Desk, MemberContact, Network, Organisation, Role
from amparo.vault import services as vault

DEMO_PASSWORD = "demo-amparo-solidarity-2026"

NETWORKS = [
    # slug, name, kind, parent slug, country
    ("coalition", "Amparo Coalition (demo)", Network.Kind.COALITION, None, ""),
    ("red-honduras", "Red Nacional de Defensoras de Honduras (demo)", Network.Kind.NATIONAL, "coalition", "HN"),
    ("reseau-rdc", "Réseau national des défenseures RDC (demo)", Network.Kind.NATIONAL, "coalition", "CD"),
]
DESKS = [
    # slug, name, network slug, countries, coalition-wide
    ("coalition-desk", "Coalition desk", "coalition", [], True),
    ("honduras", "Honduras desk", "red-honduras", ["HN"], False),
    ("rdc", "RDC desk", "reseau-rdc", ["CD"], False),
]
ORGANISATIONS = [
    ("red-honduras", "Colectiva Defensoras Tegucigalpa (demo)", "HN"),
    ("reseau-rdc", "Femmes Solidaires Kivu (demo)", "CD"),
]
USERS = [
    # username, first name, language, role, network slug, desk slug
    ("defender", "Berta", "es", Role.DEFENDER, "red-honduras", None),
    ("documenter", "Lucía", "es", Role.DOCUMENTER, "red-honduras", "honduras"),
    ("documenter_rdc", "Justine", "fr", Role.DOCUMENTER, "reseau-rdc", "rdc"),
    ("documenter_coalition", "Amal", "en", Role.DOCUMENTER, "coalition", "coalition-desk"),
    ("coordinator", "Marta", "en", Role.COORDINATOR, "coalition", None),
    ("coordinator_hn", "Rosa", "es", Role.COORDINATOR, "red-honduras", None),
    ("supporter", "Ana", "pt", Role.SUPPORTER, "coalition", None),
    ("ict_expert", "Nadia", "fr", Role.ICT_EXPERT, "coalition", None),
    ("fund_reviewer", "Grace", "en", Role.FUND_REVIEWER, "coalition", None),
]


class Command(BaseCommand):
    help = "Load demo networks, desks and one user per role (idempotent; not in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("load_demo refuses to run with AMPARO_ENV=production.")
        with transaction.atomic():
            self._load()
            secrets = self._enrol_staff()
        # Apps above network add their own demo data (network may not import them): each
        # installed app's `load_demo_<label>` command, when it has one.
        commands = get_commands()
        for config in apps.get_app_configs():
            if f"load_demo_{config.label}" in commands:
                call_command(f"load_demo_{config.label}", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/accounts/login/"))
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        self.stdout.write("Staff log in with a TOTP code: add the secret to an authenticator app, or run")
        self.stdout.write("  .venv/bin/python -c 'import pyotp,sys; print(pyotp.TOTP(sys.argv[1]).now())' SECRET")
        for username, _first, _lang, role, network, desk in USERS:
            secret = secrets.get(username, "")
            self.stdout.write(f"  {username:<22} {role.label:<14} {desk or network:<16} {secret}")

    def _load(self) -> None:
        networks: dict[str, Network] = {}
        for slug, name, kind, parent, country in NETWORKS:
            found = Network.objects.filter(slug=slug).first()
            networks[slug] = found or services.create_network(
                "system", name=name, slug=slug, kind=kind,
                parent=networks[parent] if parent else None, country=country,
            )
        desks: dict[str, Desk] = {}
        for slug, name, network, countries, wide in DESKS:
            found_desk = Desk.objects.filter(slug=slug).first()
            desks[slug] = found_desk or services.create_desk(
                "system", networks[network], name=name, slug=slug, countries=countries,
                coalition_wide=wide,
            )
        for network, name, country in ORGANISATIONS:
            if not Organisation.objects.filter(network=networks[network], name=name).exists():
                services.create_organisation("system", networks[network], name=name, country=country)
        for username, first_name, language, role, network, desk in USERS:
            user = User.objects.filter(username=username).first() or accounts.create_user(
                username=username, password=DEMO_PASSWORD, first_name=first_name,
                email=f"{username}@example.org", language=language,
            )
            if not vault.has_member_key(user):
                # Made before the roles, so the desks' and networks' rings start with her key.
                vault.create_member_key(user, DEMO_PASSWORD)
            services.add_membership(
                "system", user=user, role=role, network=networks[network],
                desk=desks[desk] if desk else None,
            )
        defender = User.objects.get(username="defender")
        if not MemberContact.objects.filter(user=defender).exists():
            # Sealed to the Honduran network's coordinators and to her: the demo's canary.
            services.save_contact(defender, user=defender, network=networks["red-honduras"], values={
                "phone": "+504 0000-0000 (demo)", "emergency_contact": "Her sister, by Signal (demo)",
            })

    def _enrol_staff(self) -> dict[str, str]:
        """Staff roles cannot use Amparo without a second factor: enrol them, keep it stable."""
        enrolled: dict[str, str] = {}
        for username, *_rest in USERS:
            user = User.objects.get(username=username)
            if not permissions.has_role(user, *STAFF_ROLES):
                continue
            if not accounts.has_second_factor(user):
                factor = accounts.start_second_factor(user)
                accounts.confirm_second_factor(user, pyotp.TOTP(factor.secret).now())
            enrolled[username] = user.second_factor.secret
        return enrolled
