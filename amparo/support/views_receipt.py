"""Her pages without an account: she types the words of her anonymous report's receipt and
reaches, at a short-lived address (vault.short_lived), the state of her requests, the
decisions and her conversation with the reviewers, and a request form prefilled from her
report's "are you safe now?" and "what help would you like?". Her receipt identifies her
requests and nothing else; her words are never stored, nor where she writes from."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.registry.models import AnonymousReceipt
from amparo.registry.services import intake
from amparo.vault import short_lived

from . import presenting, sealing, services
from .forms import MessageForm, ReceiptForm, RequestForm
from .models import Decision, SupportMessage, SupportRequest
from .views import prefill

ANONYMOUS = "anonymous"


@dataclass
class ReceiptOpener:
    private_key: bytes

    def details(self, request: SupportRequest) -> dict[str, str]:
        return sealing.open_details_with_receipt(self.private_key, request)

    def note(self, decision: Decision) -> str:
        return sealing.open_note_with_receipt(self.private_key, decision)

    def message(self, message: SupportMessage) -> str:
        return sealing.open_message_with_receipt(self.private_key, message)


def _busy(request: HttpRequest, form: ReceiptForm) -> HttpResponse:
    form.add_error(None, _("Too many people are opening receipts right now. Please try again in a minute."))
    return render(request, "support/receipt.html", {"form": form}, status=429)


@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest) -> HttpResponse:
    """She types her receipt's words; sent on to her short-lived page."""
    form = ReceiptForm(request.POST or None)
    if request.method == "POST":
        if not intake.within_global_limit():
            return _busy(request, form)
        if not form.is_valid():
            return render(request, "support/receipt.html", {"form": form}, status=400)
        opened = intake.open_with_receipt(form.cleaned_data["receipt"])
        if opened is not None:
            return _see_other(short_lived.open_page(request.session, opened.incident.pk, opened.keys.private_key))
        form.add_error("receipt", _("No report opens with these words: it is no longer available, or a word "
                                    "is mistyped."))
        return render(request, "support/receipt.html", {"form": form}, status=404)
    return render(request, "support/receipt.html", {"form": form})


def _opened(request: HttpRequest, token: str) -> intake.Opened | None:
    kept = short_lived.page(request.session, token)
    return intake.reopen(kept.ref, kept.secret[:32]) if kept is not None else None


def _closed(request: HttpRequest) -> HttpResponse:
    return render(request, "support/receipt.html", {"form": ReceiptForm(), "closed": True}, status=404)


def _her_page(request: HttpRequest, token: str, opened: intake.Opened, *, form: RequestForm | None = None,
              message_form: MessageForm | None = None, status: int = 200) -> HttpResponse:
    opener = ReceiptOpener(opened.keys.private_key)
    requests = SupportRequest.objects.filter(receipt__incident=opened.incident).order_by("-created_at")
    if form is None:
        help_wanted = sealing.open_help_wanted_with_receipt(opened.keys.private_key, opened.incident)
        form = RequestForm(initial=prefill(opened.incident, help_wanted))
    return render(request, "support/her_page.html", {
        "token": token, "incident": opened.incident, "form": form, "message_form": message_form or MessageForm(),
        "shown": [presenting.shown(r, opener) for r in requests]}, status=status)


@require_GET
def from_report(request: HttpRequest, token: str) -> HttpResponse:
    """From her report's conversation (the registry's short-lived address `token`, in this same
    session) straight to her support page, without typing her words again: the key kept there
    opens a support address of its own."""
    opened = _opened(request, token)
    if opened is None:
        return _closed(request)
    return _see_other(short_lived.open_page(request.session, opened.incident.pk, opened.keys.private_key))


@require_GET
def her_page(request: HttpRequest, token: str) -> HttpResponse:
    opened = _opened(request, token)
    return _closed(request) if opened is None else _her_page(request, token, opened)


def _see_other(token: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = f"/support/r/{token}/"
    return response


@require_POST
def her_ask(request: HttpRequest, token: str) -> HttpResponse:
    """She asks for help with her receipt: sealed to the reviewers and to her receipt's key."""
    opened = _opened(request, token)
    if opened is None:
        return _closed(request)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _her_page(request, token, opened, form=form, status=400)
    incident = opened.incident
    asker = services.Asker(actor=ANONYMOUS, channel=SupportRequest.Channel.ANONYMOUS, network=incident.desk.network,
                           desk=incident.desk, receipt=AnonymousReceipt.objects.get(incident=incident))
    services.make_request(asker, form.request_data([incident]), submission_key=form.cleaned_data.get("submission_key"))
    messages.success(request, _("Your request is sent. Come back with the same words to read the answer."))
    return _see_other(token)


@require_POST
def her_message(request: HttpRequest, token: str, request_id: int) -> HttpResponse:
    opened = _opened(request, token)
    if opened is None:
        return _closed(request)
    found = SupportRequest.objects.filter(pk=request_id, receipt__incident=opened.incident).first()
    if found is None:
        return _closed(request)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _her_page(request, token, opened, message_form=form, status=400)
    services.add_message(ANONYMOUS, found, form.cleaned_data["body"], author=SupportMessage.Author.REQUESTER)
    messages.success(request, _("Sent."))
    return _see_other(token)
