"""The staff pages of appeals. Thin views: parse, authorise (documenters of the appeal's desk
and coordinators of its network see it; 404 for everyone else's; 403 for a role that never
may), call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.accounts.requests import signed_in_user
from amparo.core.security import staff_page
from amparo.network import countries, permissions
from amparo.network.models import Role
from amparo.registry.models import Incident
from amparo.vault import session as vault_session
from amparo.vault.errors import KeyLocked, NotAReader, Tampered
from amparo.vault.services import Unlocked

from . import figures, queries, sealing, services
from .forms import AddresseeForm, AppealForm, CloseForm, ResponseForm, TextFields, UpdateForm
from .models import LANGUAGE_CODES, LANGUAGES, Addressee, Appeal, AppealText, AppealUpdate
from .queries import visible_appeals

documenter_required = permissions.role_required(Role.DOCUMENTER)
staff_required = permissions.role_required(Role.DOCUMENTER, Role.COORDINATOR)
coordinator_required = permissions.coordinator_required


def _appeal(request: HttpRequest, appeal_id: int) -> Appeal:
    return get_object_or_404(visible_appeals(request.user), pk=appeal_id)


def _own_appeal(request: HttpRequest, appeal_id: int) -> Appeal:
    """For documenters' pages: her desk's appeal, 404 for another desk's."""
    desks = permissions.documented_desks(request.user)
    return get_object_or_404(Appeal.objects.select_related("desk", "network"), pk=appeal_id, desk__in=desks)


class _Locked(Exception):
    """Her key does not open the sealed draft (not unlocked in this session, or no grant yet)."""


def _opened(request: HttpRequest, row: Any) -> Any:
    """The row with its words readable (sealing.open_draft); raises _Locked."""
    if row is None:
        return None
    try:
        return sealing.open_draft(vault_session.unlocked_for(request), row)
    except (KeyLocked, NotAReader, Tampered) as exc:
        raise _Locked from exc


def _locked(request: HttpRequest) -> HttpResponse:
    return render(request, "network/key_locked.html")


def _refused(request: HttpRequest, refusal: services.AppealRefused, appeal: Appeal) -> HttpResponse:
    messages.error(request, str(refusal))
    return redirect("appeals:detail", appeal_id=appeal.pk)


@require_GET
@staff_required
@staff_page
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    appeals = visible_appeals(user).prefetch_related("texts").order_by("-created_at")[:200]
    rows = []
    for appeal in appeals:
        try:
            text = _opened(request, appeal.text())
        except _Locked:  # a draft her key does not open: listed by its number
            text = None
        rows.append((appeal, text.title if text else ""))
    return render(request, "appeals/index.html", {
        "rows": rows, "desks": permissions.documented_desks(user),
        "coordinates": permissions.has_role(user, Role.COORDINATOR),
    })


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def new(request: HttpRequest, desk_slug: str) -> HttpResponse:
    desk = get_object_or_404(permissions.documented_desks(request.user), slug=desk_slug)
    initial: dict[str, Any] = {"language": (request.LANGUAGE_CODE or "en")[:2]}
    refusal = ""
    wanted = request.GET.get("incident", "")
    if wanted.isdigit():  # "Draft an appeal" from an incident's page
        incident = get_object_or_404(Incident.objects.counted(), pk=int(wanted), desk=desk)
        if incident.consent_public_appeal:
            initial.update(incident=incident.pk, country=incident.country[:2])
        else:
            refusal = _("This incident cannot be the subject of a public appeal: the defender has not consented "
                        "to it.")
    form = AppealForm(request.POST or None, desk=desk, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.draft_appeal(signed_in_user(request), desk, form.appeal_data(),
                                           incident=form.cleaned_data.get("incident"),
                                           submission_key=form.cleaned_data.get("submission_key") or None)
        except services.AppealRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The draft was saved. Add at least one addressee, then send it for review."))
            return redirect("appeals:detail", appeal_id=appeal.pk)
    return render(request, "appeals/appeal_form.html", {"form": form, "desk": desk, "refusal": refusal},
                  status=400 if form.errors else 200)


@require_GET
@staff_required
@staff_page
def detail(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = _appeal(request, appeal_id)
    user = signed_in_user(request)
    texts = {t.language: t for t in appeal.texts.all()}
    try:
        text = _opened(request, appeal.text())
        addressees = [_opened(request, a) for a in appeal.addressees.all()]
        updates = [(u, _opened(request, u.text())) for u in appeal.updates.prefetch_related("texts")]
        responses = [(r, sealing.open_response(vault_session.unlocked_for(request), r))
                     for r in appeal.responses.all()]
    except (_Locked, KeyLocked, NotAReader, Tampered):
        return _locked(request)
    return render(request, "appeals/appeal_detail.html", {
        "appeal": appeal, "text": text, "country_name": countries.name(appeal.country),
        "languages": [(code, name, code in texts, code == appeal.language) for code, name in LANGUAGES],
        "addressees": addressees, "addressee_form": AddresseeForm(),
        "updates": updates, "responses": responses,
        "response_form": ResponseForm(), "by_kind": figures.actions_by_kind(appeal),
        "by_country": figures.actions_by_country(appeal), "total": appeal.actions.count(),
        "documents": permissions.is_documenter_of(user, appeal.desk),
        "coordinates": permissions.is_coordinator_of(user, appeal.network),
        "wrote": services.wrote_part_of(user, appeal),
        "history": queries.history(appeal),
    })


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def edit(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = _own_appeal(request, appeal_id)
    if not appeal.editable:
        messages.error(request, _("An approved or stopped appeal cannot be changed; add an update instead."))
        return redirect("appeals:detail", appeal_id=appeal.pk)
    try:
        text = _opened(request, appeal.text())
    except _Locked:
        return _locked(request)
    initial = {"language": appeal.language, "country": appeal.country, "themes": list(appeal.themes.all()),
               "incident": appeal.incident_id,
               **({name: getattr(text, name) for name in sealing.TEXT_FIELDS} if text else {})}
    form = AppealForm(request.POST or None, initial=initial, desk=appeal.desk)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_appeal(signed_in_user(request), appeal, form.appeal_data(),
                                 incident=form.cleaned_data.get("incident"))
        except services.AppealRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Saved."))
            return redirect("appeals:detail", appeal_id=appeal.pk)
    return render(request, "appeals/appeal_form.html", {"form": form, "desk": appeal.desk, "appeal": appeal},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def translate(request: HttpRequest, appeal_id: int, language: str) -> HttpResponse:
    appeal = _own_appeal(request, appeal_id)
    if language not in LANGUAGE_CODES or language == appeal.language:
        raise Http404
    try:
        existing = _opened(request, AppealText.objects.filter(appeal=appeal, language=language).first())
        original = _opened(request, appeal.text())
    except _Locked:
        return _locked(request)
    initial = {name: getattr(existing, name) for name in sealing.TEXT_FIELDS} if existing else None
    form = TextFields(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.translate_appeal(signed_in_user(request), appeal, language, form.cleaned_data)
        except services.AppealRefused as refusal:
            return _refused(request, refusal, appeal)
        messages.success(request, _("The translation was saved."))
        return redirect("appeals:detail", appeal_id=appeal.pk)
    return render(request, "appeals/translate.html", {
        "form": form, "appeal": appeal, "original": original, "language": dict(LANGUAGES)[language],
        "code": language}, status=400 if form.errors else 200)


@require_POST
@documenter_required
@staff_page
def addressee_add(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = _own_appeal(request, appeal_id)
    form = AddresseeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The addressee needs at least the authority's name; check the e-mail address."))
        return redirect("appeals:detail", appeal_id=appeal.pk)
    try:
        services.add_addressee(signed_in_user(request), appeal, **form.cleaned_data)
    except services.AppealRefused as refusal:
        return _refused(request, refusal, appeal)
    return redirect("appeals:detail", appeal_id=appeal.pk)


@require_POST
@documenter_required
@staff_page
def addressee_remove(request: HttpRequest, addressee_id: int) -> HttpResponse:
    addressee = get_object_or_404(Addressee.objects.select_related("appeal"), pk=addressee_id,
                                  appeal__desk__in=permissions.documented_desks(request.user))
    try:
        services.remove_addressee(signed_in_user(request), addressee)
    except services.AppealRefused as refusal:
        return _refused(request, refusal, addressee.appeal)
    return redirect("appeals:detail", appeal_id=addressee.appeal_id)


@dataclass(frozen=True)
class Step:
    """One of the buttons that move an appeal or an update on: the service it calls (with the
    member, the row and her unlocked key, which only approval uses), who may press it, and
    what the page says when it is done."""

    run: Callable[[User, Any, Unlocked | None], object]
    role: str
    done: Any


STEPS: dict[str, Step] = {
    "submit": Step(lambda user, appeal, _key: services.submit_for_review(user, appeal), Role.DOCUMENTER,
                   gettext_lazy("Sent for review.")),
    "approve": Step(lambda user, appeal, key: services.approve_appeal(user, appeal, unlocked=key), Role.COORDINATOR,
                    gettext_lazy("Approved: the appeal is public.")),
    "return": Step(lambda user, appeal, _key: services.return_to_draft(user, appeal), Role.COORDINATOR,
                   gettext_lazy("Sent back to the desk.")),
    "stop": Step(lambda user, appeal, _key: services.stop_appeal(user, appeal), Role.COORDINATOR,
                 gettext_lazy("Stopped: the appeal is no longer public or sent.")),
}


@require_POST
@staff_required
@staff_page
def step(request: HttpRequest, appeal_id: int, step: str) -> HttpResponse:
    appeal = _appeal(request, appeal_id)
    chosen = STEPS.get(step)
    if chosen is None:
        raise Http404
    user = signed_in_user(request)
    allowed = (permissions.is_documenter_of(user, appeal.desk) if chosen.role == Role.DOCUMENTER
               else permissions.is_coordinator_of(user, appeal.network))
    if not allowed:
        raise PermissionDenied
    try:
        chosen.run(user, appeal, vault_session.unlocked_for(request))  # approval opens the draft with her key
    except services.AppealRefused as refusal:
        return _refused(request, refusal, appeal)
    messages.success(request, str(chosen.done))
    return redirect("appeals:detail", appeal_id=appeal.pk)


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def update_new(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = _own_appeal(request, appeal_id)
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_update(signed_in_user(request), appeal, **form.cleaned_data)
        except services.AppealRefused as refusal:
            return _refused(request, refusal, appeal)
        messages.success(request, _("The update waits for a coordinator's approval."))
        return redirect("appeals:detail", appeal_id=appeal.pk)
    return render(request, "appeals/update_form.html", {"form": form, "appeal": appeal},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def update_translate(request: HttpRequest, update_id: int, language: str) -> HttpResponse:
    update = get_object_or_404(AppealUpdate.objects.select_related("appeal", "appeal__desk"), pk=update_id,
                               appeal__desk__in=permissions.documented_desks(request.user))
    if language not in LANGUAGE_CODES:
        raise Http404
    try:
        existing = _opened(request, update.texts.filter(language=language).first())
        original = _opened(request, update.text())
    except _Locked:
        return _locked(request)
    initial = {"title": existing.title, "body": existing.body} if existing else None
    form = UpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.translate_update(signed_in_user(request), update, language, **form.cleaned_data)
        except services.AppealRefused as refusal:
            return _refused(request, refusal, update.appeal)
        messages.success(request, _("The translation was saved."))
        return redirect("appeals:detail", appeal_id=update.appeal_id)
    return render(request, "appeals/update_form.html", {
        "form": form, "appeal": update.appeal, "update": update, "original": original,
        "language": dict(LANGUAGES)[language], "code": language}, status=400 if form.errors else 200)


UPDATE_STEPS: dict[str, Step] = {
    "approve": Step(lambda user, update, key: services.approve_update(user, update, unlocked=key), Role.COORDINATOR,
                    gettext_lazy("Done.")),
    "stop": Step(lambda user, update, _key: services.stop_update(user, update), Role.COORDINATOR,
                 gettext_lazy("Done.")),
}


@require_POST
@coordinator_required
@staff_page
def update_step(request: HttpRequest, update_id: int, step: str) -> HttpResponse:
    update = get_object_or_404(AppealUpdate.objects.select_related("appeal", "appeal__network"), pk=update_id,
                               appeal__network__in=permissions.coordinated_networks(request.user))
    chosen = UPDATE_STEPS.get(step)
    if chosen is None:
        raise Http404
    try:
        chosen.run(signed_in_user(request), update, vault_session.unlocked_for(request))
    except services.AppealRefused as refusal:
        return _refused(request, refusal, update.appeal)
    messages.success(request, str(chosen.done))
    return redirect("appeals:detail", appeal_id=update.appeal_id)


@require_POST
@documenter_required
@staff_page
def response_add(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = _own_appeal(request, appeal_id)
    form = ResponseForm(request.POST)
    if form.is_valid():
        services.log_response(signed_in_user(request), appeal, **form.cleaned_data)
        messages.success(request, _("Logged."))
    else:
        messages.error(request, _("A response needs its date and a note."))
    return redirect("appeals:detail", appeal_id=appeal.pk)


@require_http_methods(["GET", "POST"])
@documenter_required
@staff_page
def close(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = _own_appeal(request, appeal_id)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_appeal(signed_in_user(request), appeal, **form.cleaned_data)
        except services.AppealRefused as refusal:
            return _refused(request, refusal, appeal)
        messages.success(request, _("The appeal is closed with its outcome."))
        return redirect("appeals:detail", appeal_id=appeal.pk)
    return render(request, "appeals/close.html", {"form": form, "appeal": appeal}, status=400 if form.errors else 200)


@require_GET
@coordinator_required
@staff_page
def network_figures(request: HttpRequest) -> HttpResponse:
    appeals = Appeal.objects.filter(network__in=permissions.coordinated_networks(request.user))
    found = figures.network_figures(appeals)
    return render(request, "appeals/figures.html", {
        "figures": found, "to_approval": _span(found.to_approval), "to_circulation": _span(found.to_circulation),
        "rates": [(_("Favourable outcomes by country"), _("Country"), found.by_country),
                  (_("Favourable outcomes by type of attack"), _("Type of attack"), found.by_attack)],
    })


def _span(value: timedelta | None) -> str:
    if value is None:
        return "—"
    hours = int(value.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if days:
        return ngettext("%(d)d day", "%(d)d days", days) % {"d": days} + (
            " " + ngettext("%(h)d hour", "%(h)d hours", hours) % {"h": hours} if hours else "")
    return ngettext("%(h)d hour", "%(h)d hours", hours) % {"h": hours} if hours else _("less than an hour")
