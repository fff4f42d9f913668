"""A defender's own pages: her short form, her reports, one report at a short-lived address
with her conversation with the desk, her e-mail choice, and consent per use. Thin views: parse,
authorise (only her own reports: 404 for anyone else's), call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.core.errors import reshows_on_csrf_failure
from amparo.network import permissions
from amparo.network.models import Role
from amparo.registry import sealing, services
from amparo.registry.consent_words import USES
from amparo.registry.forms_intake import (
    ConsentChangeForm,
    DefenderMessageForm,
    NotifyForm,
    OwnReportForm,
    refused_file,
    unstored_file,
    upload_of,
)
from amparo.registry.models import Incident, Message
from amparo.registry.services import consent, conversation, intake, own_reports
from amparo.vault import session as vault_session
from amparo.vault import short_lived
from amparo.vault.errors import KeyLocked, NotAReader, Tampered

defender_required = permissions.role_required(Role.DEFENDER)

def _own(request: HttpRequest, incident_id: int) -> Incident:
    return get_object_or_404(Incident.objects.select_related("desk"), pk=incident_id,
                             reporter=signed_in_user(request))


def _use(use: str) -> str:
    if use not in USES:
        raise Http404
    return use


@require_http_methods(["GET", "POST"])
@defender_required
def report(request: HttpRequest) -> HttpResponse:
    """Her own short form: the plain questions, a file; the desk completes the rest."""
    form = OwnReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_report = own_reports.submit_own_report(
                    signed_in_user(request), form.incident_data(), upload=upload_of(form),
                    notify=form.cleaned_data["notify"], herself=form.cleaned_data["targeted"] == "herself",
                    submission_key=form.cleaned_data["submission_key"])
            except intake.NoDesk:
                form.add_error(None, _("No desk can receive this report yet. Please contact your network."))
                status = 503
            except services.AttachmentRefused:
                form.add_error("file", refused_file())
            except services.AttachmentNotStored:
                form.add_error("file", unstored_file())
                status = 503
            else:
                messages.success(request, _("Thank you. Your report is with the desk; you can follow it below."))
                return _her_page(request, services_report)
    return render(request, "registry/report.html", {"form": form}, status=status)


@require_GET
@defender_required
def my_reports(request: HttpRequest) -> HttpResponse:
    reports = Incident.objects.filter(reporter=signed_in_user(request)).order_by("-created_at")
    unread = conversation.unread_counts(reports, Message.Author.DESK)
    return render(request, "registry/my_reports.html", {"reports": [(r, unread.get(r.pk, 0)) for r in reports]})


def _her_page(request: HttpRequest, incident: Incident) -> HttpResponse:
    """Her report at a short-lived address of her session (vault.short_lived): Back and Reload
    re-post nothing, and the quick exit (or a while without use) closes it."""
    token = short_lived.open_page(request.session, incident.pk)
    response = redirect("registry:my_report", token=token)
    response.status_code = 303
    return response


@require_POST
@defender_required
def my_report_open(request: HttpRequest) -> HttpResponse:
    """She opens one of her reports: a POST, answered by its short-lived address."""
    try:
        incident_id = int(request.POST.get("incident", ""))
    except ValueError:
        raise Http404 from None
    return _her_page(request, _own(request, incident_id))


@require_POST
@defender_required
def my_report_withdraw(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Every use taken back at once (kept for pages that still post here; her report's page now
    offers each use on its own)."""
    incident = _own(request, incident_id)
    services.withdraw_consent(signed_in_user(request), incident)
    messages.success(request, _("Done. Your report is now kept for documentation only."))
    return _her_page(request, incident)


def _report_page(request: HttpRequest, incident: Incident, *, form: DefenderMessageForm | None = None,
                 status: int = 200) -> HttpResponse:
    unlocked = vault_session.unlocked_for(request)
    try:
        sealed = sealing.open_incident(unlocked, incident)
        help_wanted = sealing.open_help_wanted(unlocked, incident)
        thread = conversation.open_thread(unlocked, incident)
    except (KeyLocked, NotAReader, Tampered):
        return render(request, "network/key_locked.html")
    if status == 200:
        conversation.mark_read(incident, Message.Author.DESK)
    return render(request, "registry/my_report.html", {
        "incident": incident, "sealed": sealed, "help_wanted": help_wanted,
        "follow_up_count": incident.follow_ups.count(), "thread": thread,
        "form": form or DefenderMessageForm(), "notify_form": NotifyForm(initial={"notify": incident.notify_reporter}),
        "uses": [(use, words["name"], consent.holds(incident, use)) for use, words in USES.items()],
    }, status=status)


@require_GET
@defender_required
def my_report(request: HttpRequest, token: str) -> HttpResponse:
    kept = short_lived.page(request.session, token)
    incident = Incident.objects.filter(pk=kept.ref, reporter=signed_in_user(request)).first() if kept else None
    if incident is None:
        return render(request, "registry/my_report_closed.html", status=404)
    return _report_page(request, incident)


@require_POST
@defender_required
def my_report_write(request: HttpRequest, incident_id: int) -> HttpResponse:
    """She writes to her desk (and may add a file); a refusal shows her page with what she wrote."""
    incident = _own(request, incident_id)
    form = DefenderMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _report_page(request, incident, form=form, status=400)
    try:
        conversation.write_to_desk(signed_in_user(request), incident, form.cleaned_data["text"],
                                   upload=upload_of(form))
    except services.AttachmentRefused:
        form.add_error("file", refused_file())
        return _report_page(request, incident, form=form, status=400)
    except services.AttachmentNotStored:
        form.add_error("file", unstored_file())
        return _report_page(request, incident, form=form, status=503)
    messages.success(request, _("Sent. The team will see it."))
    return _her_page(request, incident)


@require_POST
@defender_required
def my_report_notify(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _own(request, incident_id)
    form = NotifyForm(request.POST)
    on = form.is_valid() and form.cleaned_data["notify"]
    conversation.set_notify(signed_in_user(request), incident, on)
    messages.success(request, _("Done. You will get an e-mail when the team writes to you.") if on
                     else _("Done. You will get no e-mail when the team writes to you."))
    return _her_page(request, incident)


@require_http_methods(["GET", "POST"])
@defender_required
def my_report_consent(request: HttpRequest, incident_id: int, use: str) -> HttpResponse:
    """Give or take back one use: first a page that says what changes, then her confirmation."""
    incident, use = _own(request, incident_id), _use(use)
    given = not consent.holds(incident, use)
    form = ConsentChangeForm(request.POST or None, initial={"given": "yes" if given else "no"})
    if request.method == "POST" and form.is_valid():
        consent.set_consent(signed_in_user(request), incident, use, form.cleaned_data["given"] == "yes")
        messages.success(request, _("Done: %(change)s") % {
            "change": USES[use]["give" if form.cleaned_data["given"] == "yes" else "take_back"]})
        return _her_page(request, incident)
    return render(request, "registry/consent_confirm.html", {
        "incident": incident, "form": form, "given": given, "name": USES[use]["name"],
        "change": USES[use]["give" if given else "take_back"], "staff": False,
    }, status=400 if form.errors else 200)


def _reshow_report(request: HttpRequest) -> HttpResponse:
    """A refused CSRF check (a page left open overnight): her answers back, filled in; nothing
    written (core.errors.csrf_failure)."""
    return render(request, "registry/report.html", {"form": OwnReportForm(request.POST)}, status=403)


reshows_on_csrf_failure(_reshow_report)(report)
