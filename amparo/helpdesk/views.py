"""The help desk for the person asking: the desk's front page, the guides and learning paths
(no account, no JavaScript, printable), asking for help (with her account, or anonymously with
receipt words), and her conversation with the expert.

An anonymous conversation lives at a short-lived address of her session (vault.short_lived),
as the anonymous report's does: nothing here reads who is asking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.accounts.requests import signed_in_user
from amparo.core.errors import too_many_requests
from amparo.helpdesk import queries, rules, services
from amparo.helpdesk.forms import AskForm, CategoryForm, MessageForm, ReceiptForm
from amparo.helpdesk.models import Category, HelpRequest
from amparo.helpdesk.rendering import render_guide
from amparo.registry.services import intake
from amparo.vault import session as vault_session
from amparo.vault import short_lived
from amparo.vault.errors import VaultError

PLAIN_STATUS = {
    HelpRequest.Status.NEW: gettext_lazy("Your request has arrived. An expert will answer here."),
    HelpRequest.Status.OPEN: gettext_lazy("An expert is working on your request."),
    HelpRequest.Status.WAITING: gettext_lazy("The expert has answered: read below and write back."),
    HelpRequest.Status.RESOLVED: gettext_lazy(
        "The expert marked this as resolved. Write again if you still need help."),
}


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _user(request: HttpRequest) -> User | None:
    """The signed-in person, or None on a public page."""
    return request.user if isinstance(request.user, User) else None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "helpdesk/index.html", {"categories": Category.choices, "form": CategoryForm(),
                                                   "paths": queries.paths(_user(request))})


@require_GET
def guides(request: HttpRequest) -> HttpResponse:
    return render(request, "helpdesk/guides.html", {"guides": queries.guides(), "done": queries.done_slugs(
        _user(request)), "paths": queries.paths(_user(request))})


@require_GET
def guide(request: HttpRequest, guide_slug: str) -> HttpResponse:
    found = queries.guide(guide_slug)
    if found is None:
        raise Http404
    categories = [(c, Category(c).label) for c in found.categories if c in Category.values]
    return render(request, "helpdesk/guide.html", {
        "guide": found, "html": render_guide(found.body), "categories": categories,
        "done": found.slug in queries.done_slugs(_user(request))})


@login_required
@require_POST
def guide_done(request: HttpRequest, guide_slug: str) -> HttpResponse:
    found = queries.guide(guide_slug)
    if found is None:
        raise Http404
    services.mark_done(signed_in_user(request), found.slug, done=request.POST.get("done") != "0")
    return _see_other(reverse("helpdesk:guide", args=[found.slug]))


# --- Asking ---------------------------------------------------------------------------------

def _ask_page(request: HttpRequest, form: AskForm, category: str, *, receipt: str = "",
              status: int = 200) -> HttpResponse:
    return render(request, "helpdesk/ask.html", {
        "form": form, "category": category, "category_label": Category(category).label if category else "",
        "guides": queries.guides_for(category) if category else [], "receipt": receipt,
        "choose": CategoryForm(initial={"category": category})}, status=status)


def _initial(request: HttpRequest, category: str) -> tuple[AskForm, str]:
    language = queries.reading_language()
    initial = {"category": category, "language": language}
    receipt = ""
    if not request.user.is_authenticated:
        receipt, binding = intake.issue_receipt(get_language() or "en")
        initial.update(receipt=receipt, binding=binding)
    return AskForm(initial=initial), receipt


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """Step one (by GET): what is happening, and the guides for it; step two: what she writes.
    Without an account her receipt words are issued with the page and shown before she sends."""
    if request.method == "GET":
        category = request.GET.get("category", "")
        category = category if category in Category.values else ""
        form, receipt = _initial(request, category)
        return _ask_page(request, form, category, receipt=receipt)
    form = AskForm(request.POST)
    category = request.POST.get("category", "")
    category = category if category in Category.values else ""
    receipt = request.POST.get("receipt", "")
    if not request.user.is_authenticated and not intake.within_global_limit():
        return too_many_requests(request, intake.WINDOW)
    if not form.is_valid():
        return _ask_page(request, form, category, receipt=receipt, status=400)
    asked = services.Asked(form.cleaned_data["category"], form.cleaned_data["language"],
                           form.cleaned_data["text"], form.cleaned_data["submission_key"])
    try:
        if request.user.is_authenticated:
            created = services.ask_for_help(signed_in_user(request), asked)
            messages.success(request, _("Sent. An expert will answer here."))
            return _see_other(reverse("helpdesk:my_request", args=[created.pk]))
        opened = services.ask_anonymously(receipt, form.cleaned_data["binding"], asked)
    except services.ReceiptRefused:
        fresh, fresh_binding = intake.issue_receipt(get_language() or "en")
        form = AskForm({**request.POST.dict(), "receipt": fresh, "binding": fresh_binding})
        form.add_error(None, _("Please keep the new words below and send again."))
        return _ask_page(request, form, category, receipt=fresh, status=400)
    except services.NoExperts:
        form.add_error(None, _("No expert can receive requests yet. Please try again later."))
        return _ask_page(request, form, category, receipt=receipt, status=503)
    return _keep(request, opened, receipt)


def _keep(request: HttpRequest, opened: services.Opened, receipt: str = "") -> HttpResponse:
    token = short_lived.open_page(request.session, opened.request.pk, opened.keys.private_key + receipt.encode())
    return _see_other(reverse("helpdesk:conversation", args=[token]))


# --- Her conversation, with her account -----------------------------------------------------

@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(request, "helpdesk/mine.html", {"requests": HelpRequest.objects.filter(requester=user)})


@login_required
@require_http_methods(["GET", "POST"])
def my_request(request: HttpRequest, help_id: int) -> HttpResponse:
    user = signed_in_user(request)
    found = rules.request_for_requester(user, help_id)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_requester_message(found, form.cleaned_data["text"], requester=user)
        messages.success(request, _("Sent. The expert will see it."))
        return _see_other(request.path)
    try:
        thread, locked = services.open_thread(vault_session.unlocked_for(request), found), False
    except VaultError:  # her key is not unlocked in this session (log in again)
        thread, locked = [], True
    return render(request, "helpdesk/conversation.html", {
        "help": found, "thread": thread, "locked": locked, "form": form,
        "plain_status": PLAIN_STATUS[HelpRequest.Status(found.status)],
        "guides": queries.guides_for(found.category)}, status=400 if form.errors else 200)


# --- Her conversation, anonymously ----------------------------------------------------------

@require_http_methods(["GET", "POST"])
def back(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not intake.within_global_limit():
            return too_many_requests(request, intake.WINDOW)
        if form.is_valid():
            opened = services.open_with_receipt(form.cleaned_data["receipt"],
                                                language=get_language() or "en")
            if opened is not None:
                return _keep(request, opened)
            form.add_error("receipt", _("No request opens with these words: a word may be mistyped."))
            return render(request, "helpdesk/back.html", {"form": form}, status=404)
    return render(request, "helpdesk/back.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, token: str) -> HttpResponse:
    kept = short_lived.page(request.session, token)
    opened = services.reopen(kept.ref, kept.secret[:32]) if kept is not None else None
    if kept is None or opened is None:
        return render(request, "helpdesk/back.html", {"form": ReceiptForm(), "closed": True}, status=404)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not intake.within_global_limit():
            return too_many_requests(request, intake.WINDOW)
        if form.is_valid():
            services.add_requester_message(opened.request, form.cleaned_data["text"])
            messages.success(request, _("Sent. The expert will see it."))
            return _see_other(request.path)
    return render(request, "helpdesk/conversation.html", {
        "help": opened.request, "thread": opened.messages, "form": form, "receipt": kept.secret[32:].decode(),
        "plain_status": PLAIN_STATUS[HelpRequest.Status(opened.request.status)], "anonymous": True,
        "guides": queries.guides_for(opened.request.category)}, status=400 if form.errors else 200)

