"""The channels' pages: the SMS gateway's webhook (authenticated by its signature) and the
desk's mailbox settings (its network's coordinator). Thin: parse, authorise, call a service."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.requests import signed_in_user
from amparo.channels import queries, services, tasks
from amparo.channels.forms import MailboxForm
from amparo.core.security import staff_page
from amparo.network import permissions
from amparo.vault import services as vault

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _signed(request: HttpRequest) -> bool:
    """The gateway's signature over the URL it was given (AMPARO_PUBLIC_URL and this path) and
    the posted fields, checked with the account's token; or, for a gateway that cannot sign,
    the shared secret AMPARO_SMS_WEBHOOK_SECRET in the `X-Webhook-Secret` header (HTTPS only)."""
    shared = settings.AMPARO_SMS_WEBHOOK_SECRET
    if shared and vault.secret_matches(shared, request.headers.get("X-Webhook-Secret", "")):
        return True
    url = settings.AMPARO_PUBLIC_URL + request.get_full_path()
    params = [(name, value) for name in request.POST for value in request.POST.getlist(name)]
    return vault.twilio_signature_valid(url, params, settings.AMPARO_SMS_TOKEN or "",
                                        request.headers.get("X-Twilio-Signature", ""))


@csrf_exempt
@require_POST
def sms_webhook(request: HttpRequest) -> HttpResponse:
    if not _signed(request):
        return HttpResponseForbidden("Signature refused.", content_type="text/plain")
    sid = request.POST.get("MessageSid") or request.POST.get("SmsSid") or ""
    number = request.POST.get("From", "")
    if not sid or not number:
        return HttpResponse("MessageSid and From are required.", status=400, content_type="text/plain")
    outcome = services.receive_sms(services.Incoming(sid=sid, number=number, body=request.POST.get("Body", "")))
    for outgoing_id in outcome.replies:
        transaction.on_commit(partial(tasks.send_sms.delay, outgoing_id))
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@require_http_methods(["GET", "POST"])
@permissions.coordinator_required
@staff_page
def mailbox(request: HttpRequest, desk_slug: str) -> HttpResponse:
    desk = queries.desk_for_coordinator(request.user, desk_slug)
    saved = queries.mailbox_of(desk)
    initial = {"host": saved.host, "port": saved.port, "use_tls": saved.use_tls, "username": saved.username,
               "enabled": saved.enabled} if saved else None
    form = MailboxForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mailbox(signed_in_user(request), desk, services.MailboxData(**form.cleaned_data))
        except services.MailboxRefused:
            form.add_error("password", _("A new mailbox needs its password."))
        else:
            messages.success(request, _("The mailbox is saved. Its messages will arrive as reports to this desk."))
            return redirect("channels:mailbox", desk_slug=desk.slug)
    return render(request, "channels/mailbox.html", {"form": form, "desk": desk, "saved": saved},
                  status=400 if form.errors else 200)
