"""`manage.py verify_backup ARCHIVE --private-key-file KEY`: decrypt and check an archive
without touching the database or the files (docs/backup.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amparo.vault.services import backups


class Command(BaseCommand):
    help = "Check an encrypted backup (every chunk, its end, its manifest of hashes) without restoring it."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--private-key-file", required=True, type=Path)

    def handle(self, *args: Any, archive: Path, private_key_file: Path, **options: Any) -> None:
        try:
            contents = backups.verify_backup(archive, backups.read_private_key_file(private_key_file))
        except backups.BackupError as exc:
            raise CommandError(f"{archive}: {exc}") from exc
        header = contents.header
        self.stdout.write(f"Backup intact: {archive}")
        self.stdout.write(f"  made {header['created']} by Amparo {header['app_version']}, "
                          f"{header['database']} {header['database_server']}, {len(header['migrations'])} migrations")
        self.stdout.write(f"  {len(contents.entries)} parts, {contents.files} attachment files, "
                          f"{contents.size} bytes before encryption; every SHA-256 matches the manifest")
        self.stdout.write(f"  SHA-256 of the archive: {backups.file_digest(archive)} (compare with the one "
                          "printed when it was made)")
