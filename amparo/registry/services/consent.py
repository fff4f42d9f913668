"""Consent per use: statistics, a public appeal, UN mechanisms — each given or taken back on its
own, and given again. The incident's flags say what holds now (every statistics query filters
on them, so a change takes effect at the next query); a ConsentRecord row says who gave it, how
and who recorded it; an audit entry goes with each change."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.registry.actions import Action
from amparo.registry.models import ConsentRecord, Incident
from amparo.registry.services.common import desk_scope
from amparo.registry.signals import announce

Use = ConsentRecord.Use
FIELDS = {Use.STATISTICS: "consent_statistics", Use.PUBLIC_APPEAL: "consent_public_appeal", Use.UN: "consent_un"}


def holds(incident: Incident, use: str) -> bool:
    """Whether she allows this use now."""
    return bool(getattr(incident, FIELDS[Use(use)]))


def set_consent(actor: User | str, incident: Incident, use: str, given: bool, *,
                given_by: str = ConsentRecord.GivenBy.HERSELF, how: str = ConsentRecord.How.ONLINE) -> Incident:
    """Give or take back one use. `actor` is who records it (she herself, or a member of the
    desk who heard it `how` from `given_by`). ValueError for a use, a giver or a way that does
    not exist."""
    field = FIELDS[Use(use)]
    ConsentRecord.GivenBy(given_by)
    ConsentRecord.How(how)
    now = timezone.now()
    recorder = actor if isinstance(actor, User) else None
    with transaction.atomic():
        changes = {field: given, "consent_recorded_by": recorder, "consent_recorded_at": now}
        if not given:
            changes["consent_withdrawn_at"] = now
        Incident.objects.filter(pk=incident.pk).update(**changes)
        ConsentRecord.objects.create(incident=incident, use=use, given=given, given_by=given_by, how=how,
                                     recorded_by=recorder)
        record_audit(actor, Action.CONSENT_GIVEN if given else Action.CONSENT_WITHDRAWN, incident,
                     scope=desk_scope(incident.desk))
        announce([incident.pk])
    incident.refresh_from_db()
    return incident


def withdraw_consent(actor: User | str, incident: Incident) -> Incident:
    """Back to "document only", every use at once (the desk's "withdraw consent")."""
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(
            consent_statistics=False, consent_public_appeal=False, consent_un=False,
            consent_withdrawn_at=timezone.now(),
            consent_recorded_by=actor if isinstance(actor, User) else None,
            consent_recorded_at=timezone.now(),
        )
        record_audit(actor, Action.CONSENT_WITHDRAWN, incident, scope=desk_scope(incident.desk))
        announce([incident.pk])
    incident.refresh_from_db()
    return incident
