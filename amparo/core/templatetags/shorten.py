"""`{{ name|middle_truncate:40 }}`: a file name of any length and script, shortened in the
middle for the screen, with its extension kept.

Phones and scanners make names of a hundred characters without a space
("IMG_20240315_183355_HDR_….heic"); shown whole they widen the page or fill it. The start says
what the file is, the end and the extension say which version and what kind, so the middle
goes. Width is counted as a screen shows it: a wide (CJK) character counts two, a combining
mark none, and a letter with its marks, or an emoji sequence, is never cut apart. Controls and
bidirectional overrides are left out of what is shown, so a name cannot disguise its
extension (the record and the download keep the name whole).
"""

from __future__ import annotations

import unicodedata

from django import template

register = template.Library()

ELLIPSIS = "…"
MAX_EXTENSION = 8  # ".jpeg", ".docx", ".tar.gz"'s ".gz": longer tails are part of the name
# Bidirectional embeddings, overrides and isolates: shown, they can reverse "gpj.exe".
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
_ZWJ = "\u200d"


def _joins(char: str) -> bool:
    """Whether `char` belongs to the cluster before it (a mark, a joiner, a variation
    selector, a skin tone)."""
    return (unicodedata.category(char) in {"Mn", "Mc", "Me"} or char == _ZWJ
            or 0xFE00 <= ord(char) <= 0xFE0F or 0x1F3FB <= ord(char) <= 0x1F3FF or 0xE0020 <= ord(char) <= 0xE007F)


def clusters(text: str) -> list[str]:
    """`text` in the pieces a reader sees as one character (close to Unicode's grapheme
    clusters: enough never to cut a letter from its accent or an emoji sequence apart)."""
    found: list[str] = []
    for char in text:
        if found and (_joins(char) or found[-1].endswith(_ZWJ)):
            found[-1] += char
        else:
            found.append(char)
    return found


def width(cluster: str) -> int:
    """Columns a cluster takes: two for wide and full-width characters, one otherwise."""
    return 2 if unicodedata.east_asian_width(cluster[0]) in {"W", "F"} else 1


def shown(name: str) -> str:
    """`name` without the characters that should never reach the screen: controls and
    bidirectional overrides."""
    return "".join(c for c in name if c not in _BIDI_CONTROLS and unicodedata.category(c) != "Cc")


@register.filter
def middle_truncate(value: object, limit: int = 40) -> str:
    """At most `limit` columns of `value`: its start, an ellipsis, its end and its extension."""
    pieces = clusters(shown(str(value)))
    if sum(map(width, pieces)) <= limit:
        return "".join(pieces)
    dot = len(pieces) - 1 - pieces[::-1].index(".") if "." in pieces[1:] else -1
    extension = pieces[dot:] if dot > 0 and len(pieces) - dot <= MAX_EXTENSION + 1 else []
    stem = pieces[: len(pieces) - len(extension)]
    room = max(2, limit - 1 - sum(map(width, extension)))
    tail_room = room // 3

    def take(source: list[str], columns: int) -> list[str]:
        taken: list[str] = []
        used = 0
        for piece in source:
            used += width(piece)
            if used > columns:
                break
            taken.append(piece)
        return taken

    tail = take(stem[::-1], tail_room)[::-1]
    head = take(stem, room - sum(map(width, tail)))
    return "".join(head) + ELLIPSIS + "".join(tail) + "".join(extension)
