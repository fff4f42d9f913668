"""The protection plan: measures (with an owner and a due date) and protocols as checklists."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.registry.models import Defender
from amparo.vault.services import Unlocked

from .. import sealing
from ..actions import Action
from ..models import Measure, ProtectionPlan, Protocol
from .common import Refused, desk_scope


def _plan(defender: Defender) -> ProtectionPlan:
    plan, _created = ProtectionPlan.objects.get_or_create(defender=defender, defaults={"desk": defender.desk})
    return plan


def add_measure(actor: User | str, defender: Defender, *, kind: str, text: str, owner: str,
                due_on: date | None) -> Measure:
    """A measure of her plan (the plan is made with its first measure or protocol)."""
    if kind not in Measure.Kind.values:
        raise Refused(_("Choose what the measure does."))
    if not text.strip():
        raise Refused(_("Say what the measure is."))
    with transaction.atomic():
        plan = _plan(defender)
        measure = Measure.objects.create(plan=plan, kind=kind, due_on=due_on,
                                         **sealing.seal_measure(defender.desk, text=text.strip(),
                                                                owner=owner.strip()))
        plan.save(update_fields=["updated_at"])
        record_audit(actor, Action.MEASURE_ADDED, measure, scope=desk_scope(defender.desk))
    return measure


def mark_measure_done(actor: User | str, measure: Measure, *, on: date) -> Measure:
    """Done on `on` (a second click changes nothing)."""
    if measure.done_on is None:
        with transaction.atomic():
            measure.done_on = on
            measure.save(update_fields=["done_on"])
            record_audit(actor, Action.MEASURE_DONE, measure, scope=desk_scope(measure.plan.desk))
    return measure


def add_protocol(actor: User | str, defender: Defender, *, kind: str, steps: list[str]) -> Protocol:
    """A protocol as a checklist of `steps`, none ticked yet."""
    steps = [s.strip() for s in steps if s.strip()]
    if kind not in Protocol.Kind.values:
        raise Refused(_("Choose which protocol this is."))
    if not steps:
        raise Refused(_("Write at least one step, one per line."))
    with transaction.atomic():
        plan = _plan(defender)
        protocol = Protocol.objects.create(plan=plan, kind=kind, steps=sealing.seal_steps(
            defender.desk, [{"text": s, "done": False} for s in steps]))
        plan.save(update_fields=["updated_at"])
        record_audit(actor, Action.PROTOCOL_ADDED, protocol, scope=desk_scope(defender.desk))
    return protocol


def tick_protocol(actor: User | str, protocol: Protocol, unlocked: Unlocked | None, done: set[int]) -> Protocol:
    """Tick the steps numbered in `done` (0-based) and untick the others."""
    steps: list[dict[str, Any]] = sealing.open_steps(unlocked, protocol)
    for number, step in enumerate(steps):
        step["done"] = number in done
    with transaction.atomic():
        protocol.steps = sealing.seal_steps(protocol.plan.desk, steps)
        protocol.save(update_fields=["steps"])
        record_audit(actor, Action.PROTOCOL_TICKED, protocol, scope=desk_scope(protocol.plan.desk))
    return protocol
