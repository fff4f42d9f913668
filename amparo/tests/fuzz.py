"""What the fuzz tests share (`pytest -m fuzz`): bounded Hypothesis settings, a little data to
find, and row counts to prove that a refused input stored nothing.

Hypothesis picks its examples at random unless the run fixes a seed: `make test` and CI pass
`--hypothesis-seed` (and print it), so a failure there is reproduced by running the same
command with the same seed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.apps import apps
from django.db import models
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each example is a real request through the whole stack (middleware, forms, services, the
# database), so a few dozen per form keep a run within CI's budget of three minutes per
# database. `deadline=None`: the first request of a run compiles templates and is slow.
FORM_EXAMPLES = 30


def bounded(examples: int = FORM_EXAMPLES) -> settings:
    """Hypothesis settings for a test that drives Django's test client: function-scoped
    fixtures (the client, the world) are what we want shared across examples."""
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.filter_too_much])


# Text a person (or an attacker) may type: any Unicode but the surrogates (a browser cannot
# send them), with the odd characters that break naive code kept likely.
ODD = st.sampled_from(["", " ", "\x00", "\n", "\r\n", "'", '"', "<script>", "%", "\\", "=1+1", "\u202e", "😀",
                       "９", "ǅ", "İ", "a" * 300, "0", "-1", "1e309", "9" * 40, "NaN", "null", "[]", "{}"])
TEXT = st.one_of(ODD, st.text(st.characters(blacklist_categories=["Cs"]), max_size=300))
SHORT = st.one_of(ODD, st.text(st.characters(blacklist_categories=["Cs"]), max_size=40))


def form_values(fields: Iterable[str], choices: dict[str, list[str]] | None = None) -> st.SearchStrategy[dict]:
    """A POST body for these fields: each one missing, a valid choice, or any text."""
    choices = choices or {}
    options = {}
    for name in fields:
        values = [st.sampled_from(choices[name])] if choices.get(name) else []
        options[name] = st.one_of(*values, TEXT, st.lists(SHORT, min_size=2, max_size=3))
    return st.fixed_dictionaries({}, optional=options)


def amparo_counts() -> dict[str, int]:
    """Rows in every table of Amparo's own apps: what a refused input must leave unchanged."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model.__module__.startswith("amparo.") and not model._meta.proxy}


def changed(before: dict[str, int], after: dict[str, int], allowed: Iterable[str] = ()) -> dict[str, tuple]:
    """Tables whose row count moved, but for `allowed` (counters, sessions, audit entries the
    flow writes on purpose)."""
    keep = set(allowed)
    return {name: (before.get(name), after.get(name)) for name in set(before) | set(after)
            if before.get(name) != after.get(name) and name not in keep}


ERROR_MARKS = re.compile(r'class="[^"]*\b(errorlist|error|errors|field-error|form-error|notice-error)\b|role="alert"')


def shows_an_error(html: str) -> bool:
    """A refusal a person can read: Django's error list or the page's own alert."""
    return bool(ERROR_MARKS.search(html))


def seed_cases(world) -> None:
    """One case in each desk and a published appeal, so the API has objects to find (and
    other desks' objects to hide)."""
    from amparo.appeals.tests.test_appeals import approved
    from amparo.registry import services as registry

    registry.record_incident(world.users["documenter_a"], world.desk_a, registry.IncidentData(
        country="HN", narrative="a fuzz case", victims=2, consent_statistics=True))
    registry.record_incident(world.users["documenter_b"], world.desk_b, registry.IncidentData(
        country="CD", narrative="another desk's case", consent_statistics=True))
    approved(world)


def model_count(model: type[models.Model]) -> int:
    return model.objects.count()
