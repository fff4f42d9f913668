"""The append-only, hash-chained audit log (DESIGN.md, data protection rule 5).

An entry says who did what to which object, and when; never what the object holds.
Each entry carries the hash of the one before it, so removing or editing any entry breaks
the chain at that point. `AuditHead` is a single row that holds the newest hash: appending
locks it, which serialises writers on PostgreSQL (row lock) and SQLite (write lock).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=32)  # "user", "anonymous" or "system"
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    # Who may read the entry: "network:<id>" lets that network's coordinators see it.
    scope = models.CharField(max_length=64, db_index=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditHead(models.Model):
    """The single row holding the newest entry's sequence number and hash."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class Counter(models.Model):
    """A counter of events in a fixed time window, shared by every process (see counters.py).

    Keys never hold who asks: a window number, or a keyed hash of an account name."""

    key = models.CharField(max_length=96, unique=True)
    value = models.PositiveBigIntegerField(default=0)
    expires_at = models.FloatField(db_index=True)  # a Unix time: the window's end, plus a margin

    def __str__(self) -> str:
        return f"counter {self.key}"
