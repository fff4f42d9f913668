"""Background jobs of accounts. Arguments are identifiers only (here: none)."""

from __future__ import annotations

from celery import shared_task

from amparo.accounts import services


@shared_task(name="amparo.accounts.tasks.sweep_expired_sessions", acks_late=True)
def sweep_expired_sessions() -> int:
    """Hourly: remove sessions past their idle or absolute limit, and their list entries."""
    return services.sweep_expired_sessions()
