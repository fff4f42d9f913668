"""What an SMS says, read without storing it: the language it is in, a keyword (STOP, DELETE in
four languages), a country's name, yes or no; and the texts we answer with, by name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

import pycountry
from django.utils import translation
from django.utils.translation import gettext

from amparo.network import countries

LANGUAGES = ("es", "fr", "pt", "en")
STOP, DELETE = "stop", "delete"
KEYWORDS = {
    STOP: {"STOP", "PARAR", "ALTO", "BASTA", "ARRET", "ARRETER", "ARRETEZ", "PARE", "SAIR", "UNSUBSCRIBE"},
    DELETE: {"DELETE", "BORRAR", "ELIMINAR", "SUPPRIMER", "EFFACER", "APAGAR", "EXCLUIR"},
}
# Words that tell a first message's language; ties and silence mean we ask.
HINTS = {
    "es": {"hola", "buenas", "buenos", "ayuda", "quiero", "denunciar", "estoy", "tengo", "gracias", "por", "favor",
           "me", "amenazaron", "ayer", "que", "una", "el", "y"},
    "fr": {"bonjour", "salut", "aide", "je", "veux", "suis", "merci", "signaler", "on", "m", "ai", "et", "une",
           "le", "hier"},
    "pt": {"ola", "oi", "ajuda", "quero", "estou", "obrigada", "obrigado", "denunciar", "bom", "dia", "eu", "uma",
           "ontem", "e", "me", "ameacaram"},
    "en": {"hello", "hi", "help", "want", "report", "thanks", "i", "am", "was", "the", "and", "yesterday"},
}
CHOICES = {"1": "es", "2": "fr", "3": "pt", "4": "en", "espanol": "es", "francais": "fr", "portugues": "pt",
           "english": "en", "es": "es", "fr": "fr", "pt": "pt", "en": "en"}
YES = {"SI", "S", "YES", "Y", "OUI", "O", "SIM"}
NO = {"NO", "N", "NON", "NAO"}


def plain(text: str) -> str:
    """Lowercase, without accents or punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def keyword(text: str) -> str | None:
    """STOP or DELETE, in any of the four languages, when it is the whole message."""
    word = plain(text).upper()
    for name, words in KEYWORDS.items():
        if word in words:
            return name
    return None


# The language a keyword tells (for the one answer to DELETE).
KEYWORD_LANGUAGE = {"BORRAR": "es", "ELIMINAR": "es", "SUPPRIMER": "fr", "EFFACER": "fr", "APAGAR": "pt",
                    "EXCLUIR": "pt", "DELETE": "en"}


def keyword_language(text: str) -> str:
    return KEYWORD_LANGUAGE.get(plain(text).upper(), "en")


def guess_language(text: str) -> str | None:
    words = plain(text).split()
    scores = {language: sum(w in hints for w in words) for language, hints in HINTS.items()}
    best = max(scores.values())
    winners = [language for language, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def chosen_language(text: str) -> str | None:
    return CHOICES.get(plain(text))


@cache
def _country_names(language: str) -> dict[str, str]:
    found = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for name in {countries.name(code, language), countries.name(code, "en"), country.name,
                     getattr(country, "official_name", "")}:
            if name:
                found[plain(name)] = code
                if ", " in name:  # "Congo, República Democrática do": also in speaking order, and short
                    before, after = name.split(", ", 1)
                    found.setdefault(plain(f"{after} {before}"), code)
                    found.setdefault(plain(before), code)
    return found


def country_code(text: str, language: str) -> str | None:
    """The ISO code of the country she named, in her language or in English, or its code."""
    answer = plain(text)
    if len(answer) == 2 and answer.upper() in countries.codes():
        return answer.upper()
    return _country_names(language or "en").get(answer)


def safety(text: str) -> str:
    """"yes", "no" or "unsure", from her answer to "are you safe now?"."""
    words = plain(text).upper().split()
    if words and words[0] in YES:
        return "yes"
    if words and words[0] in NO:
        return "no"
    return "unsure"


# --- What we answer, by name ----------------------------------------------------------------

CHOOSE_LANGUAGE_TEXT = ("Amparo: 1 Español, 2 Français, 3 Português, 4 English. "
                        "Responda / Répondez / Responda / Reply 1-4.")

PROMPTS: dict[str, Callable[[], str]] = {
    "language": lambda: CHOOSE_LANGUAGE_TEXT,
    "country": lambda: gettext(
        "Amparo: thank you for writing. Your messages are sealed. Reply STOP to stop, DELETE to delete "
        "them. In which country did it happen?"),
    "country_again": lambda: gettext("We did not recognise that country. Please write its name, for example Honduras."),
    "what": lambda: gettext("What happened? Tell us in a few words."),
    "when": lambda: gettext("When did it happen?"),
    "safe": lambda: gettext("Are you safe now? Reply YES or NO."),
    "thanks": lambda: gettext(
        "Thank you. Your report has reached the team. They may write to you at this number. "
        "Reply DELETE to delete your messages."),
    "deleted": lambda: gettext("Your messages were deleted."),
    "no_desk": lambda: gettext("Sorry, no team can take a report yet. Please write again later."),
}


def prompt_text(name: str, language: str) -> str:
    with translation.override(language if language in LANGUAGES else "en"):
        return PROMPTS[name]()


def headings(language: str) -> dict[str, str]:
    """The headings of her answers in the report the desk reads."""
    with translation.override(language if language in LANGUAGES else "en"):
        return {"language": gettext("Her first message"), "what": gettext("What happened"),
                "when": gettext("When"), "safe": gettext("Safe now"),
                "channel": gettext("Report received by SMS, in a guided conversation.")}
