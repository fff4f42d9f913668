"""Form tokens: a public form's state sealed between its pages, short-lived and bound to its purpose."""

from __future__ import annotations

from amparo.vault import services as vault


def test_it_carries_the_state_and_opens_only_for_its_purpose() -> None:
    token = vault.seal_form_state({"page": 2, "answers": {"q": "secret words"}}, purpose="survey:1", now=1000)
    assert "secret" not in token
    assert vault.open_form_state(token, purpose="survey:1", max_age=60, now=1030) == {
        "page": 2, "answers": {"q": "secret words"}}
    assert vault.open_form_state(token, purpose="survey:2", max_age=60, now=1030) is None


def test_it_dies_after_its_age_and_refuses_a_changed_token() -> None:
    token = vault.seal_form_state({"a": 1}, purpose="p", now=1000)
    assert vault.open_form_state(token, purpose="p", max_age=60, now=1061) is None
    changed = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    assert vault.open_form_state(changed, purpose="p", max_age=60, now=1001) is None
    assert vault.open_form_state("made-up", purpose="p", max_age=60, now=1001) is None
