"""Vault benchmark: sealing and opening records and a large attachment, each beside the
same work without sealing, measured in the same run (ratios, not absolute times).

    .venv/bin/python bench/vault.py [--records 10000] [--megabytes 100]

Prints, for 2 KB records: a plain ORM write per record vs a sealed one (target: at most 2x),
a plain read vs read-and-open; for the attachment: a plain chunked copy vs sealed streaming
(target: at least 30 % of the plain copy's throughput) and the peak memory while sealing
(target: under 64 MB). Uses a throwaway SQLite database and production KDF settings.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["AMPARO_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.schema_editor() as editor:
        editor.create_model(bench_model())


_model = None


def bench_model():  # noqa: ANN201
    """A throwaway model, so both writes go through the ORM the way the app's services do."""
    global _model
    if _model is None:
        from django.db import models

        class BenchRecord(models.Model):
            body = models.BinaryField()

            class Meta:
                app_label = "vault"
                db_table = "bench_record"

            def __str__(self) -> str:
                return str(self.pk)

        _model = BenchRecord
    return _model


def timed(label: str, fn, *args) -> float:  # noqa: ANN001
    started = time.perf_counter()
    fn(*args)
    elapsed = time.perf_counter() - started
    print(f"  {label:<44} {elapsed:8.3f} s", flush=True)
    return elapsed


def records(count: int) -> list[tuple[str, float, float, float, str]]:
    from django.db import transaction

    from amparo.network.tests.factories import UserFactory
    from amparo.vault import services as vault

    member = UserFactory.create(username="bench-member")
    unlocked, _code = vault.create_member_key(member, "a long enough passphrase for the bench")
    ring = vault.create_ring("bench:desk")
    vault.add_ring_member(ring, member)
    text = ("Lo que pasó, dónde y quién: " * 80)[:2048]
    payload = text.encode()

    record = bench_model()

    def write(values) -> None:  # noqa: ANN001
        for value in values:
            with transaction.atomic():
                record.objects.create(body=value)

    def write_plain() -> None:
        write(payload for _ in range(count))

    def write_sealed() -> None:
        write(vault.seal_for_ring(ring, text, label="bench.record") for _ in range(count))

    def read(first: int, last: int, open_each: bool) -> None:
        for start in range(first, last, 1000):
            for body in record.objects.filter(id__gte=start, id__lt=min(start + 1000, last)).values_list(
                    "body", flat=True):
                if open_each:
                    vault.open_sealed(unlocked, body, label="bench.record")

    print(f"{count} records of 2 KB, one ORM create in its own transaction each:")
    plain_write = timed("plain write", write_plain)
    sealed_write = timed("sealed write (seal_for_ring)", write_sealed)
    plain_read = timed("plain read", read, 1, count + 1, False)
    sealed_read = timed("read and open (open_sealed)", read, count + 1, 2 * count + 1, True)
    return [
        ("record write", plain_write, sealed_write, sealed_write / plain_write, "≤ 2.00x"),
        ("record read", plain_read, sealed_read, sealed_read / plain_read, "(no target)"),
    ]


def attachment(megabytes: int, workdir: Path) -> tuple[list[tuple[str, float, float, float, str]], float]:
    from amparo.vault import crypto
    from amparo.vault import services as vault
    from amparo.vault.models import KeyRing

    ring = KeyRing.objects.get(label="bench:desk")
    source = workdir / "source.bin"
    with open(source, "wb") as out:
        block = os.urandom(1024 * 1024)
        for _ in range(megabytes):
            out.write(block)

    # Both copies end with fsync, as the app's attachment store does (registry.services): the
    # work is "store the file durably", not "fill the page cache".
    def plain_copy() -> None:
        with open(source, "rb") as src, open(workdir / "plain.bin", "wb") as dst:
            while chunk := src.read(crypto.CHUNK):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())

    sealed_key = b""

    def sealed_copy() -> None:
        nonlocal sealed_key
        with open(source, "rb") as src, open(workdir / "sealed.bin", "wb") as dst:
            sealed_key = vault.seal_attachment(ring, src, dst, label="bench.file")
            dst.flush()
            os.fsync(dst.fileno())

    print(f"Attachment of {megabytes} MB, in 64 KiB chunks:")
    plain = timed("plain chunked copy", plain_copy)
    tracemalloc.start()
    sealed = timed("sealed streaming (seal_attachment)", sealed_copy)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = megabytes * 1024 * 1024
    rows = [("attachment throughput MB/s", size / plain / 1e6, size / sealed / 1e6, plain / sealed, "≥ 0.30x")]
    return rows, peak / 1024 / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--megabytes", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="amparo-bench-") as tmp:
        workdir = Path(tmp)
        setup(workdir)
        rows = records(args.records)
        more, peak = attachment(args.megabytes, workdir)
        rows += more
    print()
    print(f"{'measure':<28} {'baseline':>10} {'sealed':>10} {'ratio':>8}  target")
    for name, base, sealed, ratio, target in rows:
        print(f"{name:<28} {base:>10.3f} {sealed:>10.3f} {ratio:>7.2f}x  {target}")
    print(f"{'peak memory while sealing':<28} {'':>10} {peak:>8.1f} MB {'':>7}  < 64 MB")
    write_ratio = rows[0][3]
    throughput_share = rows[2][2] / rows[2][1]
    ok = write_ratio <= 2.0 and throughput_share >= 0.30 and peak < 64
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
