"""Atomic counters of events per time window, for throttles that several processes share.

The shared cache cannot count safely by itself: Django's database cache (the default when no
Redis is configured) reads, adds and writes back, so two requests at once count one. These
counters are rows bumped with `UPDATE … SET value = value + 1`: PostgreSQL locks the row and
SQLite the file until the transaction ends, so each caller sees its own number, and a burst
of parallel attempts cannot slip past a limit.

A window is fixed (e.g. the current minute); expired rows are swept by `sweep`.
"""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction
from django.db.models import F

from amparo.core.models import Counter

MARGIN = 60  # seconds a row outlives its window, so a late reader still sees it


def _bucket(key: str, window: int, now: float) -> tuple[str, float]:
    number = int(now // window)
    return f"{key}:{number}", (number + 1) * window + MARGIN


def bump(key: str, window: int, now: float | None = None) -> int:
    """Count one event under `key` in the current window; the count including this one."""
    now = time.time() if now is None else now
    name, expires_at = _bucket(key, window, now)
    for _attempt in range(3):
        with transaction.atomic():
            if Counter.objects.filter(key=name).update(value=F("value") + 1):
                return Counter.objects.values_list("value", flat=True).get(key=name)
            try:
                with transaction.atomic():
                    Counter.objects.create(key=name, value=1, expires_at=expires_at)
                return 1
            except IntegrityError:  # another process made it first: count on it
                continue
    raise RuntimeError(f"could not count {key}")


def peek(key: str, window: int, now: float | None = None) -> int:
    """The count under `key` in the current window, without counting."""
    now = time.time() if now is None else now
    name, _expires = _bucket(key, window, now)
    return Counter.objects.filter(key=name).values_list("value", flat=True).first() or 0


def unbump(key: str, window: int, now: float | None = None) -> None:
    """Take back one event counted under `key` in the current window (never below zero)."""
    now = time.time() if now is None else now
    Counter.objects.filter(key=_bucket(key, window, now)[0], value__gt=0).update(value=F("value") - 1)


def clear(key: str, window: int, now: float | None = None) -> None:
    """Forget the current window's count under `key` (e.g. after a successful login)."""
    now = time.time() if now is None else now
    Counter.objects.filter(key=_bucket(key, window, now)[0]).delete()


def sweep(now: float | None = None) -> int:
    """Delete counters whose window has passed; how many."""
    now = time.time() if now is None else now
    deleted, _kinds = Counter.objects.filter(expires_at__lt=now).delete()
    return deleted
