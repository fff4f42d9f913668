"""`manage.py export_incidents --desk SLUG --as USERNAME [--format csv|json] [--output FILE]`

A member of the desk exports its incidents with her own key: she types her password (it is
asked for, never taken from the command line), her key is unlocked for this run only, and the
file is written as it is read (streamed). The export is in the audit log."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.models import User
from amparo.network.models import Desk
from amparo.registry.transfer import exporting
from amparo.vault import services as vault
from amparo.vault.errors import VaultError


class Command(BaseCommand):
    help = "Export a desk's incidents as CSV or JSON, opened with a member's own key (she types her password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--desk", required=True, help="the desk's short name (slug)")
        parser.add_argument("--as", dest="member", required=True, help="the username of a member of the desk")
        parser.add_argument("--format", choices=exporting.FORMATS, default="csv")
        parser.add_argument("--output", default="-", help="a file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        desk = Desk.objects.filter(slug=options["desk"]).select_related("network").first()
        user = User.objects.filter(username=options["member"]).first()
        if desk is None or user is None or not exporting.may_export(user, desk):
            raise CommandError("No such desk, or this person does not hold its key.")
        password = getpass.getpass(f"Password of {user.username}: ")
        try:
            unlocked = vault.unlock_with_password(user, password)
        except VaultError as exc:
            raise CommandError("The key does not open with this password.") from exc
        exporting.record_export(user, desk, options["format"])
        chunks = exporting.csv_chunks(desk, unlocked) if options["format"] == "csv" \
            else exporting.json_chunks(desk, unlocked)
        if options["output"] == "-":
            out = getattr(self.stdout, "_out", sys.stdout)
            for chunk in chunks:
                out.write(chunk)
            return
        with open(options["output"], "w", encoding="utf-8", newline="") as target:
            for chunk in chunks:
                target.write(chunk)
        self.stderr.write(f"Written to {options['output']}.")
