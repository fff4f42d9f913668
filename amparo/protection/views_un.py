"""Justice follow-up of an incident, and communications to the UN special procedures
(generated here, in her request: the elements come from data sealed to her desk)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.core.security import staff_page
from amparo.vault import session as vault_session

from . import queries, sealing, services, un_document
from .forms import CommunicationForm, ComplaintForm, ReplyForm, SentForm, StageForm
from .models import UnCommunication
from .views import SEALED_ERRORS, documenter_required, locked

REPLY_DAYS = 60  # States have 60 days to reply (FIELD-NOTES, "UN special procedures")
FILES = {"pdf": ("application/pdf", "pdf"),
         "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")}


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def justice(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = queries.incident_for(request.user, incident_id)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_complaint(signed_in_user(request), incident, **form.cleaned_data)
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The complaint was recorded."))
            return redirect("protection:justice", incident_id=incident.pk)
    unlocked = vault_session.unlocked_for(request)
    try:
        complaints = [(c, sealing.open_complaint(unlocked, c)) for c in incident.complaints.all()]
    except SEALED_ERRORS:
        return locked(request)
    return render(request, "protection/justice.html", {
        "incident": incident, "complaints": complaints, "form": form, "stage_form": StageForm(),
        "communications": incident.un_communications.all(),
    }, status=400 if form.errors else 200)


@require_POST
@documenter_required
@staff_page
def complaint_stage(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = queries.complaint_for(request.user, complaint_id)
    form = StageForm(request.POST)
    if form.is_valid():
        services.set_complaint_stage(signed_in_user(request), complaint, stage=form.cleaned_data["stage"])
        messages.success(request, _("The stage was updated."))
    else:
        messages.error(request, _("Choose the stage the complaint has reached."))
    return redirect("protection:justice", incident_id=complaint.incident_id)


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def un_new(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = queries.incident_for(request.user, incident_id)
    if not incident.consent_un:
        return render(request, "protection/un_refused.html", {"incident": incident}, status=409)
    language = (get_language() or "en")[:2]
    language = language if language in UnCommunication.Language.values else "en"
    unlocked = vault_session.unlocked_for(request)
    try:
        complaints = [{**sealing.open_complaint(unlocked, c), "stage": c.get_stage_display()}
                      for c in incident.complaints.all()]
        prefilled = un_document.prefill(unlocked, incident, language, complaints, incident.desk.network.name)
    except SEALED_ERRORS:
        return locked(request)
    form = CommunicationForm(request.POST or None, initial={"language": language, **prefilled})
    if request.method == "POST" and form.is_valid():
        try:
            communication = services.generate_communication(
                signed_in_user(request), incident, language=form.cleaned_data["language"], elements=form.elements())
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The communication was generated. Download it, check it, and send it."))
            return redirect("protection:un", communication_id=communication.pk)
    return render(request, "protection/un_new.html", {
        "incident": incident, "form": form, "missing": un_document.missing(prefilled),
    }, status=400 if form.errors else 200)


@require_GET
@documenter_required
@staff_page
def un(request: HttpRequest, communication_id: int) -> HttpResponse:
    communication = queries.communication_for(request.user, communication_id)
    try:
        reply = sealing.open_reply(vault_session.unlocked_for(request), communication)
    except SEALED_ERRORS:
        return locked(request)
    deadline = communication.sent_on + timedelta(days=REPLY_DAYS) if communication.sent_on else None
    days_left = (deadline - timezone.localdate()).days if deadline else None
    return render(request, "protection/un.html", {
        "communication": communication, "reply": reply, "deadline": deadline, "days_left": days_left,
        "sent_form": SentForm(initial={"sent_on": timezone.localdate()}),
        "reply_form": ReplyForm(initial={"replied_on": timezone.localdate()})})


@require_POST
@documenter_required
@staff_page
def un_sent(request: HttpRequest, communication_id: int) -> HttpResponse:
    communication = queries.communication_for(request.user, communication_id)
    form = SentForm(request.POST)
    if form.is_valid():
        services.record_sent(signed_in_user(request), communication, sent_on=form.cleaned_data["sent_on"])
        messages.success(request, _("Recorded as sent."))
    else:
        messages.error(request, _("Give the date it was sent."))
    return redirect("protection:un", communication_id=communication.pk)


@require_POST
@documenter_required
@staff_page
def un_reply(request: HttpRequest, communication_id: int) -> HttpResponse:
    communication = queries.communication_for(request.user, communication_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the reply came."))
        return redirect("protection:un", communication_id=communication.pk)
    try:
        services.record_reply(signed_in_user(request), communication, replied_on=form.cleaned_data["replied_on"],
                              text=form.cleaned_data["reply"])
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The reply was recorded."))
    return redirect("protection:un", communication_id=communication.pk)


@require_GET
@documenter_required
@staff_page
def un_file(request: HttpRequest, communication_id: int, file_format: str) -> HttpResponse:
    communication = queries.communication_for(request.user, communication_id)
    fmt = file_format
    if fmt not in FILES:
        raise Http404
    try:
        body = sealing.open_communication_file(vault_session.unlocked_for(request), communication, fmt)
    except SEALED_ERRORS:
        return locked(request)
    services.note_download(signed_in_user(request), communication)
    kind, extension = FILES[fmt]
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="un-communication-{communication.pk}.{extension}"'
    return response
