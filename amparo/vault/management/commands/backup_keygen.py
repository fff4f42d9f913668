"""Make the key pair backups are encrypted to: the public key goes into the server's
environment, the private key into a file the operator carries away (docs/backup.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amparo.vault.services import backups


class Command(BaseCommand):
    help = "Make a backup key pair: write the private key to a file (keep it offline), print the public key."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--private-key-file", required=True, type=Path,
                            help="where to write the private key (refuses to overwrite); move it off the server")

    def handle(self, *args: Any, private_key_file: Path, **options: Any) -> None:
        private, public = backups.new_keypair()
        try:
            backups.write_private_key_file(private_key_file, private)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Private key written to {private_key_file} (mode 600). Move it off this server: "
                          "restore and verify_backup need it, nothing else does.")
        self.stdout.write("Put this line in the server's environment:")
        self.stdout.write(f"AMPARO_BACKUP_PUBLIC_KEY={public}")
