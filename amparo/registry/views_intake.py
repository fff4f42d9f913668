"""The public pages of anonymous reports, at /r/: the form, the page that gives back her words,
and the conversation she reaches with them. No account, no JavaScript needed; the receipt never
appears in a URL; nothing here reads who is asking (no address, no user agent).

Her words are posted, never re-posted: the form and the receipt answer with a redirect to a
short-lived address of her conversation (vault.short_lived), which the quick exit and a
timeout close, so Back and Reload after the quick exit show nothing of hers."""

from __future__ import annotations

import errno

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amparo.core.errors import reshows_on_csrf_failure, reshows_when_database_away, too_many_requests
from amparo.registry import services
from amparo.registry.consent_words import USES
from amparo.registry.forms_intake import (
    AnonymousReportForm,
    ConsentChangeForm,
    ReceiptForm,
    ReporterMessageForm,
    refused_file,
    unstored_file,
    upload_of,
)
from amparo.registry.models import Incident
from amparo.registry.services import intake
from amparo.vault import short_lived

# What her report's status means, in plain words.
PLAIN_STATUS = {
    Incident.Status.RECEIVED: gettext_lazy("Your report has arrived. Nobody on the team has opened it yet."),
    Incident.Status.TRIAGE: gettext_lazy("Someone on the team is reading your report."),
    Incident.Status.VERIFIED: gettext_lazy("The team has read your report and checked what it could."),
    Incident.Status.DOCUMENTED: gettext_lazy("The team has recorded your report."),
    Incident.Status.CLOSED: gettext_lazy("The team has finished its work on your report."),
    Incident.Status.DUPLICATE: gettext_lazy("The team already knew of this and joined your report to it."),
}


def _busy(request: HttpRequest) -> HttpResponse:
    return too_many_requests(request, intake.WINDOW)


def _unstored_status(exc: BaseException) -> int:
    """507 when the storage is full, 503 when it is away or refusing: either way she sends again."""
    cause = exc if isinstance(exc, OSError) else exc.__cause__
    return 507 if isinstance(cause, OSError) and cause.errno == errno.ENOSPC else 503


def _show_form(request: HttpRequest, form: AnonymousReportForm, receipt: str, status: int = 200) -> HttpResponse:
    return render(request, "registry/intake/form.html", {
        "form": form, "receipt": receipt, "days": settings.ANONYMOUS_RETENTION_DAYS}, status=status)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The form. Her receipt is issued with the page, shown to her before she sends, and
    sent with the form: a line that drops after sending loses nothing."""
    if request.method == "POST":
        form = AnonymousReportForm(request.POST, request.FILES)
        receipt, binding = request.POST.get("receipt", ""), request.POST.get("binding", "")
        if not intake.within_global_limit():
            return _busy(request)
        if form.is_valid():
            try:
                opened = intake.submit_and_open(receipt, binding, form.incident_data(), upload=upload_of(form))
            except intake.ReceiptRefused:  # not words we issued: her answers again, with fresh words
                receipt, binding = intake.issue_receipt(get_language() or "en")
                form = AnonymousReportForm({**request.POST.dict(), "receipt": receipt, "binding": binding})
                form.add_error(None, _("Please keep the new words below and send again."))
                return _show_form(request, form, receipt, status=400)
            except intake.NoDesk:
                form.add_error(None, _("No team can receive reports yet. Please try again later."))
                return _show_form(request, form, receipt, status=503)
            except services.AttachmentRefused:
                form.add_error("file", refused_file())
                return _show_form(request, form, receipt, status=400)
            except (services.AttachmentNotStored, OSError) as exc:  # nothing of the report was kept
                form.add_error("file", unstored_file())
                form.add_error(None, _("Nothing was sent yet: your file could not be stored. Everything you wrote "
                                       "is still here."))
                return _show_form(request, form, receipt, status=_unstored_status(exc))
            else:
                return _keep(request, opened, receipt)
        elif intake.issued_here(receipt, binding):
            return _show_form(request, form, receipt, status=400)
    receipt, binding = intake.issue_receipt(get_language() or "en")
    form = AnonymousReportForm(initial={"receipt": receipt, "binding": binding})
    return _show_form(request, form, receipt)


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303  # the browser fetches the answer with GET: Reload re-posts nothing
    return response


def _keep(request: HttpRequest, opened: intake.Opened, receipt: str = "") -> HttpResponse:
    """Her conversation gets a short-lived address in her session; the key it needs (and, just
    after sending, the words to show her once more) kept encrypted under that address."""
    secret = opened.keys.private_key + receipt.encode()
    token = short_lived.open_page(request.session, opened.incident.pk, secret)
    return _see_other(reverse("intake:conversation", args=[token]))


def _status_page(request: HttpRequest, opened: intake.Opened, *, receipt: str = "",
                 form: ReporterMessageForm | None = None, status: int = 200) -> HttpResponse:
    return render(request, "registry/intake/status.html", {
        "opened": opened, "plain_status": PLAIN_STATUS[Incident.Status(opened.incident.status)],
        "form": form or ReporterMessageForm(), "receipt": receipt,
        "days": settings.ANONYMOUS_RETENTION_DAYS,
        "uses": [(use, words["name"], services.consent_holds(opened.incident, use)) for use, words in USES.items()],
        "token": request.resolver_match.kwargs.get("token", "") if request.resolver_match else "",
    }, status=status)


def _not_found(request: HttpRequest, form: ReceiptForm) -> HttpResponse:
    typed = form.cleaned_data["receipt"]
    position = intake.unrecognised_word(typed, language=get_language() or "en")
    if position is not None:
        form.add_error("receipt", _("Word %(n)s of 8 (“%(word)s”) is not one of our words. Check it: the first "
                                    "four letters are enough.") % {"n": position, "word": typed.split()[position - 1]})
    else:
        form.add_error("receipt", _("No report opens with these words: it is no longer available, or a word "
                                    "is mistyped."))
    return render(request, "registry/intake/back.html", {"form": form}, status=404)


@require_http_methods(["GET", "POST"])
def back(request: HttpRequest) -> HttpResponse:
    """Coming back: she types her words, and is sent on to her conversation's short-lived
    address. A message she wrote on a page that had closed is sent now."""
    form = ReceiptForm(request.POST or None)
    if request.method == "POST":
        if not intake.within_global_limit():
            return _busy(request)
        if form.is_valid():
            opened = intake.open_with_receipt(form.cleaned_data["receipt"], language=get_language() or "en")
            if opened is None:
                return _not_found(request, form)
            if form.cleaned_data["text"].strip():
                intake.add_reporter_message(opened, form.cleaned_data["text"])
                messages.success(request, _("Sent. The team will see it."))
            return _keep(request, opened)
    return render(request, "registry/intake/back.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, token: str) -> HttpResponse:
    """Her report and the conversation, at its short-lived address; she writes to the team
    (or adds a file) from here. Once the address has closed it shows nothing of hers: only the
    box for her words (with what she was sending, kept in the page, when she was writing)."""
    if request.method == "POST" and not intake.within_global_limit():
        return _busy(request)
    kept = short_lived.page(request.session, token)
    opened = intake.reopen(kept.ref, kept.secret[:32]) if kept is not None else None
    if opened is None:
        return _closed(request)
    receipt = kept.secret[32:].decode() if kept is not None else ""
    if request.method == "GET":
        return _status_page(request, opened, receipt=receipt)
    form = ReporterMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _status_page(request, opened, form=form, status=400)
    try:
        intake.add_reporter_message(opened, form.cleaned_data["text"], upload=upload_of(form))
    except services.AttachmentRefused:
        form.add_error("file", refused_file())
        return _status_page(request, opened, form=form, status=400)
    except (services.AttachmentNotStored, OSError) as exc:
        form.add_error("file", unstored_file())
        return _status_page(request, opened, form=form, status=_unstored_status(exc))
    messages.success(request, _("Sent. The team will see it."))
    return _see_other(request.path)


@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, token: str, use: str) -> HttpResponse:
    """She gives or takes back one use of her report, from its short-lived address: first a
    page that says what changes, then her confirmation."""
    if use not in USES:
        raise Http404
    if request.method == "POST" and not intake.within_global_limit():
        return _busy(request)
    kept = short_lived.page(request.session, token)
    opened = intake.reopen(kept.ref, kept.secret[:32]) if kept is not None else None
    if opened is None:
        return _closed(request)
    incident = opened.incident
    given = not services.consent_holds(incident, use)
    form = ConsentChangeForm(request.POST or None, initial={"given": "yes" if given else "no"})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["given"] == "yes"
        services.set_consent(intake.ANONYMOUS, incident, use, chosen)
        messages.success(request, _("Done: %(change)s") % {"change": USES[use]["give" if chosen else "take_back"]})
        return _see_other(reverse("intake:conversation", args=[token]))
    return render(request, "registry/consent_confirm.html", {
        "incident": incident, "form": form, "given": given, "name": USES[use]["name"],
        "change": USES[use]["give" if given else "take_back"], "staff": False,
        "back_url": reverse("intake:conversation", args=[token]),
    }, status=400 if form.errors else 200)


def _closed(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "") if request.method == "POST" else ""
    closed = ReceiptForm(initial={"text": text})
    return render(request, "registry/intake/back.html", {"form": closed, "closed": True, "carried": bool(text)},
                  status=404)


# --- A refused CSRF check (a page left open overnight): her form back, filled in -------------
# (core.errors.csrf_failure; these write nothing.)

def _reshow_report(request: HttpRequest) -> HttpResponse:
    """Her answers, with fresh words: words that came with a refused form might not be ones she
    was shown, and a report must never be sealed to words someone else holds."""
    receipt, binding = intake.issue_receipt(get_language() or "en")
    form = AnonymousReportForm({**request.POST.dict(), "receipt": receipt, "binding": binding})
    form.add_error(None, _("Please keep the new words below and send again."))
    return _show_form(request, form, receipt, status=403)


def _reshow_report_unsent(request: HttpRequest) -> HttpResponse:
    """The database was away while she sent it (core.errors.server_error): her answers with the
    same words, which she may have noted already. Sending them again stores her report once,
    whether or not the first try was stored; words we did not issue get fresh ones instead."""
    receipt, binding = request.POST.get("receipt", ""), request.POST.get("binding", "")
    if not intake.issued_here(receipt, binding):
        return _reshow_report(request)
    form = AnonymousReportForm(request.POST)
    form.add_error(None, _("We could not save your report just now. What you wrote is below, with the same "
                           "words: please send it again in a moment."))
    return _show_form(request, form, receipt, status=503)


def _reshow_back(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/intake/back.html", {"form": ReceiptForm(request.POST)}, status=403)


def _reshow_conversation(request: HttpRequest, token: str) -> HttpResponse:
    kept = short_lived.page(request.session, token)
    opened = intake.reopen(kept.ref, kept.secret[:32]) if kept is not None else None
    if opened is None:
        return _closed(request)
    return _status_page(request, opened, form=ReporterMessageForm(request.POST), status=403)


reshows_on_csrf_failure(_reshow_report)(report)
reshows_when_database_away(_reshow_report_unsent)(report)
reshows_on_csrf_failure(_reshow_back)(back)
reshows_on_csrf_failure(_reshow_conversation)(conversation)
