"""`vocabulary_csv export [--kind K] [FILE]` and `vocabulary_csv import FILE`: the vocabulary
as CSV, through the same functions as the pages. Without FILE, export writes to standard output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.vocabulary import services
from amparo.vocabulary.models import Term


class Command(BaseCommand):
    help = "Export the vocabulary to CSV, or import (create or update by code) from CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write the vocabulary as CSV.")
        export.add_argument("--kind", choices=Term.Kind.values, help="Only terms of this kind.")
        export.add_argument("file", nargs="?", help="Where to write (standard output without it).")
        load = actions.add_parser("import", help="Create or update terms from CSV; nothing on any error.")
        load.add_argument("file", help="The CSV file, UTF-8.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            text = services.export_csv(options["kind"])
            if options["file"]:
                Path(options["file"]).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        try:
            text = Path(options["file"]).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        result = services.import_csv(text, "system")
        if not result.ok:
            for error in result.errors:
                column = f" ({error.column})" if error.column else ""
                self.stderr.write(f"line {error.line}{column}: {error.message}")
            raise CommandError(f"{len(result.errors)} problem(s): nothing was changed.")
        self.stdout.write(f"{result.created} added, {result.updated} changed, {result.retired} retired, "
                          f"{result.restored} restored, {result.unchanged} unchanged.")
