"""The support app's periodic job: overdue requests and due follow-up reports, reminded once."""

from __future__ import annotations

from celery import shared_task

from amparo.support import services


@shared_task(name="amparo.support.tasks.remind_overdue_requests")
def remind_overdue_requests() -> int:
    """Overdue decisions, then follow-up reports come due: each reminded once."""
    return services.remind_overdue() + services.remind_reports()


def schedule(beat_schedule: dict) -> None:
    """Add the job to the beat schedule (called from SupportConfig.ready: settings stay untouched)."""
    beat_schedule.setdefault("support-remind-overdue", {
        "task": "amparo.support.tasks.remind_overdue_requests", "schedule": 900.0})
