"""`manage.py backup --output FOLDER`: one encrypted archive of the database and the sealed
attachment files (docs/backup.md)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amparo.vault.services import backups


class Command(BaseCommand):
    help = ("Write an encrypted backup (database and attachment files) to a folder or a file; optionally "
            "delete archives older than the deletion window.")

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--output", required=True, type=Path,
                            help="a folder (the archive is named by its time) or a file name")
        parser.add_argument("--public-key", help="the backup public key (default: AMPARO_BACKUP_PUBLIC_KEY)")
        prune = parser.add_mutually_exclusive_group()
        prune.add_argument("--prune-older-than", type=int, metavar="DAYS",
                           help="after writing, delete archives in the folder made more than DAYS days ago")
        prune.add_argument("--prune", action="store_true",
                           help="the same, with the deletion window (ANONYMOUS_RETENTION_DAYS)")

    def handle(self, *args: Any, output: Path, public_key: str | None, prune_older_than: int | None,
               prune: bool, **options: Any) -> None:
        try:
            key = backups.public_key(public_key)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        target = output / backups.backup_name() if output.is_dir() else output
        if target.exists():
            raise CommandError(f"{target} exists: a backup never overwrites another")
        partial = target.with_name(target.name + ".partial")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as stream:
                contents = backups.write_backup(stream, key)
                stream.flush()
                os.fsync(stream.fileno())
            partial.rename(target)  # only a complete archive ever has the final name
        except (backups.BackupError, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"backup failed: {exc}") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Backup written: {target} ({target.stat().st_size} bytes; database "
                          f"{contents.header['database']}, {contents.files} files, made {contents.header['created']}).")
        self.stdout.write(f"SHA-256 of the archive: {backups.file_digest(target)} (keep it apart, to compare)")
        days = backups.deletion_window_days() if prune else prune_older_than
        if days is not None:
            if days < 1:
                raise CommandError("--prune-older-than needs at least 1 day")
            removed = backups.prune_backups(target.parent, days)
            self.stdout.write(f"Pruned {len(removed)} archives older than {days} days from {target.parent}.")
