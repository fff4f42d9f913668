"""Lockdown pages: her preparation (the code she gives her trusted contacts, and who they
are), the one button, the trusted contact's page, and her desk's page to undo it after an
identity check. Calm, short pages with no images: they must load on a slow line."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts import gates
from amparo.accounts.requests import signed_in_user
from amparo.helpdesk import queries, rules, sealing, services
from amparo.helpdesk.forms import ContactLockdownForm, LockdownCodeForm, LockNowForm, TrustedContactForm, UndoForm
from amparo.helpdesk.models import Lockdown, TrustedContact


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _prepare_page(request: HttpRequest, *, code_form: LockdownCodeForm | None = None,
                  contact_form: TrustedContactForm | None = None, now_form: LockNowForm | None = None,
                  status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    contacts = [(c, sealing.open_contact_address(c)) for c in TrustedContact.objects.filter(user=user)]
    return render(request, "helpdesk/lockdown.html", {
        "code_form": code_form or LockdownCodeForm(), "has_code": services.has_lockdown_code(user),
        "contact_form": contact_form or TrustedContactForm(initial={"language": queries.reading_language()}),
        "contacts": contacts, "now_form": now_form or LockNowForm()}, status=status)


@login_required
@require_GET
def prepare(request: HttpRequest) -> HttpResponse:
    return _prepare_page(request)


@login_required
@require_POST
def set_code(request: HttpRequest) -> HttpResponse:
    form = LockdownCodeForm(request.POST)
    if not form.is_valid():
        return _prepare_page(request, code_form=form, status=400)
    services.set_lockdown_code(signed_in_user(request), form.cleaned_data["code"])
    messages.success(request, _("Your lockdown code is saved. Give it to the people you trust."))
    return _see_other(reverse("helpdesk:lockdown"))


@login_required
@require_POST
def add_contact(request: HttpRequest) -> HttpResponse:
    form = TrustedContactForm(request.POST)
    if not form.is_valid():
        return _prepare_page(request, contact_form=form, status=400)
    services.add_trusted_contact(signed_in_user(request), channel=form.cleaned_data["channel"],
                                 address=form.cleaned_data["address"], language=form.cleaned_data["language"])
    messages.success(request, _("Added. They will be warned if your account is locked down."))
    return _see_other(reverse("helpdesk:lockdown"))


@login_required
@require_POST
def remove_contact(request: HttpRequest, trusted_contact_id: int) -> HttpResponse:
    if services.remove_trusted_contact(signed_in_user(request), trusted_contact_id):
        messages.success(request, _("Removed."))
    return _see_other(reverse("helpdesk:lockdown"))


@login_required
@require_POST
def lock_now(request: HttpRequest) -> HttpResponse:
    """The one button: everything at once, then she is signed out here too."""
    form = LockNowForm(request.POST)
    if not form.is_valid():
        return _prepare_page(request, now_form=form, status=400)
    services.lock_down(signed_in_user(request), by=Lockdown.By.HERSELF)
    logout(request)
    return _see_other(reverse("helpdesk:locked"))


@require_GET
def locked(request: HttpRequest) -> HttpResponse:
    return render(request, "helpdesk/locked.html")


@require_http_methods(["GET", "POST"])
def by_contact(request: HttpRequest) -> HttpResponse:
    """Her trusted contact, with her account name and the code she set: locks her account
    down. A wrong name or code says so without saying which; tries are counted per account."""
    form = ContactLockdownForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.lock_down_with_code(form.cleaned_data["username"], form.cleaned_data["code"])
        except gates.TooManyAttempts as refusal:
            form.add_error(None, gates.form_error(refusal))
            return gates.answer(render(request, "helpdesk/by_contact.html", {"form": form}), form)
        if done is not None:
            return _see_other(reverse("helpdesk:locked"))
        form.add_error(None, _("This account name and code do not go together. Check both and try again."))
    return render(request, "helpdesk/by_contact.html", {"form": form}, status=400 if form.errors else 200)


@rules.documenter_required
@require_http_methods(["GET", "POST"])
def desk_lockdown(request: HttpRequest, lockdown_id: int) -> HttpResponse:
    """Her desk: what lockdown did, which rings to restore from their recovery sheet, and the
    undo after an identity check."""
    user = signed_in_user(request)
    found = rules.lockdown_for_desk(user, lockdown_id)
    form = UndoForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and found.undone_at is None:
        services.undo_lockdown(user, found)
        messages.success(request, _("Her account is open again. She sets a new password through "
                                    "\"Forgot your password?\" and a new second factor."))
        return _see_other(request.path)
    return render(request, "helpdesk/desk_lockdown.html", {"lockdown": found, "form": form,
                                                           "restore": queries.ring_labels(found.rings_to_restore)},
                  status=400 if form.errors else 200)
