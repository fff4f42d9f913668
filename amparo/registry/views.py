"""The desk's daily work on incidents, and a defender's own reports. Thin views: parse,
authorise (only the desk's documenters; 404 for another desk's case), call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.accounts.requests import signed_in_user
from amparo.core import uploads
from amparo.core.models import AuditEntry
from amparo.core.security import staff_page
from amparo.network import countries, permissions
from amparo.network.models import Desk, Membership, Role
from amparo.registry import queries, sealing, services
from amparo.registry.consent_words import USES
from amparo.registry.forms import (
    AttachmentForm,
    DuplicateForm,
    FollowUpForm,
    InboxFilter,
    IncidentForm,
    MoveForm,
)
from amparo.registry.forms_intake import RecordedConsentForm, ReplyForm
from amparo.registry.history import words as history_words
from amparo.registry.models import Attachment, Incident, Message
from amparo.registry.services import consent, conversation, intake
from amparo.vault import session as vault_session
from amparo.vault.errors import KeyLocked, NotAReader, Tampered
from amparo.vault.services import Unlocked

documenter_required = permissions.role_required(Role.DOCUMENTER)
PAGE_SIZE = 25


def _desk(request: HttpRequest, desk_slug: str) -> Desk:
    return get_object_or_404(permissions.documented_desks(request.user), slug=desk_slug)


def _incident(request: HttpRequest, incident_id: int) -> Incident:
    return get_object_or_404(
        Incident.objects.select_related("desk", "desk__network", "assignee", "duplicate_of"),
        pk=incident_id, desk__in=permissions.documented_desks(request.user),
    )


def _unlocked(request: HttpRequest) -> Unlocked | None:
    return vault_session.unlocked_for(request)


def _locked(request: HttpRequest) -> HttpResponse:
    return render(request, "network/key_locked.html")


@require_GET
@documenter_required
@staff_page
def inbox(request: HttpRequest, desk_slug: str) -> HttpResponse:
    desk = _desk(request, desk_slug)
    team = Membership.objects.active().filter(desk=desk, role=Role.DOCUMENTER).select_related("user")
    form = InboxFilter(request.GET or None, assignees=[(str(m.user_id), m.user.display_name()) for m in team])
    data = form.cleaned_data if form.is_valid() else {}
    unlocked = _unlocked(request)
    defender_ids = None
    if data.get("name"):
        if unlocked is None:
            return _locked(request)
        defender_ids = [d.pk for d in services.find_defenders(desk, unlocked, data["name"])]
    elif unlocked is not None:
        services.index_pending_names(desk, unlocked)
    incidents = queries.filter_inbox(desk, data, defender_ids)
    incidents = incidents.select_related("assignee").prefetch_related("attack_types")
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unread = conversation.unread_counts([i.pk for i in page], Message.Author.REPORTER)
    return render(request, "registry/inbox.html", {
        "desk": desk, "form": form, "page": page, "query": query.urlencode(),
        "rows": [(i, countries.name(i.country) if i.country else "", unread.get(i.pk, 0)) for i in page],
    })


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def incident_new(request: HttpRequest, desk_slug: str) -> HttpResponse:
    desk = _desk(request, desk_slug)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, unlocked = signed_in_user(request), _unlocked(request)
        defenders = []
        if form.cleaned_data["defender_name"]:
            defenders.append(services.create_defender(
                user, desk, name=form.cleaned_data["defender_name"], kind=form.cleaned_data["defender_kind"],
                profiles=form.cleaned_data["profiles"], unlocked=unlocked))
        incident = services.record_incident(user, desk, form.incident_data(), defenders=defenders,
                                            submission_key=form.cleaned_data["submission_key"])
        messages.success(request, _("The incident was recorded."))
        return redirect("registry:incident", incident_id=incident.pk)
    return render(request, "registry/incident_form.html", {"form": form, "desk": desk})


@require_GET
@documenter_required
@staff_page
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(request, incident_id)
    unlocked = _unlocked(request)
    try:
        sealed = sealing.open_incident(unlocked, incident)
        names = [(d, sealing.open_defender_name(unlocked, d)) for d in incident.defenders.all()]
        follow_ups = [(f, sealing.open_follow_up_note(unlocked, f)) for f in incident.follow_ups.all()]
        thread = conversation.open_thread(unlocked, incident)
        help_wanted = sealing.open_help_wanted(unlocked, incident)
    except (KeyLocked, NotAReader, Tampered):
        return _locked(request)
    conversation.mark_read(incident, Message.Author.REPORTER)
    history = [(entry, history_words(entry.action)) for entry in AuditEntry.objects.filter(
        object_type="registry.incident", object_id=str(incident.pk)).order_by("seq")]
    team = Membership.objects.active().filter(desk=incident.desk, role=Role.DOCUMENTER).select_related("user")
    return render(request, "registry/incident_detail.html", {
        "incident": incident, "sealed": sealed, "defenders": names, "follow_ups": follow_ups,
        "history": history, "team": [m.user for m in team],
        "country_name": countries.name(incident.country) if incident.country else "",
        "other_desks": permissions.documented_desks(request.user).exclude(pk=incident.desk_id),
        "move_form": MoveForm(desks=Desk.objects.exclude(pk=incident.desk_id)),
        "follow_up_form": FollowUpForm(), "duplicate_form": DuplicateForm(),
        "statuses": [s for s in Incident.Status.choices if s[0] != Incident.Status.DUPLICATE],
        "attachments": [(a, sealing.open_attachment_name(unlocked, a)) for a in incident.attachments.all()],
        "attachment_form": AttachmentForm(),
        "anonymous": incident.channel == Incident.Channel.ANONYMOUS, "thread": thread, "reply_form": ReplyForm(),
        "talks": _talks(incident), "help_wanted": help_wanted,
        "uses": [(use, words["name"], consent.holds(incident, use)) for use, words in USES.items()],
    })


def _talks(incident: Incident) -> bool:
    """Whether the case has someone to talk with: an anonymous reporter, or a defender with an account."""
    return incident.channel == Incident.Channel.ANONYMOUS or incident.reporter_id is not None


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def incident_edit(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(request, incident_id)
    try:
        sealed = sealing.open_incident(_unlocked(request), incident)
        help_wanted = sealing.open_help_wanted(_unlocked(request), incident)
    except (KeyLocked, NotAReader, Tampered):
        return _locked(request)
    initial: dict[str, Any] = {
        **sealed, "occurred_on": incident.occurred_on, "date_precision": incident.date_precision,
        "country": incident.country, "subdivision": incident.subdivision, "victims": incident.victims,
        "reported_to_authorities": incident.reported_to_authorities, "reported_on": incident.reported_on,
        "justice": incident.justice,
        "consent_statistics": incident.consent_statistics, "consent_public_appeal": incident.consent_public_appeal,
        "consent_un": incident.consent_un, "safe_now": incident.safe_now, "help_wanted": help_wanted,
    }
    for relation in ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders"):
        initial[relation] = list(getattr(incident, relation).all())
    form = IncidentForm(request.POST or None, initial=initial)
    for relation in ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders"):
        form.fields[relation].include(getattr(incident, relation).all())  # type: ignore[attr-defined]
    # The people attacked are recorded with the first save and kept apart; this page edits the
    # incident itself, so it neither shows nor asks for them.
    del form.fields["defender_name"], form.fields["defender_kind"]
    if request.method == "POST" and form.is_valid():
        services.update_incident(signed_in_user(request), incident, form.incident_data())
        messages.success(request, _("The incident was saved."))
        return redirect("registry:incident", incident_id=incident.pk)
    return render(request, "registry/incident_form.html", {"form": form, "desk": incident.desk, "incident": incident})


def _set_status(request: HttpRequest, incident: Incident, user: User) -> HttpResponse | None:
    try:
        services.set_status(user, incident, request.POST.get("status", ""))
    except ValueError:
        messages.error(request, _("Choose a status."))
    return None


def _assign(request: HttpRequest, incident: Incident, user: User) -> HttpResponse | None:
    chosen = request.POST.get("assignee") or ""
    team = Membership.objects.active().filter(desk=incident.desk, role=Role.DOCUMENTER)
    assignee = team.filter(user_id=chosen).first() if chosen.isdigit() else None
    services.assign(user, incident, assignee.user if assignee else None)
    return None


def _duplicate(request: HttpRequest, incident: Incident, user: User) -> HttpResponse | None:
    form = DuplicateForm(request.POST)
    original = Incident.objects.filter(pk=form.data.get("original") or 0, desk=incident.desk).first() \
        if form.is_valid() else None
    if original is None or original.pk == incident.pk:
        messages.error(request, _("There is no other incident with this number in your desk."))
    else:
        services.mark_duplicate(user, incident, original)
        messages.success(request, _("Marked as a duplicate; its details were added to the original."))
    return None


def _follow_up(request: HttpRequest, incident: Incident, user: User) -> HttpResponse | None:
    follow_up = FollowUpForm(request.POST)
    if follow_up.is_valid():
        services.add_follow_up(user, incident, **follow_up.cleaned_data)
    else:
        messages.error(request, _("A follow-up needs a date and a note."))
    return None


def _attach(request: HttpRequest, incident: Incident, user: User) -> HttpResponse | None:
    attach = AttachmentForm(files=request.FILES)
    if not attach.is_valid():  # none chosen, or over the limit: nothing stored, and said
        for error in attach.errors.get("file", []):
            messages.error(request, str(error))
        return None
    upload = attach.cleaned_data["file"]
    try:
        services.add_attachment(user, incident, filename=upload.name or "file",
                                content_type=upload.content_type or "", file=upload, size=upload.size or 0)
    except services.AttachmentRefused:
        messages.error(request, uploads.too_large_message(settings.ATTACHMENT_MAX_BYTES))
    except services.AttachmentNotStored:
        messages.error(request, _("The file could not be stored just now; nothing was added. Try again in a "
                                  "few minutes."))
    else:
        messages.success(request, _("The file was added, locked for the desk."))
    return None


def _reply(request: HttpRequest, incident: Incident, user: User) -> HttpResponse | None:
    if not _talks(incident):
        raise Http404
    reply = ReplyForm(request.POST)
    if reply.is_valid():
        if incident.channel == Incident.Channel.ANONYMOUS:
            intake.reply_to_reporter(user, incident, reply.cleaned_data["text"])
        else:
            conversation.reply_to_defender(user, incident, reply.cleaned_data["text"])
        messages.success(request, _("Your answer was sent. She will read it when she comes back."))
    else:
        messages.error(request, _("Write an answer first."))
    return None


def _withdraw_consent(request: HttpRequest, incident: Incident, user: User) -> HttpResponse | None:
    services.withdraw_consent(user, incident)
    messages.success(request, _("Consent withdrawn: the incident is for documentation only from now on."))
    return None


def _move(request: HttpRequest, incident: Incident, user: User) -> HttpResponse | None:
    move = MoveForm(request.POST, desks=Desk.objects.exclude(pk=incident.desk_id))
    unlocked = _unlocked(request)
    if not move.is_valid():
        messages.error(request, _("Choose a desk."))
        return None
    if unlocked is None:
        return _locked(request)
    target = move.cleaned_data["desk"]
    services.move_to_desk(user, incident, target, unlocked)
    messages.success(request, _("The case was handed to %(desk)s.") % {"desk": target.name})
    # The case left this desk: back to her inbox, where it no longer is.
    return redirect("registry:inbox", desk_slug=_home_desk(request, target))


ActionHandler = Callable[[HttpRequest, Incident, User], HttpResponse | None]
ACTIONS: dict[str, ActionHandler] = {
    "status": _set_status,
    "assign": _assign,
    "duplicate": _duplicate,
    "follow-up": _follow_up,
    "attach": _attach,
    "reply": _reply,
    "withdraw-consent": _withdraw_consent,
    "move": _move,
}


@require_POST
@documenter_required
@staff_page
def incident_action(request: HttpRequest, incident_id: int, action: str) -> HttpResponse:
    """Triage, assignment, duplicates, follow-ups, consent withdrawal and moving to another
    desk: each a POST from the incident's page, each one small handler and one service call."""
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    incident = _incident(request, incident_id)
    response = handler(request, incident, signed_in_user(request))
    return response or redirect("registry:incident", incident_id=incident.pk)


@require_GET
@documenter_required
@staff_page
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """Always a download (never shown in the page), with nosniff: a hostile file cannot run."""
    found = get_object_or_404(Attachment, pk=attachment_id,
                              incident__desk__in=permissions.documented_desks(request.user))
    try:
        name, chunks = services.open_attachment(_unlocked(request), found)
    except (KeyLocked, NotAReader, Tampered):
        return _locked(request)
    except services.AttachmentUnavailable:
        messages.error(request, _("The file cannot be read from storage just now. Try again in a few minutes."))
        return redirect("registry:incident", incident_id=found.incident_id)
    response = StreamingHttpResponse(chunks, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _home_desk(request: HttpRequest, fallback: Desk) -> str:
    desk = permissions.documented_desks(request.user).first()
    return desk.slug if desk is not None else fallback.slug


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def incident_consent(request: HttpRequest, incident_id: int, use: str) -> HttpResponse:
    """A member of the desk records one use given or taken back: who gave it and how, after a
    page that says what changes."""
    if use not in USES:
        raise Http404
    incident = _incident(request, incident_id)
    given = not consent.holds(incident, use)
    form = RecordedConsentForm(request.POST or None, initial={"given": "yes" if given else "no"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        consent.set_consent(signed_in_user(request), incident, use, d["given"] == "yes", given_by=d["given_by"],
                            how=d["how"])
        messages.success(request, _("Recorded: %(change)s") % {
            "change": USES[use]["give_staff" if d["given"] == "yes" else "take_back_staff"]})
        return redirect("registry:incident", incident_id=incident.pk)
    return render(request, "registry/consent_confirm.html", {
        "incident": incident, "form": form, "given": given, "name": USES[use]["name"],
        "change": USES[use]["give_staff" if given else "take_back_staff"], "staff": True,
    }, status=400 if form.errors else 200)
