"""`manage.py import_incidents FILE --desk SLUG --mapping MAPPING.json [--dry-run]`

Streams the file, checking and writing it in batches inside one transaction: every row or none
(docs/import.md). Progress (rows done of the file's, rows per second) goes to stderr at most
once a second, and to the desk's import page; the summary to stdout.
Exit status 1 when any row is invalid (nothing written)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.models import User
from amparo.network.models import Desk
from amparo.registry.transfer import importing


class Command(BaseCommand):
    help = "Import a CSV file of incidents into a desk through a JSON mapping (all rows, or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--desk", required=True, help="the desk's short name (slug)")
        parser.add_argument("--mapping", required=True, help="the mapping, a JSON file (see docs/import.md)")
        parser.add_argument("--dry-run", action="store_true", dest="dry_run",
                            help="check every row and count what would change; write nothing")
        parser.add_argument("--as", dest="actor", default="",
                            help="the username recorded as the importer (default: system)")
        parser.add_argument("--max-errors", type=int, default=200, help="errors to print (all are counted)")

    def handle(self, *args: Any, **options: Any) -> None:
        desk = Desk.objects.filter(slug=options["desk"]).select_related("network").first()
        if desk is None:
            raise CommandError(f"No desk with the short name {options['desk']!r}.")
        actor: User | str = "system"
        if options.get("actor"):
            found = User.objects.filter(username=options["actor"]).first()
            if found is None:
                raise CommandError(f"No user {options['actor']!r}.")
            actor = found
        try:
            result = importing.import_file(options["file"], desk, options["mapping"], actor=actor,
                                           dry_run=options.get("dry_run", False), progress=self._progress())
        except importing.MappingError as exc:
            raise CommandError("The mapping is not usable:\n  " + "\n  ".join(exc.problems)) from exc
        except OSError as exc:
            raise CommandError(f"The file cannot be read: {exc}") from exc
        self._report(result, options.get("max_errors", 200))
        if result.errors:
            raise CommandError(f"{result.error_count} problem(s) in {result.rows} row(s): nothing was written.")

    def _progress(self) -> importing.service.Progress:
        started = time.monotonic()
        last = [0.0]
        err = getattr(self, "stderr", sys.stderr)

        def show(phase: str, done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] < 1.0 and not (total and done == total):
                return
            last[0] = now
            rate = done / (now - started) if now > started else 0.0
            of = f"/{total}" if total else ""
            err.write(f"{phase}: {done}{of} rows, {rate:.0f} rows/s\n")
            err.flush()
        return show

    def _report(self, result: importing.ImportResult, max_errors: int) -> None:
        for error in result.errors[:max_errors]:
            self.stdout.write(f"{error}")
        if result.error_count > max_errors:
            self.stdout.write(f"... and {result.error_count - max_errors} more")
        if result.error_count:
            self.stdout.write("problems by column: " + ", ".join(
                f"{column or '(the file)'} {count}" for column, count in result.errors_by_column))
            return
        verb = "would be" if result.dry_run else "were"
        rate = result.rows / result.seconds if result.seconds else 0.0
        self.stdout.write(
            f"{result.rows} rows from {result.source}: {result.added} {verb} added, {result.updated} {verb} "
            f"updated, {result.unchanged} unchanged ({result.seconds:.1f} s, {rate:.0f} rows/s)"
            + (" - dry run, nothing written" if result.dry_run else ""))
