"""The public pages of anonymous reports, at /r/: the form, the page that gives back her words,
and the conversation she reaches with them. No account, no JavaScript needed; the receipt never
appears in a URL; nothing here reads who is asking (no address, no user agent)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.core import uploads
from amparo.registry import intake, services
from amparo.registry.forms_intake import AnonymousReportForm, ReceiptForm, ReporterMessageForm
from amparo.registry.models import Incident

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
    response = render(request, "registry/intake/busy.html", status=429)
    response["Retry-After"] = str(intake.WINDOW)
    return response


def _upload(form: AnonymousReportForm | ReporterMessageForm) -> intake.Upload | None:
    """The file the form accepted (a file over the limit never gets here: the form refused it)."""
    found = form.cleaned_data.get("file")
    if found is None:
        return None
    return intake.Upload(filename=found.name or "file", content_type=found.content_type or "",
                         file=found, size=found.size or 0)


def _refused() -> str:
    return _("This file cannot be added: it is empty or larger than %(size)s.") % {
        "size": uploads.human_size(settings.ATTACHMENT_MAX_BYTES)}


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
                intake.submit_anonymous_report(receipt, binding, form.incident_data(), upload=_upload(form))
            except intake.ReceiptRefused:  # not words we issued: her answers again, with fresh words
                receipt, binding = intake.issue_receipt(get_language() or "en")
                form = AnonymousReportForm({**request.POST.dict(), "receipt": receipt, "binding": binding})
                form.add_error(None, _("Please keep the new words below and send again."))
                return _show_form(request, form, receipt, status=400)
            except intake.NoDesk:
                form.add_error(None, _("No team can receive reports yet. Please try again later."))
                return _show_form(request, form, receipt, status=503)
            except services.AttachmentRefused:
                form.add_error("file", _refused())
                return _show_form(request, form, receipt, status=400)
            else:
                return render(request, "registry/intake/sent.html", {
                    "receipt": receipt, "days": settings.ANONYMOUS_RETENTION_DAYS})
        elif intake.vault.receipt_binding_valid(receipt, binding):
            return _show_form(request, form, receipt, status=400)
    receipt, binding = intake.issue_receipt(get_language() or "en")
    form = AnonymousReportForm(initial={"receipt": receipt, "binding": binding})
    return _show_form(request, form, receipt)


def _status_page(request: HttpRequest, opened: intake.Opened, receipt: str, *, sent: bool = False,
                 form: ReporterMessageForm | None = None, status: int = 200) -> HttpResponse:
    return render(request, "registry/intake/status.html", {
        "opened": opened, "plain_status": PLAIN_STATUS[Incident.Status(opened.incident.status)],
        "form": form or ReporterMessageForm(initial={"receipt": receipt}), "sent": sent,
    }, status=status)


def _not_found(request: HttpRequest, form: ReceiptForm) -> HttpResponse:
    form.add_error("receipt", _("No report opens with these words: it is no longer available, or a word "
                                "is mistyped."))
    return render(request, "registry/intake/back.html", {"form": form}, status=404)


@require_http_methods(["GET", "POST"])
def back(request: HttpRequest) -> HttpResponse:
    """Coming back: she types her words and sees her report's status and the conversation."""
    form = ReceiptForm(request.POST or None)
    if request.method == "POST":
        if not intake.within_global_limit():
            return _busy(request)
        if form.is_valid():
            opened = intake.open_with_receipt(form.cleaned_data["receipt"])
            if opened is None:
                return _not_found(request, form)
            return _status_page(request, opened, form.cleaned_data["receipt"])
    return render(request, "registry/intake/back.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def write(request: HttpRequest) -> HttpResponse:
    """She writes to the team (or adds a file), from the conversation page."""
    if not intake.within_global_limit():
        return _busy(request)
    form = ReporterMessageForm(request.POST, request.FILES)
    receipt = request.POST.get("receipt", "")
    opened = intake.open_with_receipt(receipt) if receipt.strip() else None
    if opened is None:
        return _not_found(request, ReceiptForm({"receipt": ""}))
    if not form.is_valid():
        return _status_page(request, opened, receipt, form=form, status=400)
    try:
        intake.add_reporter_message(opened, form.cleaned_data["text"], upload=_upload(form))
    except services.AttachmentRefused:
        form.add_error("file", _refused())
        return _status_page(request, opened, receipt, form=form, status=400)
    return _status_page(request, intake.refresh(opened), receipt, sent=True)
