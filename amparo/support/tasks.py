"""The support app's periodic job: overdue requests and due follow-up reports, reminded once."""

from __future__ import annotations

from celery import shared_task

from amparo.support import services


@shared_task(name="amparo.support.tasks.remind_overdue_requests")
def remind_overdue_requests() -> int:
    """Overdue decisions, then follow-up reports come due: each reminded once."""
    return services.remind_overdue() + services.remind_reports()

