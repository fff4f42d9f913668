"""The public side of appeals: the list, each appeal's page with its prepared letters and the
form to say what she did, and the Atom feed per language. No account, no JavaScript; nothing
here reads who is asking (no address, no browser): the action form is limited by one counter
for the whole site, and a one-time key in the form makes a double submit count once."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amparo.core.errors import reshows_on_csrf_failure, too_many_requests
from amparo.network import countries

from . import figures, services
from .forms import ActionForm
from .models import LANGUAGE_CODES, LANGUAGES, Addressee, Appeal, AppealText, AppealUpdate
from .queries import published

MAILTO_MAX = 1800  # characters: longer mailto links are cut by some phones' mail apps
WINDOW = 60


def _language() -> str:
    code = (translation.get_language() or "en")[:2]
    return code if code in LANGUAGE_CODES else "en"


def within_action_limit(now: float | None = None) -> bool:
    """One counter for the whole site, keyed by the minute only: nothing about who asks."""
    now = time.time() if now is None else now
    key = f"appeal-actions:{int(now // WINDOW)}"
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW * 2)
        count = 1
    return int(count) <= int(getattr(settings, "APPEAL_ACTIONS_PER_MINUTE", 600))


@dataclass
class Letter:
    addressee: Addressee
    text: str
    mailto: str


# A first line this short that ends like a greeting ("Dear Attorney General,", "Señor Fiscal:")
# is the drafter's own greeting.
GREETING = re.compile(r"\A[^\n]{1,80}[,:]\s*(?:\n|\Z)")


def _greeted(salutation: str, letter: str) -> str:
    """The letter with one greeting: the addressee's salutation in place of the drafter's
    own greeting when she typed one, before the letter when she did not."""
    letter = letter.strip()
    salutation = salutation.strip()
    if not salutation:
        return letter
    typed = GREETING.match(letter)
    if typed:
        letter = letter[typed.end():].strip()
    return "\n\n".join(part for part in (salutation, letter) if part)


def letters(appeal: Appeal, text: AppealText) -> list[Letter]:
    """A prepared letter to each addressee: her salutation, then the letter (whose own greeting,
    if the drafter typed one, gives way to it). A mailto link carries it when it fits; a longer
    one gives the subject only, and the text to copy."""
    found = []
    for addressee in appeal.addressees.all():
        body = _greeted(addressee.salutation, text.letter)
        mailto = ""
        if addressee.email:
            base = f"mailto:{quote(addressee.email, safe='@')}?subject={quote(f'{appeal.reference}: {text.title}')}"
            full = f"{base}&body={quote(body)}"
            mailto = full if len(full) <= MAILTO_MAX else base
        found.append(Letter(addressee, body, mailto))
    return found


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    language = _language()
    appeals = published().prefetch_related("texts").order_by("-approved_at")[:50]
    rows = [(a, a.text(language), countries.name(a.country)) for a in appeals]
    return render(request, "appeals/public_list.html", {"rows": rows, "language": language})


def _page(request: HttpRequest, appeal: Appeal, form: ActionForm, *, status: int = 200,
          done: bool = False) -> HttpResponse:
    language = _language()
    texts = {t.language: t for t in appeal.texts.all()}
    text = texts.get(language) or texts[appeal.language]
    names = dict(LANGUAGES)
    updates = [(u, u.text(language)) for u in appeal.updates.filter(stopped_at__isnull=True)
               .exclude(status=AppealUpdate.Status.DRAFT).prefetch_related("texts").order_by("-number")]
    return render(request, "appeals/public.html", {
        "appeal": appeal, "text": text, "fallback": text.language != language,
        "wanted_name": names[language], "shown_name": names[text.language], "shown_code": text.language,
        "country_name": countries.name(appeal.country), "letters": letters(appeal, text), "form": form,
        "updates": updates, "by_kind": figures.actions_by_kind(appeal), "total": appeal.actions.count(),
        "by_country": figures.actions_by_country(appeal, at_least=3), "done": done,
        "outcome": appeal.outcome.label(language) if appeal.outcome else "",
        "feed": reverse("appeals:feed", kwargs={"language": language}),
    }, status=status)


@require_http_methods(["GET", "POST"])
def public(request: HttpRequest, public_id: int) -> HttpResponse:
    appeal = get_object_or_404(published().prefetch_related("texts", "addressees"), pk=public_id)
    if request.method == "POST":
        if not within_action_limit():
            return too_many_requests(request, WINDOW)
        form = ActionForm(request.POST)
        if not form.is_valid():
            return _page(request, appeal, form, status=400)
        services.record_action(appeal, kind=form.cleaned_data["kind"], country=form.cleaned_data["country"],
                               submission_key=form.cleaned_data["submission_key"])
        return redirect(f"{reverse('appeals:public', kwargs={'public_id': appeal.pk})}?done=1#thanks")
    return _page(request, appeal, ActionForm(), done=request.GET.get("done") == "1")


def _reshow_action(request: HttpRequest, public_id: int) -> HttpResponse:
    """After a refused CSRF check (core.errors.csrf_failure): what she did, to send again."""
    appeal = get_object_or_404(published().prefetch_related("texts", "addressees"), pk=public_id)
    return _page(request, appeal, ActionForm(request.POST), status=403)


reshows_on_csrf_failure(_reshow_action)(public)


# --- The Atom feed --------------------------------------------------------------------------

@dataclass
class Item:
    appeal: Appeal
    update: AppealUpdate | None
    title: str
    summary: str
    published: datetime
    updated: datetime


class AppealFeed(Feed):
    """Published appeals and their updates, in one language (the original where there is no
    translation yet), newest first."""

    feed_type = Atom1Feed
    author_name = "Amparo"

    def get_object(self, request: HttpRequest, language: str) -> str:
        if language not in LANGUAGE_CODES:
            raise Http404
        return language

    def title(self, language: str) -> str:
        return _("Urgent appeals")

    def subtitle(self, language: str) -> str:
        return _("Urgent appeals for women human rights defenders, and what came of them.")

    def link(self, language: str) -> str:
        return reverse("appeals:public_list")

    def feed_url(self, language: str) -> str:
        return reverse("appeals:feed", kwargs={"language": language})

    def items(self, language: str) -> list[Item]:
        appeals = list(published().prefetch_related("texts").order_by("-approved_at")[:50])
        found = []
        for appeal in appeals:
            text = appeal.text(language)
            if text is None or appeal.approved_at is None:
                continue
            found.append(Item(appeal, None, f"{appeal.reference} {text.title}", text.summary, appeal.approved_at,
                              max(appeal.approved_at, text.updated_at)))
        updates = (AppealUpdate.objects.filter(appeal__in=appeals, stopped_at__isnull=True, approved_at__isnull=False)
                   .select_related("appeal").prefetch_related("texts", "appeal__texts"))
        for update in updates:
            text_u = update.text(language)
            if text_u is None or update.approved_at is None:
                continue
            found.append(Item(update.appeal, update, f"{update.appeal.reference} ({_('update')} {update.number}) "
                              f"{text_u.title}", text_u.body[:500], update.approved_at, update.approved_at))
        return sorted(found, key=lambda i: i.updated, reverse=True)

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        return item.summary

    def item_link(self, item: Item) -> str:
        url = reverse("appeals:public", kwargs={"public_id": item.appeal.pk})
        return f"{url}#update-{item.update.number}" if item.update else url

    def item_guid(self, item: Item) -> str:
        return f"urn:amparo:appeal:{item.appeal.pk}" + (f":update:{item.update.number}" if item.update else "")

    item_guid_is_permalink = False

    def item_pubdate(self, item: Item) -> datetime:
        return item.published

    def item_updateddate(self, item: Item) -> datetime:
        return item.updated

    def item_author_name(self, item: Item) -> str:
        return item.appeal.network.name

    def item_extra_kwargs(self, item: Item) -> dict[str, Any]:
        return {}


_feed = AppealFeed()


@require_GET
def feed(request: HttpRequest, language: str) -> HttpResponse:
    """The feed in `language`, whatever the reader's own: its words and the appeals' texts."""
    if language not in LANGUAGE_CODES:
        raise Http404
    with translation.override(language):
        return _feed(request, language=language)
