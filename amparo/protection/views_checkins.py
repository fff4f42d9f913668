"""Check-ins: the desk sets a schedule and a safety contact; she checks in with one tap (or the
desk records that she called); the alert job (tasks.py) does the rest."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.core import sms
from amparo.core.security import staff_page
from amparo.network import permissions
from amparo.network.models import Role
from amparo.registry import services as registry
from amparo.vault import session as vault_session

from . import queries, sealing, services
from .forms import CheckInForm
from .models import CheckIn
from .views import SEALED_ERRORS, documenter_required, locked

defender_required = permissions.role_required(Role.DEFENDER)


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def check_ins(request: HttpRequest, defender_id: int) -> HttpResponse:
    person = queries.defender_for(request.user, defender_id)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.schedule_check_ins(
                signed_in_user(request), person, contact_name=data["contact_name"],
                contact_phone=data["contact_phone"], contact_email=data["contact_email"],
                contact_language=data["contact_language"], every_hours=data["every_hours"],
                grace_minutes=data["grace_minutes"],
                first_due_at=timezone.now() + timedelta(hours=data["first_due_in_hours"]))
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Check-ins are scheduled."))
            return redirect("protection:check_ins", defender_id=person.pk)
    unlocked = vault_session.unlocked_for(request)
    try:
        name = registry.open_defender_name(unlocked, person)
        schedules = [(s, sealing.open_contact_name(unlocked, s), s.misses.all()[:5])
                     for s in person.check_in_schedules.all()]
    except SEALED_ERRORS:
        return locked(request)
    return render(request, "protection/check_ins.html", {
        "person": person, "name": name, "schedules": schedules, "form": form,
        "sms_ready": sms.gateway() is not None, "now": timezone.now(),
    }, status=400 if form.errors else 200)


@require_POST
@documenter_required
@staff_page
def check_in(request: HttpRequest, schedule_id: int) -> HttpResponse:
    schedule = queries.schedule_for(request.user, schedule_id)
    services.check_in(signed_in_user(request), schedule, channel=CheckIn.Channel.DESK)
    messages.success(request, _("The check-in was recorded."))
    return redirect("protection:check_ins", defender_id=schedule.defender_id)


@require_POST
@documenter_required
@staff_page
def check_in_stop(request: HttpRequest, schedule_id: int) -> HttpResponse:
    schedule = queries.schedule_for(request.user, schedule_id)
    services.stop_check_ins(signed_in_user(request), schedule)
    messages.success(request, _("Check-ins were stopped."))
    return redirect("protection:check_ins", defender_id=schedule.defender_id)


@require_GET
@defender_required
def my_check_ins(request: HttpRequest) -> HttpResponse:
    return render(request, "protection/my_check_ins.html", {"schedules": queries.her_schedules(request.user)})


@require_POST
@defender_required
def my_check_in(request: HttpRequest, schedule_id: int) -> HttpResponse:
    schedule = get_object_or_404(queries.her_schedules(request.user), pk=schedule_id)
    if not schedule.active:
        raise PermissionDenied
    services.check_in(signed_in_user(request), schedule, channel=CheckIn.Channel.DEFENDER)
    messages.success(request, _("Thank you: your check-in was received."))
    return redirect("protection:my_check_ins")
