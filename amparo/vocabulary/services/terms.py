"""Every write to terms: create, update, retire, restore, each audited in its transaction (the
rules are in `amparo.vocabulary.rules`)."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network.models import Network, Role
from amparo.network.services import scope_of
from amparo.vocabulary.actions import TERM_OBJECT_TYPE, Action
from amparo.vocabulary.models import Term
from amparo.vocabulary.rules import Actor, Shape, check, shape_of

# --- Writing -----------------------------------------------------------------------------------

def audit_scope(actor: Actor) -> str:
    """Terms belong to no network; the entry is scoped to the network the actor coordinates, so
    her fellow coordinators read it in their audit log. Commands ("system") leave it unscoped."""
    if not isinstance(actor, User):
        return ""
    network = Network.objects.filter(memberships__user=actor, memberships__role=Role.COORDINATOR,
                                     memberships__ended_at__isnull=True).order_by("id").first()
    return scope_of(network) if network is not None else ""


def _labels(en: str, es: str, fr: str, pt: str) -> tuple[str, str, str, str]:
    return (en.strip(), es.strip(), fr.strip(), pt.strip())


def write_shape(actor: Actor, scope: str, shape: Shape, term: Term | None, counter: Counter[str]) -> Term:
    """Store `shape` (already checked) as a new term or over `term`; carry a changed state
    down the branch. Retirement is not written here."""
    parent = Term.objects.get(code=shape.parent) if shape.parent else None
    action = Action.TERM_UPDATED
    if term is None:
        action = Action.TERM_CREATED
        top = Term.objects.filter(kind=shape.kind).aggregate(top=Max("position"))["top"] or 0
        term = Term(kind=shape.kind, code=shape.code, position=top + 1)
    elif shape_of(term) == replace(shape, retired=term.retired_at is not None):
        return term
    state_changed = term.pk is not None and term.state_actor != shape.state_actor
    term.parent, term.state_actor = parent, shape.state_actor
    term.label_en, term.label_es, term.label_fr, term.label_pt = shape.labels
    term.save()
    record_audit(actor, action, term, object_type=TERM_OBJECT_TYPE, scope=scope)
    counter[action] += 1
    if state_changed:
        for child in term.children.all():
            write_shape(actor, scope, replace(shape_of(child), state_actor=shape.state_actor), child, counter)
    return term


def create_term(
    actor: Actor, *, kind: str, code: str, label_en: str, label_es: str = "", label_fr: str = "",
    label_pt: str = "", parent: Term | None = None, state_actor: bool | None = None,
) -> Term:
    """Add a term at the end of its kind, or raise ValidationError by field. Sending the same
    term twice (a double submit on a slow line) stores it once and returns the first."""
    shape = Shape(kind, code.strip(), parent.code if parent else "", state_actor,
                  _labels(label_en, label_es, label_fr, label_pt), retired=False)
    with transaction.atomic():
        shape, found = check(shape)
        existing = Term.objects.filter(code=shape.code).first()
        if existing is not None and shape_of(existing) == shape:
            return existing
        if found:
            raise ValidationError(found)
        return write_shape(actor, audit_scope(actor), shape, None, Counter())


class _Keep(enum.Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP


def update_term(
    actor: Actor, term: Term, *, parent: Term | None | _Keep = KEEP, state_actor: bool | None | _Keep = KEEP,
    label_en: str | _Keep = KEEP, label_es: str | _Keep = KEEP, label_fr: str | _Keep = KEEP,
    label_pt: str | _Keep = KEEP,
) -> Term:
    """Change what is given (code and kind never change); raise ValidationError by field.
    A perpetrator's new state carries down its branch. Nothing changed, nothing written."""
    with transaction.atomic():
        current = Term.objects.select_for_update().get(pk=term.pk)
        was = shape_of(current)
        given = (label_en, label_es, label_fr, label_pt)
        labels = _labels(*(old if new is KEEP else new for old, new in zip(was.labels, given, strict=True)))
        shape = Shape(
            was.kind, was.code,
            was.parent if isinstance(parent, _Keep) else (parent.code if parent else ""),
            was.state_actor if isinstance(state_actor, _Keep) else state_actor, labels, was.retired)
        shape, found = check(shape, current)
        if found:
            raise ValidationError(found)
        written = write_shape(actor, audit_scope(actor), shape, current, Counter())
    term.refresh_from_db()
    return written


def retire_term(actor: Actor, term: Term) -> Term:
    """Stop offering a term and every narrower term under it. Records that use them keep them
    (a term is never deleted). Already retired: nothing happens."""
    with transaction.atomic():
        current = Term.objects.select_for_update().get(pk=term.pk)
        if current.retired_at is None:
            retire_in(actor, audit_scope(actor), current, timezone.now(), Counter())
    term.refresh_from_db()
    return term


def retire_in(actor: Actor, scope: str, term: Term, when: datetime, counter: Counter[str]) -> None:
    pending = [term]
    while pending:
        current = pending.pop()
        if current.retired_at is None:
            current.retired_at = when
            current.save(update_fields=["retired_at"])
            record_audit(actor, Action.TERM_RETIRED, current, object_type=TERM_OBJECT_TYPE, scope=scope)
            counter[Action.TERM_RETIRED] += 1
        pending += list(current.children.all())


def restore_term(actor: Actor, term: Term) -> Term:
    """Offer a retired term again, with the narrower terms retired together with it. Raises
    ValidationError while its broader term is retired. Not retired: nothing happens."""
    with transaction.atomic():
        current = Term.objects.select_for_update().get(pk=term.pk)
        if current.retired_at is not None:
            if current.parent is not None and current.parent.retired_at is not None:
                raise ValidationError(_("Its broader term “%(label)s” is retired: restore that one first.")
                                      % {"label": current.parent.label()})
            when, pending, scope = current.retired_at, [current], audit_scope(actor)
            while pending:
                one = pending.pop()
                restore_in(actor, scope, one, Counter())
                pending += list(one.children.filter(retired_at=when))
    term.refresh_from_db()
    return term


def restore_in(actor: Actor, scope: str, term: Term, counter: Counter[str]) -> None:
    term.retired_at = None
    term.save(update_fields=["retired_at"])
    record_audit(actor, Action.TERM_RESTORED, term, object_type=TERM_OBJECT_TYPE, scope=scope)
    counter[Action.TERM_RESTORED] += 1
