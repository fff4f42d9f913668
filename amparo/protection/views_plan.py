"""A defender's protection plan: measures with an owner and a due date, protocols as
checklists, self-care. Every word sealed to the desk's ring."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.core.security import staff_page
from amparo.registry import services as registry
from amparo.registry.models import Defender
from amparo.vault import session as vault_session

from . import protocols, queries, sealing, services
from .forms import MeasureForm, ProtocolForm
from .models import Measure
from .views import SEALED_ERRORS, documenter_required, locked


def _page(request: HttpRequest, person: Defender, *, measure_form: MeasureForm | None = None,
          protocol_form: ProtocolForm | None = None, status: int = 200) -> HttpResponse:
    unlocked = vault_session.unlocked_for(request)
    plan = getattr(person, "protection_plan", None)
    today = timezone.localdate()
    try:
        name = registry.open_defender_name(unlocked, person)
        measures = [(m, sealing.open_measure(unlocked, m)) for m in plan.measures.all()] if plan else []
        checklists = [(p, sealing.open_steps(unlocked, p)) for p in plan.protocols.all()] if plan else []
    except SEALED_ERRORS:
        return locked(request)
    groups: list[tuple[Any, list[Any]]] = [
        (label, [(m, words, m.done_on is None and m.due_on is not None and m.due_on < today)
                 for m, words in measures if m.kind == kind]) for kind, label in Measure.Kind.choices]
    return render(request, "protection/plan.html", {
        "person": person, "name": name, "plan": plan, "groups": groups, "checklists": checklists,
        "measure_form": measure_form or MeasureForm(),
        "protocol_form": protocol_form or ProtocolForm(),
    }, status=status)


@require_GET
@documenter_required
@staff_page
def plan(request: HttpRequest, defender_id: int) -> HttpResponse:
    return _page(request, queries.defender_for(request.user, defender_id))


@require_POST
@documenter_required
@staff_page
def measure_add(request: HttpRequest, defender_id: int) -> HttpResponse:
    person = queries.defender_for(request.user, defender_id)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            services.add_measure(signed_in_user(request), person, **form.cleaned_data)
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The measure was added to the plan."))
            return redirect("protection:plan", defender_id=person.pk)
    return _page(request, person, measure_form=form, status=400)


@require_POST
@documenter_required
@staff_page
def measure_done(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = queries.measure_for(request.user, measure_id)
    services.mark_measure_done(signed_in_user(request), measure, on=timezone.localdate())
    messages.success(request, _("Marked as done."))
    return redirect("protection:plan", defender_id=measure.plan.defender_id)


@require_POST
@documenter_required
@staff_page
def protocol_add(request: HttpRequest, defender_id: int) -> HttpResponse:
    person = queries.defender_for(request.user, defender_id)
    form = ProtocolForm(request.POST)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        steps = form.cleaned_data["steps"].splitlines() or protocols.default_steps(kind)
        try:
            services.add_protocol(signed_in_user(request), person, kind=kind, steps=steps)
        except services.Refused as refusal:
            form.add_error("steps", str(refusal))
        else:
            messages.success(request, _("The protocol was added to the plan."))
            return redirect("protection:plan", defender_id=person.pk)
    return _page(request, person, protocol_form=form, status=400)


@require_POST
@documenter_required
@staff_page
def protocol_tick(request: HttpRequest, protocol_id: int) -> HttpResponse:
    protocol = queries.protocol_for(request.user, protocol_id)
    done = {int(v) for v in request.POST.getlist("done") if v.isdigit()}
    try:
        services.tick_protocol(signed_in_user(request), protocol, vault_session.unlocked_for(request), done)
    except SEALED_ERRORS:
        return locked(request)
    messages.success(request, _("The checklist was saved."))
    return redirect("protection:plan", defender_id=protocol.plan.defender_id)
