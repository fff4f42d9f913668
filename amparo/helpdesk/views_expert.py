"""The ICT experts' side: the queue of requests of her networks, a request's conversation with
the reply templates of its category, taking a request, her profile, and the directory of
experts with the desk's figures."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.helpdesk import queries, replies, rules, services
from amparo.helpdesk.forms import ProfileForm, ReplyForm, StatusForm
from amparo.helpdesk.models import Category, ExpertProfile, HelpRequest
from amparo.helpdesk.services.requests import OPEN_STATUSES, load_of
from amparo.network import permissions
from amparo.network.models import Role
from amparo.vault import session as vault_session
from amparo.vault.errors import VaultError


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@rules.expert_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    scope = rules.requests_for_expert(user).select_related("expert")
    mine = scope.filter(expert=user, status__in=OPEN_STATUSES)
    waiting = scope.filter(Q(expert__isnull=True) | ~Q(expert=user), status__in=OPEN_STATUSES)
    resolved = scope.filter(status=HelpRequest.Status.RESOLVED)[:20]
    return render(request, "helpdesk/queue.html", {
        "mine": mine, "others": waiting, "resolved": resolved,
        "has_profile": ExpertProfile.objects.filter(user=user).exists()})


def _request_page(request: HttpRequest, found: HelpRequest, form: ReplyForm, status: int = 200) -> HttpResponse:
    try:
        thread = services.open_thread(vault_session.unlocked_for(request), found)
        locked = False
    except VaultError:  # her key is not unlocked here, or her grant for the ring is still pending
        thread, locked = [], True
    return render(request, "helpdesk/request.html", {
        "help": found, "thread": thread, "locked": locked, "form": form,
        "templates": replies.templates_for(found.category, found.language),
        "status_form": StatusForm(initial={"status": found.status}, prefix="change"),
        "escalations": found.escalations.order_by("minutes"),
        "guides": queries.guides_for(found.category, found.language)}, status=status)


@rules.expert_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, help_id: int) -> HttpResponse:
    """The request, its conversation and the answer box (filled from a template by GET
    `?template=first`)."""
    user = signed_in_user(request)
    found = rules.request_for_expert(user, help_id)
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            services.reply_as_expert(user, found, form.cleaned_data["text"], status=form.cleaned_data["status"])
            messages.success(request, _("Your answer is sent. She reads it on her page."))
            return _see_other(request.path)
        return _request_page(request, found, form, status=400)
    text = replies.template_text(found.category, request.GET.get("template", ""), found.language)
    return _request_page(request, found, ReplyForm(initial={"text": text} if text else None))


@rules.expert_required
@require_POST
def take(request: HttpRequest, help_id: int) -> HttpResponse:
    user = signed_in_user(request)
    services.take_request(user, rules.request_for_expert(user, help_id))
    messages.success(request, _("The request is yours now."))
    return _see_other(reverse("helpdesk:request", args=[help_id]))


@rules.expert_required
@require_POST
def status(request: HttpRequest, help_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = rules.request_for_expert(user, help_id)
    form = StatusForm(request.POST, prefix="change")
    if form.is_valid():
        services.change_status(user, found, form.cleaned_data["status"])
        messages.success(request, _("Status changed."))
        return _see_other(reverse("helpdesk:request", args=[help_id]))
    return _request_page(request, found, ReplyForm(), status=400)


@rules.expert_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    membership = permissions.memberships(user).filter(role=Role.ICT_EXPERT).first()
    network = membership.network if membership is not None else None
    current = ExpertProfile.objects.filter(user=user).first()
    initial = ({"kind": current.kind, "languages": current.languages, "skills": current.skills,
                "available": current.available, "lead": current.lead} if current else
               {"available": True, "languages": [queries.reading_language()]})
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid() and network is not None:
        services.save_profile(user, network, services.Profile(**form.cleaned_data))
        messages.success(request, _("Your profile is saved. Requests are matched to you by it."))
        return _see_other(reverse("helpdesk:queue"))
    return render(request, "helpdesk/profile.html", {"form": form}, status=400 if form.errors else 200)


@rules.expert_required
@require_GET
def experts(request: HttpRequest) -> HttpResponse:
    """The directory of experts of her networks (languages, skills, availability, load), and
    the desk's figures."""
    user = signed_in_user(request)
    networks = rules.expert_networks(user)
    profiles = list(ExpertProfile.objects.filter(network__in=networks).select_related("user", "network"))
    load = load_of([p.user_id for p in profiles])
    labels = dict(Category.choices)
    rows = [(p, load.get(p.user_id, 0), [labels.get(s, s) for s in p.skills]) for p in profiles]
    return render(request, "helpdesk/experts.html", {
        "rows": rows, "figures": queries.figures(rules.requests_for_expert(user)), "labels": labels})
