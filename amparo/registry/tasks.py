"""Background jobs of the registry. Arguments are identifiers only, never content or keys."""

from __future__ import annotations

from celery import shared_task

from amparo.registry.services import intake


@shared_task(name="amparo.registry.tasks.expire_untriaged_reports", acks_late=True)
def expire_untriaged_reports() -> int:
    """Daily: delete anonymous reports nobody triaged in ANONYMOUS_RETENTION_DAYS."""
    return intake.expire_untriaged_reports()
