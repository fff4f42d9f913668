from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amparo.core import audit


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero at the first broken link."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--anchor", help="a hash sent out earlier that must be on the chain")

    def handle(self, *args: Any, anchor: str | None = None, **options: Any) -> None:
        checked, broken = audit.verify(anchor=anchor)
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at entry #{broken.seq}: {broken.reason} "
                f"({checked} entries verified before it)."
            )
        head = audit.latest()
        self.stdout.write(f"Audit chain intact: {checked} entries, latest #{head.seq} {head.hash}")
