"""Every write to defenders and incidents. Sealed content goes through the desk's key ring;
each write records an audit entry scoped to the desk's network, in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network.models import Desk
from amparo.registry import bounds, sealing
from amparo.registry.actions import Action
from amparo.registry.models import AnonymousReceipt, Defender, FollowUp, Incident
from amparo.registry.services.attachments import move_attachment
from amparo.registry.services.common import desk_scope
from amparo.registry.services.names import name_indexes
from amparo.registry.signals import announce
from amparo.vault.errors import NotAReader
from amparo.vault.services import Unlocked
from amparo.vocabulary.models import Term

# --- Defenders ------------------------------------------------------------------------------

def create_defender(
    actor: User | str, desk: Desk, *, name: str, kind: str = Defender.Kind.INDIVIDUAL, contacts: str = "",
    gender: Term | None = None, profiles: Iterable[Term] = (), account: User | None = None,
    unlocked: Unlocked | None = None,
) -> Defender:
    """Record a defender: her name and contacts sealed to the desk (and to her own account,
    when she reports herself); indexed by name now if a member's key is at hand, else later."""
    also = [account] if account is not None else []
    with transaction.atomic():
        defender = Defender.objects.create(
            desk=desk, kind=kind, gender=gender, account=account,
            name=sealing.seal_defender_name(desk, name, also),
            contacts=sealing.seal_defender_contacts(desk, contacts, also),
        )
        defender.profiles.set(list(profiles))
        if unlocked is not None:
            try:
                [defender.name_index] = name_indexes(desk, unlocked, [name])
            except NotAReader:
                pass
            else:
                defender.save(update_fields=["name_index"])
        record_audit(actor, Action.DEFENDER_CREATED, defender, scope=desk_scope(desk))
    return defender


# --- Incidents ------------------------------------------------------------------------------

@dataclass
class IncidentData:
    """What a form, the API, an import or an anonymous report gives for an incident."""

    occurred_on: date | None = None
    date_precision: str = Incident.Precision.DAY
    country: str = ""
    subdivision: str = ""
    locality: str = ""
    coordinates: str = ""
    narrative: str = ""
    sources: str = ""
    attack_types: list[Term] = field(default_factory=list)
    perpetrators: list[Term] = field(default_factory=list)
    risk_factors: list[Term] = field(default_factory=list)
    profiles: list[Term] = field(default_factory=list)
    victim_genders: list[Term] = field(default_factory=list)
    victims: int = 1
    reported_to_authorities: str = Incident.Reported.UNKNOWN
    reported_on: date | None = None
    reported_to: str = ""
    justice: str = Incident.Justice.NONE
    consent_statistics: bool = False
    consent_public_appeal: bool = False
    consent_un: bool = False
    # Her answers to "are you safe now?" (Incident.Safety) and "what help would you like?"; None
    # leaves what the incident has (an edit, an import or the API that does not ask).
    safe_now: str | None = None
    help_wanted: str | None = None


def _normal_date(value: date | None, precision: str) -> date | None:
    if value is None:
        return None
    if precision == Incident.Precision.MONTH:
        return value.replace(day=1)
    if precision == Incident.Precision.YEAR:
        return value.replace(month=1, day=1)
    return value


def _apply(incident: Incident, data: IncidentData, also_to: list[Any]) -> None:
    bounds.check_victims(data.victims)  # every entry point checks it; a caller that did not fails here
    incident.occurred_on = _normal_date(data.occurred_on, data.date_precision)
    incident.date_precision = data.date_precision
    incident.country, incident.subdivision = data.country.upper(), data.subdivision.upper()
    sealing.seal_incident_parts(incident.desk, incident, {name: getattr(data, name) for name in Incident.SEALED},
                                also_to)
    if data.safe_now is not None:
        incident.safe_now = data.safe_now
    if data.help_wanted is not None:
        incident.help_wanted = sealing.seal_help_wanted(incident, data.help_wanted, also_to) \
            if data.help_wanted else None
    incident.victims = data.victims
    incident.reported_to_authorities, incident.reported_on = data.reported_to_authorities, data.reported_on
    incident.justice = data.justice


def _set_terms(incident: Incident, data: IncidentData, *, new: bool = False) -> None:
    for relation in ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders"):
        terms = getattr(data, relation)
        if terms or not new:  # a new record has none yet: nothing to clear (a query saved each)
            getattr(incident, relation).set(terms)


def record_incident(
    actor: User | str, desk: Desk, data: IncidentData, *, channel: str = Incident.Channel.DESK,
    defenders: Iterable[Defender] = (), reporter: User | None = None, submission_key: str | None = None,
    also_to: Iterable[Any] = (),
) -> Incident:
    """Record an incident for `desk`, sealed to its ring (and to the reporter, when a defender
    reports herself). A repeated `submission_key` (a double submit) returns the first record."""
    if submission_key:
        existing = Incident.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    also = [reporter] if reporter is not None else []
    also += list(also_to)  # e.g. an anonymous reporter's receipt-derived public key
    try:
        with transaction.atomic():
            incident = Incident(desk=desk, channel=channel, reporter=reporter, submission_key=submission_key)
            _apply(incident, data, also)
            _set_consent(incident, data, actor)
            incident.save()
            _set_terms(incident, data, new=True)
            if defenders := list(defenders):
                incident.defenders.set(defenders)
            record_audit(actor, Action.INCIDENT_RECORDED, incident, scope=desk_scope(desk))
            announce([incident.pk])
    except IntegrityError:
        if submission_key:  # the other submit of the same form won the race
            return Incident.objects.get(submission_key=submission_key)
        raise
    return incident


def _set_consent(incident: Incident, data: IncidentData, actor: User | str) -> None:
    incident.consent_statistics = data.consent_statistics
    incident.consent_public_appeal = data.consent_public_appeal
    incident.consent_un = data.consent_un
    incident.consent_recorded_by = actor if isinstance(actor, User) else None
    incident.consent_recorded_at = timezone.now()


def update_incident(actor: User, incident: Incident, data: IncidentData) -> Incident:
    """Replace an incident's description (its sealed parts are sealed anew)."""
    with transaction.atomic():
        also = [incident.reporter] if incident.reporter else []
        _apply(incident, data, also)
        consent_changed = (incident.consent_statistics, incident.consent_public_appeal, incident.consent_un) != (
            data.consent_statistics, data.consent_public_appeal, data.consent_un)
        if consent_changed:
            _set_consent(incident, data, actor)
        incident.save()
        _set_terms(incident, data)
        record_audit(actor, Action.INCIDENT_UPDATED, incident, scope=desk_scope(incident.desk))
        announce([incident.pk])
    return incident


def set_status(actor: User, incident: Incident, status: str) -> Incident:
    if status not in Incident.Status.values or status == Incident.Status.DUPLICATE:
        raise ValueError(status)
    with transaction.atomic():
        incident.status, incident.duplicate_of = status, None
        incident.save(update_fields=["status", "duplicate_of", "updated_at"])
        record_audit(actor, Action.status(status), incident, scope=desk_scope(incident.desk))
        announce([incident.pk])
    return incident


def follow_justice(incident: Incident, stage: str, first_filed: date | None) -> None:
    """A complaint about the incident reached `stage` (protection's justice follow-up): the
    incident's clear justice fields follow, reported from `first_filed` unless a date was
    recorded before (one UPDATE: its sealed words and updated_at are left as they are; the
    caller audits the complaint)."""
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(
            reported_to_authorities=Incident.Reported.YES, justice=stage,
            reported_on=incident.reported_on or first_filed)
        announce([incident.pk])


def assign(actor: User, incident: Incident, assignee: User | None) -> Incident:
    with transaction.atomic():
        incident.assignee = assignee
        incident.save(update_fields=["assignee", "updated_at"])
        record_audit(actor, Action.ASSIGNED, incident, scope=desk_scope(incident.desk))
    return incident


def mark_duplicate(actor: User, incident: Incident, original: Incident) -> Incident:
    """`incident` repeats `original` (same desk): it stops counting in statistics; its victims
    and terms are merged into the original, so nothing documented is lost."""
    if original.pk == incident.pk or original.desk_id != incident.desk_id:
        raise ValueError("a duplicate points at another incident of the same desk")
    while original.duplicate_of_id is not None and original.duplicate_of is not None:
        original = original.duplicate_of
    with transaction.atomic():
        for relation in ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders", "defenders"):
            getattr(original, relation).add(*getattr(incident, relation).all())
        incident.status, incident.duplicate_of = Incident.Status.DUPLICATE, original
        incident.save(update_fields=["status", "duplicate_of", "updated_at"])
        Incident.objects.filter(duplicate_of=incident).update(duplicate_of=original)
        record_audit(actor, Action.MARKED_DUPLICATE, incident, scope=desk_scope(incident.desk))
        announce([incident.pk, original.pk])
    return incident


def add_follow_up(actor: User, incident: Incident, *, happened_on: date, note: str) -> FollowUp:
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            incident=incident, happened_on=happened_on, author=actor,
            note=sealing.seal_follow_up_note(incident.desk, note),
        )
        record_audit(actor, Action.FOLLOW_UP_ADDED, incident, scope=desk_scope(incident.desk))
    return follow_up


def move_to_desk(actor: User, incident: Incident, target: Desk, unlocked: Unlocked) -> Incident:
    """Hand a case to another desk: every sealed part is opened with the mover's key and sealed
    to the target desk's ring; the old desk keeps no copy. Defenders who appear only in this
    case move with it; defenders shared with other cases are copied."""
    if target.pk == incident.desk_id:
        return incident
    source = incident.desk
    with transaction.atomic():
        also: list[Any] = [incident.reporter] if incident.reporter else []
        receipt = AnonymousReceipt.objects.filter(incident=incident).first()
        if receipt is not None:  # an anonymous reporter keeps reading her report and the messages
            also.append(bytes(receipt.public_key))
        sealing.reseal_incident_parts(unlocked, incident, target, also)
        incident.help_wanted = sealing.reseal_help_wanted(unlocked, incident, target, also)
        for message in incident.messages.all():
            message.body = sealing.reseal_reporter_message(unlocked, message, target, also)
            message.save(update_fields=["body"])
        for follow_up in incident.follow_ups.all():
            follow_up.note = sealing.seal_follow_up_note(target, sealing.open_follow_up_note(unlocked, follow_up))
            follow_up.save(update_fields=["note"])
        for attachment in incident.attachments.all():
            move_attachment(attachment, target, unlocked, also)
        moved = []
        for defender in incident.defenders.all():
            name = sealing.open_defender_name(unlocked, defender)
            contacts = sealing.open_defender_contacts(unlocked, defender)
            if defender.incidents.exclude(pk=incident.pk).exists():
                copy = create_defender(actor, target, name=name, kind=defender.kind, contacts=contacts,
                                       gender=defender.gender, profiles=defender.profiles.all(),
                                       account=defender.account, unlocked=unlocked)
                moved.append(copy)
            else:
                also_d = [defender.account] if defender.account else []
                defender.desk = target
                defender.name = sealing.seal_defender_name(target, name, also_d)
                defender.contacts = sealing.seal_defender_contacts(target, contacts, also_d)
                defender.name_index = ""  # indexed under the target desk's key by its next member
                defender.save()
                moved.append(defender)
        incident.defenders.set(moved)
        incident.desk, incident.assignee, incident.duplicate_of = target, None, None
        if incident.status == Incident.Status.DUPLICATE:
            incident.status = Incident.Status.RECEIVED
        incident.save()
        record_audit(actor, Action.MOVED_OUT, incident, scope=desk_scope(source))
        record_audit(actor, Action.MOVED_IN, incident, scope=desk_scope(target))
        announce([incident.pk])
    return incident

