"""The protection jobs: the missed check-in alert, every few minutes (registered on the beat
schedule from apps.py)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def alert_missed_check_ins() -> int:
    """Alert the desk (and the safety contact) once per missed check-in; safe to run twice."""
    return services.alert_missed_check_ins()
