"""Receipts she can type: 8 common words (88 bits) from the BIP-39 lists that the `mnemonic`
package ships for English, Spanish, French and Portuguese. In each list the first four letters
(accents and capitals aside) name one word, so a slip after a word's fourth letter still opens
her report, and a word that names none can be pointed at ("the 3rd word").

A receipt's keys are derived from its canonical form: each word spelled in full, without
accents, in lowercase. Receipts issued before (xkcdpass words, 7 or more) are tried as typed.
Reads only: nothing here writes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache as memoise
from importlib import resources

WORDS = 8  # 8 × 11 bits = 88 bits, from lists of 2,048 words
PREFIX = 4
LISTS = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}


def plain(word: str) -> str:
    """A word without accents or capitals: what any keyboard types back."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _code(language: str) -> str:
    code = (language or "en")[:2].lower()
    return code if code in LISTS else "en"


@memoise
def wordlist(language: str) -> tuple[str, ...]:
    """The language's 2,048 words, as the list spells them (with their accents, composed: the
    files are decomposed, NFKD)."""
    text = resources.files("mnemonic").joinpath("wordlist", f"{LISTS[_code(language)]}.txt")
    return tuple(unicodedata.normalize("NFC", w.strip()) for w in text.read_text(encoding="utf-8").split()
                 if w.strip())


@memoise
def _by_prefix(language: str) -> dict[str, str]:
    """First four plain letters (the whole word when shorter) → the word, plain."""
    return {plain(w)[:PREFIX]: plain(w) for w in wordlist(language)}


def _resolve_word(typed: str, language: str) -> str | None:
    return _by_prefix(language).get(plain(typed)[:PREFIX])


@dataclass(frozen=True)
class Reading:
    """What typed words may be: the canonical receipts to try, best first, and, when they are
    8 words none of our lists fully knows, the position (1-based) of the first word not
    recognised in the list that knows the most of them."""

    candidates: tuple[str, ...]
    unrecognised: int | None = None


def _languages(first: str) -> list[str]:
    first = _code(first)
    return [first] + [code for code in LISTS if code != first]


def read(typed: str, language: str = "en") -> Reading:
    """Her typed words, read against every list (her language's first), and as typed (receipts
    issued before these lists)."""
    words = typed.split()
    as_typed = " ".join(words).casefold()
    if len(words) != WORDS:
        return Reading((as_typed,) if words else ())
    candidates: list[str] = []
    best: tuple[int, int | None] = (-1, None)  # (words recognised, first not recognised)
    for code in _languages(language):
        resolved = [_resolve_word(w, code) for w in words]
        if all(resolved):
            canonical = " ".join(w for w in resolved if w)
            if canonical not in candidates:
                candidates.append(canonical)
            continue
        known = sum(1 for w in resolved if w)
        if known > best[0]:
            best = (known, next(i for i, w in enumerate(resolved, start=1) if not w))
    unrecognised = None if candidates else best[1]
    # Receipts of before were lowercase ASCII words: typed words with accents cannot be one (and
    # each candidate costs an Argon2id derivation).
    if as_typed not in candidates and (as_typed.isascii() or not candidates):
        candidates.append(as_typed)
    return Reading(tuple(candidates), unrecognised)


def canonical(receipt: str, language: str = "en") -> str:
    """The form a receipt's keys are derived from: the first reading (as typed when no list
    knows every word)."""
    reading = read(receipt, language)
    return reading.candidates[0] if reading.candidates else ""


def language_of(words: tuple[str, ...] | list[str]) -> str:
    """The language whose list holds these issued words ("en" when none)."""
    for code in LISTS:
        known = set(wordlist(code))
        if all(w in known for w in words):
            return code
    return "en"
