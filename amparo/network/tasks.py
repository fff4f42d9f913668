"""Background jobs of the network. Arguments are identifiers only, never content or keys."""

from __future__ import annotations

from celery import shared_task

from amparo.network import services


@shared_task(name="amparo.network.tasks.send_audit_anchor", acks_late=True)
def send_audit_anchor() -> int:
    """Daily: send coordinators the audit log's latest hash as an outside anchor."""
    return services.send_audit_anchor()
