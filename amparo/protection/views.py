"""The desk's protection pages: the defenders it accompanies, a defender's protection page, her
risk assessments, and the figures. Thin views: parse, authorise (documenters of the case's desk;
404 for another desk's case; 403 for a role that never may), call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.requests import signed_in_user
from amparo.core.security import staff_page
from amparo.network import permissions
from amparo.network.models import Role
from amparo.registry import services as registry
from amparo.registry.models import Incident
from amparo.vault import session as vault_session
from amparo.vault.errors import KeyLocked, NotAReader, Tampered

from . import queries, risk, sealing, services
from .forms import ROWS, AssessmentForm
from .models import RiskAssessment

documenter_required = permissions.role_required(Role.DOCUMENTER)
staff_required = permissions.role_required(Role.DOCUMENTER, Role.COORDINATOR)
SEALED_ERRORS = (KeyLocked, NotAReader, Tampered)


def locked(request: HttpRequest) -> HttpResponse:
    return render(request, "network/key_locked.html")


def opened_assessment(request: HttpRequest, assessment: RiskAssessment) -> dict[str, Any]:
    """Its items, reason, scores, explanation and (for a reassessment) what changed."""
    unlocked = vault_session.unlocked_for(request)
    content = sealing.open_assessment(unlocked, assessment.content)
    items = content.get("items", [])
    scores = risk.Scores(assessment.threats, assessment.vulnerabilities, assessment.capacities, assessment.risk)
    changed: list[str] = []
    if assessment.previous is not None:
        before = assessment.previous
        changed = risk.changes(risk.Scores(before.threats, before.vulnerabilities, before.capacities, before.risk),
                               sealing.open_assessment(unlocked, before.content).get("items", []), scores, items)
    return {"assessment": assessment, "items": items, "reason": content.get("reason", ""),
            "explanation": risk.explain(scores, items), "band": risk.band_label(scores.band), "changed": changed,
            "by_kind": [(label, [i for i in items if i["kind"] == kind]) for kind, label in (
                ("threats", _("Threats")), ("vulnerabilities", _("Vulnerabilities")),
                ("capacities", _("Capacities")))]}


@require_GET
@documenter_required
@staff_page
def index(request: HttpRequest, desk_slug: str) -> HttpResponse:
    desk = get_object_or_404(permissions.documented_desks(request.user), slug=desk_slug)
    unlocked = vault_session.unlocked_for(request)
    try:
        rows = [(d, registry.open_defender_name(unlocked, d), latest, missed)
                for d, latest, missed in queries.desk_defenders(desk)]
    except SEALED_ERRORS:
        return locked(request)
    return render(request, "protection/index.html", {"desk": desk, "rows": rows})


@require_GET
@documenter_required
@staff_page
def defender(request: HttpRequest, defender_id: int) -> HttpResponse:
    person = queries.defender_for(request.user, defender_id)
    unlocked = vault_session.unlocked_for(request)
    assessments = list(RiskAssessment.objects.filter(defender=person).select_related("previous"))
    try:
        name = registry.open_defender_name(unlocked, person)
        latest = opened_assessment(request, assessments[0]) if assessments else None
        schedules = [(s, sealing.open_contact_name(unlocked, s)) for s in person.check_in_schedules.all()]
    except SEALED_ERRORS:
        return locked(request)
    return render(request, "protection/defender.html", {
        "person": person, "name": name, "latest": latest, "assessments": assessments, "schedules": schedules,
        "plan": getattr(person, "protection_plan", None), "incidents": person.incidents.counted(),
        "misses": queries.open_misses([person.desk]) if schedules else 0,
    })


def _initial_from(request: HttpRequest, previous: RiskAssessment | None) -> dict[str, Any]:
    """A reassessment starts from the last one's rows."""
    if previous is None:
        return {}
    items = sealing.open_assessment(vault_session.unlocked_for(request), previous.content).get("items", [])
    initial: dict[str, Any] = {}
    for kind, count in ROWS.items():
        for n, item in enumerate([i for i in items if i["kind"] == kind][:count]):
            initial.update({f"{kind}_{n}_text": item["text"], f"{kind}_{n}_rating": item["rating"],
                            f"{kind}_{n}_incident": item.get("incident")})
    return initial


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def assess(request: HttpRequest, defender_id: int) -> HttpResponse:
    person = queries.defender_for(request.user, defender_id)
    previous = RiskAssessment.objects.filter(defender=person).first()
    incidents = [(i.pk, _("Incident #%(n)s, %(date)s") % {"n": i.pk, "date": i.occurred_on or "—"})
                 for i in person.incidents.counted().order_by("-occurred_on")]
    try:
        initial = _initial_from(request, previous)
    except SEALED_ERRORS:
        return locked(request)
    form = AssessmentForm(request.POST or None, incidents=incidents, reassessment=previous is not None,
                          initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assess_risk(signed_in_user(request), person, form.items(),
                                              reason=form.cleaned_data.get("reason", ""), previous=previous)
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect("protection:assessment", assessment_id=assessment.pk)
    return render(request, "protection/assess.html", {"form": form, "person": person, "previous": previous},
                  status=400 if form.errors else 200)


@require_GET
@documenter_required
@staff_page
def assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    found = queries.assessment_for(request.user, assessment_id)
    try:
        context = opened_assessment(request, found)
    except SEALED_ERRORS:
        return locked(request)
    incidents = {i.pk: i for i in Incident.objects.filter(pk__in=[x["incident"] for x in context["items"]
                                                                   if x.get("incident")])}
    return render(request, "protection/assessment.html", {**context, "person": found.defender,
                                                          "incidents": incidents})


@require_GET
@staff_required
@staff_page
def figures(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    desks = permissions.visible_desks(user)
    return render(request, "protection/figures.html", {"rows": queries.figures(desks)})
