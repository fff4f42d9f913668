"""Forms read out of a page the way a browser reads them, for the round-trip harness
(test_forms_roundtrip): what each control would send if the person pressed the form's first
submit button without touching anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "email", "search", "url", "tel", "password", "number", "date", "datetime-local", "month",
              "week", "time", "color", "range", ""}
BUTTON_TYPES = {"submit", "image"}
NOT_SENT = {"reset", "button", "file"}


@dataclass
class Control:
    """One control of a form: an input, a select or a textarea."""

    tag: str  # input, select, textarea
    name: str
    type: str  # the input's type; "select", "select-multiple" or "textarea" otherwise
    value: str = ""
    checked: bool = False
    disabled: bool = False
    readonly: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected) of a select

    def visible(self) -> bool:
        return self.type != "hidden"

    def sent(self) -> list[tuple[str, str]]:
        """What the browser sends for this control, untouched."""
        if self.disabled or not self.name or self.type in NOT_SENT | BUTTON_TYPES:
            return []
        if self.type in {"checkbox", "radio"}:
            return [(self.name, self.value or "on")] if self.checked else []
        if self.tag == "select":
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.type == "select" and self.options:
                chosen = [self.options[0][0]]  # a single select shows (and sends) its first option
            return [(self.name, value) for value in (chosen if self.type == "select-multiple" else chosen[-1:])]
        return [(self.name, self.value)]


@dataclass
class Form:
    """One <form> as rendered."""

    index: int  # its place among the page's forms
    action: str
    method: str
    enctype: str
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (name, value) of submit buttons

    def rendered_names(self) -> set[str]:
        """Every name the page offers, sent or not (an unchecked box is still on the page)."""
        return {c.name for c in self.controls if c.name}

    def data(self, change: tuple[Control, str] | None = None) -> list[tuple[str, str]]:
        """The pairs sent by pressing the first submit button, with one control changed: a
        new value typed or chosen, or a box ticked or unticked ("toggle")."""
        pairs: list[tuple[str, str]] = []
        for control in self.controls:
            if change is None or control is not change[0]:
                pairs += control.sent()
            elif control.type in {"checkbox", "radio"}:
                pairs += [] if control.checked else [(control.name, control.value or "on")]
            else:
                pairs.append((control.name, change[1]))
        if self.buttons and self.buttons[0][0]:
            pairs.append(self.buttons[0])
        return pairs

    def describe(self) -> str:
        names = sorted(self.rendered_names() - {"csrfmiddlewaretoken"})
        action = self.action or "(this page)"
        return f"form #{self.index} ({self.method.upper()} {action}: {', '.join(names) or 'no fields'})"


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Control | None = None
        self.option: tuple[str | None, list[str], bool] | None = None  # the open <option>: value, text, selected
        self.textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            self.current = Form(len(self.forms), attrs.get("action", ""), (attrs.get("method") or "get").lower(),
                                attrs.get("enctype", "application/x-www-form-urlencoded"), attrs)
            self.forms.append(self.current)
            return
        if self.current is None:
            return
        disabled = "disabled" in attrs
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in BUTTON_TYPES:
                if not disabled:
                    self.current.buttons.append((attrs.get("name", ""), attrs.get("value", "")))
                return
            self.current.controls.append(Control(
                "input", attrs.get("name", ""), kind, attrs.get("value", "on" if kind in {"checkbox", "radio"} else ""),
                checked="checked" in attrs, disabled=disabled, readonly="readonly" in attrs))
        elif tag == "button":
            if attrs.get("type", "submit").lower() == "submit" and not disabled:
                self.current.buttons.append((attrs.get("name", ""), attrs.get("value", "")))
        elif tag == "select":
            self.select = Control("select", attrs.get("name", ""),
                                  "select-multiple" if "multiple" in attrs else "select", disabled=disabled)
            self.current.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self._close_option()
            self.option = (dict(attrs_list).get("value"), [], "selected" in attrs)
        elif tag == "textarea":
            self.textarea = Control("textarea", attrs.get("name", ""), "textarea", disabled=disabled,
                                    readonly="readonly" in attrs)
            self.current.controls.append(self.textarea)

    def _close_option(self) -> None:
        if self.option is not None and self.select is not None:
            value, text, selected = self.option
            # Without a value attribute, an option sends its text.
            self.select.options.append((value if value is not None else "".join(text).strip(), selected))
        self.option = None

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option[1].append(data)
        elif self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            if self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.forms
