"""Reply templates per category (FIELD-NOTES: help desks work from a first reply per category,
an out-of-mandate reply with a referral, and a triage of advanced threats). They are gettext
strings, so each exists in the four languages; the expert's page shows them in the language of
the request, and a template only fills her answer box: she edits it before sending."""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.helpdesk.models import Category

FIRST: dict[str, Promise] = {
    Category.ACCOUNT: _(
        "Thank you for writing. First, from a device you trust, change the password of the account and of "
        "your e-mail, and turn on two-step login. Then tell me: which account is it, and what did you "
        "notice (messages you did not send, a new login, a changed recovery address)?"),
    Category.DEVICE: _(
        "I am sorry this happened. If you have not yet, lock down your Amparo account (or ask your trusted "
        "contact to), warn your close contacts from another phone, and change your e-mail password first. "
        "Tell me: when was the phone taken, was it locked, and which apps were signed in?"),
    Category.SPYWARE: _(
        "Thank you for telling us. Please do not reset or throw away the device yet: it may hold traces we "
        "can check. Until then, keep it away from sensitive conversations. What makes you think it is "
        "watched (battery, heat, messages others knew about)?"),
    Category.HARASSMENT: _(
        "You are not alone in this. Please keep screenshots with the date and the address of each post or "
        "message before reporting or blocking. Tell me which platforms it is on, and whether your home "
        "address or family details have been published."),
    Category.SUSPICIOUS: _(
        "Thank you for checking before opening it. Please do not click the link or open the file. Tell me "
        "who it seems to come from and whether you already clicked or typed a password."),
    Category.COMMUNICATION: _(
        "Happy to help you set this up. Tell me who you need to talk to, what phones or computers you both "
        "use, and whether any of you is in a place where the app could be blocked."),
    Category.STORAGE: _(
        "Good that you are thinking about this before something happens. Tell me what you need to keep "
        "(documents, photos, contacts), how much of it there is, and whether you work alone or with a team."),
    Category.TRAVEL: _(
        "Thank you for preparing ahead. Tell me when and where you travel, which devices you plan to take, "
        "and whether you expect to be searched at the border."),
    Category.OTHER: _(
        "Thank you for writing. Tell me a bit more about what is happening and what you need, and I will "
        "answer here."),
}

OUT_OF_MANDATE = _(
    "Thank you for writing. This is outside what our help desk can do, but we do not want to leave you "
    "alone with it: your desk can put you in touch with people who can. Write back here if anything "
    "digital comes up.")

ADVANCED = _(
    "What you describe may be a targeted attack. Please keep the device switched off and away from you, "
    "and do not delete anything. I am asking a lead expert to look at it with me and will write back here "
    "soon.")

KINDS = {"first": _("First reply"), "referral": _("Out of mandate, with a referral"),
         "advanced": _("Possible targeted attack")}


def template_text(category: str, kind: str, language: str) -> str:
    """The template in the request's language ("" for an unknown kind)."""
    chosen = {"first": FIRST.get(category, FIRST[Category.OTHER]), "referral": OUT_OF_MANDATE,
              "advanced": ADVANCED}.get(kind)
    if chosen is None:
        return ""
    with translation.override(language):
        return str(chosen)


def templates_for(category: str, language: str) -> list[tuple[str, str, str]]:
    """Every template for the category: (kind, name in her language, text in the request's)."""
    return [(kind, str(name), template_text(category, kind, language)) for kind, name in KINDS.items()]
