"""Supporters' pages: subscribing (public), confirming, preferences and unsubscribing from her
own link (no login), and the coordinators' page to import and export the list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts import gates
from amparo.accounts.requests import signed_in_user
from amparo.core.errors import reshows_on_csrf_failure, too_many_requests
from amparo.core.security import staff_page
from amparo.network import permissions

from . import queries, sealing
from .forms import ExportForm, ImportForm, InterestsForm, SubscribeForm
from .models import LANGUAGE_CODES, Supporter
from .services import subscriptions
from .views_public import WINDOW, within_action_limit


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _language() -> str:
    code = (translation.get_language() or "en")[:2]
    return code if code in LANGUAGE_CODES else "en"


def _busy(request: HttpRequest) -> HttpResponse:
    return too_many_requests(request, WINDOW)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the address is known: "check your inbox"."""
    form = SubscribeForm(request.POST or None, initial={"languages": [_language()], "by_email": True})
    if request.method == "POST":
        if not within_action_limit():
            return _busy(request)
        if form.is_valid():
            d = form.cleaned_data
            subscriptions.subscribe(d["email"], form.interests(), base_url=_base_url(request), phone=d["phone"],
                                    name=d["name"], kind=d["kind"])
            return render(request, "appeals/subscribe_sent.html", {"days": subscriptions.CONFIRMATION_DAYS})
    return render(request, "appeals/subscribe.html", {"form": form}, status=400 if form.errors else 200)


def _reshow_subscribe(request: HttpRequest) -> HttpResponse:
    """After a refused CSRF check (core.errors.csrf_failure): her answers, to send again."""
    return render(request, "appeals/subscribe.html", {"form": SubscribeForm(request.POST)}, status=403)


reshows_on_csrf_failure(_reshow_subscribe)(subscribe)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows a button; the POST spends it (mail scanners only GET)."""
    if request.method == "POST":
        supporter = subscriptions.confirm(token)
        if supporter is None:
            return render(request, "appeals/link_gone.html", status=404)
        messages.success(request, _("Thank you: you are subscribed. Here you can change what you receive."))
        return redirect("appeals:preferences", token=sealing.open_supporter_token(supporter))
    if subscriptions.confirmation_for(token) is None:
        return render(request, "appeals/link_gone.html", status=404)
    return render(request, "appeals/confirm.html")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    supporter = subscriptions.supporter_for_token(token)
    if supporter is None:
        return render(request, "appeals/link_gone.html", status=404)
    current = subscriptions.interests_of(supporter)
    initial = {"languages": current.languages, "countries": current.countries, "themes": current.themes,
               "by_email": current.by_email, "by_sms": current.by_sms, "has_phone": bool(supporter.phone)}
    form = InterestsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"].strip() or None  # blank keeps the number she gave
        subscriptions.change_preferences(supporter, form.interests(), phone=phone)
        messages.success(request, _("Saved."))
        return redirect("appeals:preferences", token=token)
    return render(request, "appeals/preferences.html", {
        "form": form, "supporter": supporter, "token": token,
        "subscribed": supporter.status == Supporter.Status.CONFIRMED,
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One button, no login, no questions."""
    supporter = subscriptions.supporter_for_token(token)
    if supporter is None:
        return render(request, "appeals/link_gone.html", status=404)
    if request.method == "POST":
        subscriptions.unsubscribe(supporter)
        return render(request, "appeals/unsubscribed.html", {"token": token})
    return render(request, "appeals/unsubscribe.html", {"token": token})


# --- Coordinators ---------------------------------------------------------------------------

def _staff_page(request: HttpRequest, *, import_form: ImportForm | None = None,
                export_form: ExportForm | None = None, status: int = 200) -> HttpResponse:
    return render(request, "appeals/supporters.html", {
        "counts": queries.supporter_counts(), "import_form": import_form or ImportForm(),
        "export_form": export_form or ExportForm(),
        "may_export": permissions.coordinates_a_coalition(request.user),
    }, status=status)


@require_GET
@permissions.coordinator_required
@staff_page
def supporters(request: HttpRequest) -> HttpResponse:
    """Counts only: the list itself is never shown."""
    return _staff_page(request)


@require_POST
@permissions.coordinator_required
@staff_page
def supporters_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _staff_page(request, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > 5 * 1024 * 1024:
        form.add_error("file", _("At most 5 MB."))
        return _staff_page(request, import_form=form, status=400)
    result = subscriptions.import_supporters(signed_in_user(request), subscriptions.read_csv(upload.read()),
                                             base_url=_base_url(request))
    messages.success(request, _("%(n)d people were sent an e-mail to confirm. Nobody receives appeals before "
                                "confirming.") % {"n": result.invited})
    for line, reason in result.refused[:20]:
        messages.error(request, _("Line %(line)d: %(reason)s") % {"line": line, "reason": reason})
    return redirect("appeals:supporters")


@require_POST
@permissions.coordinator_required
@staff_page
def supporters_export(request: HttpRequest) -> HttpResponse:
    """The whole list of supporters is the coalition's: only its coordinators take it out."""
    if not permissions.coordinates_a_coalition(request.user):
        raise PermissionDenied
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, export_form=form, status=400)
    try:
        data = subscriptions.export_supporters(signed_in_user(request), form.cleaned_data["code"])
    except subscriptions.SecondFactorRefused:
        form.add_error("code", _("This code is wrong or was already used. Wait for the next one."))
        return _staff_page(request, export_form=form, status=403)
    except gates.TooManyAttempts as refusal:
        form.add_error("code", gates.form_error(refusal))
        return gates.refused(_staff_page(request, export_form=form), refusal.retry_after)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"supporters-{timezone.localdate().isoformat()}.csv")
    response["Cache-Control"] = "no-store"
    return response
