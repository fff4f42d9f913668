"""Analytics listens to the floors below it: the staff statistics' summaries follow every write
of incidents in the writing transaction, and are marked stale when the vocabulary's shape
changes (docs/analytics.md, "Rollups")."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from amparo.analytics.services import public, rollups
from amparo.registry.signals import incidents_changed
from amparo.vocabulary.models import Term


def incidents_written(sender: Any, ids: list[int], **kwargs: Any) -> None:
    """In the writing transaction: the staff summaries follow at once; the public tables are
    recomputed by their single-flight job after the commit."""
    rollups.apply(ids)
    public.request_refresh_after_commit()


def term_written(sender: Any, **kwargs: Any) -> None:
    rollups.vocabulary_changed()


def connect() -> None:
    incidents_changed.connect(incidents_written, dispatch_uid="analytics.rollups")
    post_save.connect(term_written, sender=Term, dispatch_uid="analytics.rollups.term_saved")
    post_delete.connect(term_written, sender=Term, dispatch_uid="analytics.rollups.term_deleted")
