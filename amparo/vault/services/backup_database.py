"""The database half of a backup, dumped and restored natively so that a restore is exact:
rows, sequences, constraints and indexes. PostgreSQL through `pg_dump -Fc` and `pg_restore`
(client tools of the server's major version), SQLite through its online backup API. Nothing
here imports an app above the vault: the dump is the whole database, whatever the apps.

The dump is streamed: `dump` yields its bytes as they come (PostgreSQL never writes it to disk;
SQLite copies the file to a private folder beside the database, removed at once), and `load`
takes them back the same way."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

READ = 64 * 1024


class DatabaseError(Exception):
    """A dump or a restore failed; the message says what the tool said."""


def vendor() -> str:
    return connection.vendor


def server_version() -> str:
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        return str(connection.pg_version)  # type: ignore[attr-defined]
    return sqlite3.sqlite_version


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def unknown_migrations(applied: Iterable[list[str]]) -> list[str]:
    """Migrations recorded in an archive that this code does not have (an archive from a newer
    version: restoring it under older code would run that code on a schema it does not know)."""
    known = set(MigrationExecutor(connection).loader.disk_migrations)
    return sorted(f"{app}.{name}" for app, name in applied if (app, name) not in known)


def pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def is_empty() -> bool:
    return not tables()


def row_counts() -> dict[str, int]:
    """Every table's row count (the drill compares them before and after)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


def wipe() -> None:
    """Drop everything in the database: the step a restore with `--replace` takes first, and
    the drill's "wipe". Irreversible."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        return
    if connection.vendor != "sqlite":
        raise DatabaseError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'table') "
                       "AND name NOT LIKE 'sqlite_%'")
        for kind, name in cursor.fetchall():
            cursor.execute(f"DROP {kind.upper()} IF EXISTS {connection.ops.quote_name(name)}")
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_sequence")
        cursor.execute("PRAGMA foreign_keys = ON")
    connection.close()


# --- PostgreSQL -----------------------------------------------------------------------------

def _pg_arguments() -> tuple[list[str], dict[str, str]]:
    s: dict[str, Any] = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    env.pop("PGOPTIONS", None)
    return args, env


def _pg_tool(name: str) -> str:
    """The client tool, refused when its major version is older than the server's (pg_dump
    cannot dump a newer server; pg_restore may not read a newer dump)."""
    try:
        out = subprocess.run([name, "--version"], capture_output=True, text=True,  # noqa: S603 - a fixed command
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise DatabaseError(f"{name} is needed for a PostgreSQL backup and could not run: {exc}") from exc
    major = int(out.split()[-1].split(".")[0]) if out.split() else 0
    connection.ensure_connection()
    server = connection.pg_version // 10000  # type: ignore[attr-defined]
    if major < server:
        raise DatabaseError(f"{name} is version {major}, older than the server ({server}): install the "
                            f"client tools of PostgreSQL {server}")
    return name


def _dump_postgresql() -> Iterator[bytes]:
    args, env = _pg_arguments()
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args]
    with tempfile.TemporaryFile() as errors:
        # The command is fixed; its arguments are the database's own settings, never input.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, env=env)  # noqa: S603
        assert process.stdout is not None  # noqa: S101 - stdout=PIPE
        try:
            while chunk := process.stdout.read(READ):
                yield chunk
        finally:
            process.stdout.close()
            code = process.wait()
        if code != 0:
            errors.seek(0)
            raise DatabaseError(f"pg_dump failed ({code}): {errors.read().decode(errors='replace')[-2000:]}")


def _load_postgresql(chunks: Iterable[bytes]) -> None:
    args, env = _pg_arguments()
    command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction",
               "--exit-on-error", *args]
    connection.close()  # pg_restore works on its own connection
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=errors, stderr=errors,  # noqa: S603
                                   env=env)  # the command is fixed; its arguments are the database's settings
        assert process.stdin is not None  # noqa: S101 - stdin=PIPE
        try:
            for chunk in chunks:
                process.stdin.write(chunk)
            process.stdin.close()
        except BrokenPipeError:
            pass  # pg_restore stopped early: its exit code and message say why
        except BaseException:
            process.kill()
            process.wait()
            raise
        code = process.wait()
        if code != 0:
            errors.seek(0)
            raise DatabaseError(f"pg_restore failed ({code}): {errors.read().decode(errors='replace')[-2000:]}")


# --- SQLite ---------------------------------------------------------------------------------

def _private_folder() -> tempfile.TemporaryDirectory[str]:
    """Beside the database file (the same disk, the same people), readable by this user only."""
    name = str(connection.settings_dict["NAME"])
    parent = Path(name).parent if name and not name.startswith((":memory:", "file:")) else None
    return tempfile.TemporaryDirectory(prefix=".amparo-backup-", dir=parent if parent and parent.is_dir() else None)


def _dump_sqlite() -> Iterator[bytes]:
    connection.ensure_connection()
    with _private_folder() as folder:
        copy_path = Path(folder) / "copy.sqlite3"
        copy = sqlite3.connect(copy_path)
        try:
            connection.connection.backup(copy)  # a consistent snapshot, even while others write
        finally:
            copy.close()
        with open(copy_path, "rb") as source:
            while chunk := source.read(READ):
                yield chunk


def _load_sqlite(chunks: Iterable[bytes]) -> None:
    connection.ensure_connection()
    with _private_folder() as folder:
        copy_path = Path(folder) / "copy.sqlite3"
        with open(copy_path, "wb") as target:
            for chunk in chunks:
                target.write(chunk)
        source = sqlite3.connect(copy_path)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DatabaseError("the SQLite file in the archive fails its integrity check")
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"the SQLite restore failed: {exc}") from exc
        finally:
            source.close()
    connection.close()


def dump() -> Iterator[bytes]:
    if connection.vendor == "postgresql":
        return _dump_postgresql()
    if connection.vendor == "sqlite":
        return _dump_sqlite()
    raise DatabaseError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")


def load(chunks: Iterable[bytes]) -> None:
    if connection.vendor == "postgresql":
        _load_postgresql(chunks)
    elif connection.vendor == "sqlite":
        _load_sqlite(chunks)
    else:
        raise DatabaseError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
