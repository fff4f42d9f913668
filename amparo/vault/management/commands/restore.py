"""`manage.py restore ARCHIVE --private-key-file KEY`: bring a backup back into an empty
database and attachments storage (docs/backup.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amparo.vault.services import backups


class Command(BaseCommand):
    help = ("Restore an encrypted backup into an empty database and attachments storage; the archive is "
            "checked whole first, and newer migrations are applied after.")

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--private-key-file", required=True, type=Path)
        parser.add_argument("--replace", action="store_true",
                            help="erase the database and the attachment files that are there first")

    def handle(self, *args: Any, archive: Path, private_key_file: Path, replace: bool, **options: Any) -> None:
        try:
            restored = backups.restore_backup(archive, backups.read_private_key_file(private_key_file),
                                              replace=replace, progress=self.stdout.write)
        except backups.BackupError as exc:
            raise CommandError(f"{archive}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"Restored the backup made {restored.contents.header['created']}"
            + (f", then applied {restored.migrated} migrations." if restored.migrated else ".")))
        self.stdout.write("Sealed data opens with the same VAULT_SERVICE_KEY as before (kept apart from backups); "
                          "members open their cases with their own passwords.")
