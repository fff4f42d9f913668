"""The support pages of people with an account: her requests, asking with her account, a
documenter filing for her, a request's page (hers, a reviewer's, or her desk's view of its state
only), the reviewers' decisions and the conversation. Thin: parse, authorise (rules.py), call a
service, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.accounts.requests import signed_in_user
from amparo.network import permissions
from amparo.network.models import Role
from amparo.registry.models import AnonymousReceipt, Incident
from amparo.vault import session as vault_session
from amparo.vault.errors import KeyLocked, NotAReader, Tampered
from amparo.vault.services import Unlocked

from . import presenting, queries, rules, sealing, services
from .forms import DecisionForm, MessageForm, RequestForm
from .models import Decision, Kind, SupportMessage, SupportRequest, Urgency

LOCKED = (KeyLocked, NotAReader, Tampered)


@dataclass
class MemberOpener:
    unlocked: Unlocked | None

    def details(self, request: SupportRequest) -> dict[str, str]:
        return sealing.open_details(self.unlocked, request)

    def note(self, decision: Decision) -> str:
        return sealing.open_note(self.unlocked, decision)

    def message(self, message: SupportMessage) -> str:
        return sealing.open_message(self.unlocked, message)


def prefill(incident: Incident | None, help_wanted: str = "") -> dict[str, Any]:
    """Her report's answers as a request's first values: not safe (or not sure) leads to
    relocation, urgently when she said she is not safe."""
    if incident is None:
        return {}
    initial: dict[str, Any] = {"country": incident.country, "help_wanted": help_wanted}
    if incident.safe_now in (Incident.Safety.NO, Incident.Safety.UNSURE):
        initial["kind"] = Kind.RELOCATION
        initial["urgency"] = Urgency.CRITICAL if incident.safe_now == Incident.Safety.NO else Urgency.HIGH
    return initial


@require_GET
@rules.index_required
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    reviewing = list(queries.reviewable_requests(user).order_by("status", "due_at")[:200])
    desks = list(permissions.documented_desks(user))
    desk_requests = list(queries.SupportRequest.objects.filter(desk__in=desks).order_by("-created_at")[:200])
    return render(request, "support/index.html", {
        "mine": [(r, presenting.plain_state(r)) for r in user.support_requests.order_by("-created_at")],
        "reviewing": [(r, presenting.is_overdue(r)) for r in reviewing],
        "desk_requests": desk_requests, "defender": permissions.has_role(user, Role.DEFENDER),
        "reviewer": bool(reviewing) or permissions.has_role(user, Role.FUND_REVIEWER)})


def _show_form(request: HttpRequest, form: RequestForm, *, incident: Incident | None, on_behalf: bool = False,
               status: int = 200) -> HttpResponse:
    return render(request, "support/request_form.html", {"form": form, "incident": incident,
                                                         "on_behalf": on_behalf}, status=status)


@require_http_methods(["GET", "POST"])
@rules.defender_required
def new(request: HttpRequest) -> HttpResponse:
    """She asks with her account; ?incident=<id> (one of her reports) prefills and links it."""
    user = signed_in_user(request)
    incident = rules.own_incident(user, request.GET.get("incident"))
    if request.method == "GET":
        help_wanted = sealing.open_help_wanted(vault_session.unlocked_for(request), incident) if incident else ""
        return _show_form(request, RequestForm(initial=prefill(incident, help_wanted)), incident=incident)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _show_form(request, form, incident=incident, status=400)
    asker = services.Asker(actor=user, channel=SupportRequest.Channel.MEMBER, network=rules.defender_network(user),
                           requester=user)
    made = services.make_request(asker, form.request_data([incident] if incident else []),
                                 submission_key=form.cleaned_data.get("submission_key"))
    messages.success(request, _("Your request is sent."))
    return redirect("support:detail", request_id=made.pk)


def _her_keys(incident: Incident) -> tuple[User | None, AnonymousReceipt | None]:
    receipt = AnonymousReceipt.objects.filter(incident=incident).first()
    return incident.reporter, (receipt if incident.reporter is None else None)


@require_http_methods(["GET", "POST"])
@rules.documenter_required
def file(request: HttpRequest, incident_id: int) -> HttpResponse:
    """A documenter files for her, linked to the incident: sealed to the reviewers and to her,
    not to the documenter."""
    user = signed_in_user(request)
    incident = rules.incident_for_documenter(user, incident_id)
    if request.method == "GET":
        help_wanted = sealing.open_help_wanted(vault_session.unlocked_for(request), incident)
        return _show_form(request, RequestForm(initial=prefill(incident, help_wanted)), incident=incident,
                          on_behalf=True)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _show_form(request, form, incident=incident, on_behalf=True, status=400)
    requester, receipt = _her_keys(incident)
    asker = services.Asker(actor=user, channel=SupportRequest.Channel.DOCUMENTER, network=incident.desk.network,
                           desk=incident.desk, requester=requester, receipt=receipt, filed_by=user)
    made = services.make_request(asker, form.request_data([incident]),
                                 submission_key=form.cleaned_data.get("submission_key"))
    messages.success(request, _("The request is sent to the fund reviewers. It is sealed to them and to her: "
                                "you will see its state, not its words."))
    return redirect("support:detail", request_id=made.pk)


def _detail(request: HttpRequest, found: SupportRequest, *, decision_form: DecisionForm | None = None,
            message_form: MessageForm | None = None, status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    reviewer, requester = rules.is_reviewer(user, found), rules.is_requester(user, found)
    context: dict[str, Any] = {"r": found, "reviewer": reviewer, "requester": requester,
                               "plain": presenting.plain_state(found), "overdue": presenting.is_overdue(found)}
    if reviewer or requester:
        try:
            context["shown"] = presenting.shown(found, MemberOpener(vault_session.unlocked_for(request)))
        except LOCKED:
            return render(request, "network/key_locked.html", status=403)
        context["message_form"] = message_form or MessageForm()
    if reviewer:
        context["fitting"], context["excluded"] = queries.matches_for(found)
        context["decision_form"] = decision_form or DecisionForm(funds=queries.directory_for(user))
        context["waiting_confirmation"] = found.decisions.filter(confirmed_by__isnull=True).exclude(
            reviewer=user).last() if found.status == SupportRequest.Status.CONFIRMING else None
    return render(request, "support/detail.html", context, status=status)


@require_GET
@login_required
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, rules.visible(signed_in_user(request), request_id))


@require_POST
@rules.index_required
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = rules.reviewable(user, request_id)
    form = DecisionForm(request.POST, funds=queries.directory_for(user))
    if not form.is_valid():
        return _detail(request, found, decision_form=form, status=400)
    d = form.cleaned_data
    try:
        services.decide(user, found, outcome=d["outcome"], amount=d.get("amount"), currency=d.get("currency") or "",
                        fund=d.get("fund"), note=d.get("note") or "")
    except services.DecisionRefused as refused:
        form.add_error(refused.field, str(refused))
        return _detail(request, found, decision_form=form, status=400)
    messages.success(request, _("Decision recorded. She can read it now."))
    return redirect("support:detail", request_id=found.pk)


@require_POST
@rules.index_required
def confirm(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = rules.reviewable(user, request_id)
    decision = found.decisions.filter(confirmed_by__isnull=True).last()
    try:
        if decision is None:
            raise services.DecisionRefused(_("This decision does not wait for a second reviewer."))
        services.confirm(user, decision)
        messages.success(request, _("Confirmed. She can read the decision now."))
    except services.DecisionRefused as refused:
        messages.error(request, str(refused))
    return redirect("support:detail", request_id=found.pk)


@require_POST
@rules.index_required
def payment(request: HttpRequest, request_id: int) -> HttpResponse:
    """A reviewer records a disbursement step (planned, sent, received)."""
    user = signed_in_user(request)
    found = rules.reviewable(user, request_id)
    try:
        services.record_payment(user, found, request.POST.get("step", ""))
        messages.success(request, _("Payment step recorded."))
    except services.DecisionRefused as refused:
        messages.error(request, str(refused))
    return redirect("support:detail", request_id=found.pk)


@require_POST
@login_required
def message(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = rules.conversable(user, request_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _detail(request, found, message_form=form, status=400)
    author = SupportMessage.Author.REVIEWER if rules.is_reviewer(user, found) else SupportMessage.Author.REQUESTER
    services.add_message(user, found, form.cleaned_data["body"], author=author)
    messages.success(request, _("Sent."))
    return redirect("support:detail", request_id=found.pk)

