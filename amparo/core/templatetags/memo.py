"""`{% memo key… %}…{% endmemo %}`: render a fragment once per process, language and key.

For the parts of a page that are the same for every visitor in a language (links to static
files, the language buttons, fixed text): Django's template tags cost a few to thirty
microseconds each, and a page has dozens of them (docs/performance.md). Never wrap anything
that depends on the request beyond the keys given: a CSRF token, messages, `request.*`.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
MAX_VARIANTS = 64  # per fragment: languages × keys stay few; a bound keeps a mistake cheap


class MemoNode(template.Node):
    def __init__(self, nodelist: NodeList, keys: list[FilterExpression]) -> None:
        self.nodelist, self.keys = nodelist, keys
        self.rendered: dict[tuple[object, ...], SafeString] = {}

    def render(self, context: Context) -> SafeString:
        key = (translation.get_language(), *(k.resolve(context) for k in self.keys))
        text = self.rendered.get(key)
        if text is None:
            text = mark_safe(self.nodelist.render(context))  # noqa: S308 - rendered by Django, escaped
            if len(self.rendered) < MAX_VARIANTS:
                self.rendered[key] = text
        return text


@register.tag
def memo(parser: Parser, token: Token) -> MemoNode:
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, keys)
