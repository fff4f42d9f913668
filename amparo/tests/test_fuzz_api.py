"""schemathesis against /api/v1/schema/ (issue 17, "Fuzzing in CI").

Every operation of the schema is called in-process through the WSGI application, on the test
database, anonymously and with a documenter's API token: no answer is a server error, and
every answer conforms to the schema (its status is documented, its body and content type are
the ones described; `amparo/core/openapi.py` documents the refusals). Requests the schema
allows are checked for conformance; requests it forbids (negative examples) only for server
errors, since Django answers a path that is no endpoint at all with its own 404 page.

Bounded so it fits CI: a few dozen examples per operation and mode, no shrinking beyond
Hypothesis's own limit. Marked `fuzz`: `make test` and CI run it in a step of its own, with a
fixed seed that the output names.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.control import SkipTest
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from amparo.accounts import services as accounts
from amparo.tests.fuzz import seed_cases

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
               response_headers_conformance]
EXAMPLES = 15
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))


def _load(mode: GenerationMode) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict({
        "generation": {"mode": mode.value, "max-examples": EXAMPLES},
        # The stateful phase follows links between operations, which this schema does not declare.
        "phases": {"stateful": {"enabled": False}},
    })
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(), config=config)


@pytest.fixture
def standing(world, vocabulary):
    """The standing world, with one case in each desk, and no throttle left over from before.

    The WSGI handler closes the database connection when a request starts and ends; inside
    the test's transaction that would close the test database itself. Django's own test
    client unhooks it the same way for the time of a request."""
    cache.clear()
    seed_cases(world)
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield world
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def documenter_token(standing) -> str:
    _token, raw = accounts.create_api_token(standing.users["documenter_a"], name="fuzz", days=1)
    return raw


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, from the same generator the schema view uses."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [(method.upper(), path) for path, operations in paths.items() for method in operations]


def _fuzz(mode: GenerationMode, checks: list, headers: dict[str, str]) -> None:
    """Draw cases for each operation of the schema the app serves, call the app, check; then
    fail once, naming every operation that failed and why (with the request to reproduce)."""
    schema = _load(mode)
    failures = []
    for method, path in _operations():
        strategy = schema[path][method].as_strategy(generation_mode=mode)

        @BOUNDED
        @given(case=strategy)
        def run(case):
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except SkipTest:  # an operation with no parameter at all: the schema forbids nothing to send
            continue
        except Exception as failure:  # noqa: BLE001 - every operation is tried, then all are reported
            failures.append(f"{method} {path}:\n{failure}")
    assert not failures, "\n\n".join(failures)


def test_anonymous_answers_conform_to_the_schema(standing):
    _fuzz(GenerationMode.POSITIVE, CONFORMANCE, {})


def test_a_documenters_token_gets_answers_that_conform_to_the_schema(documenter_token):
    _fuzz(GenerationMode.POSITIVE, CONFORMANCE, {"Authorization": f"Bearer {documenter_token}"})


def test_requests_the_schema_forbids_never_cause_a_server_error(documenter_token):
    _fuzz(GenerationMode.NEGATIVE, [not_a_server_error], {"Authorization": f"Bearer {documenter_token}"})


def test_anonymous_requests_the_schema_forbids_never_cause_a_server_error(standing):
    _fuzz(GenerationMode.NEGATIVE, [not_a_server_error], {})


def test_every_operation_of_the_schema_is_fuzzed():
    """The operations come from the schema itself: a new endpoint is fuzzed without a word here."""
    operations = _operations()
    assert ("POST", "/api/v1/incidents/") in operations and len(operations) >= 16


def test_a_nul_character_is_refused_before_any_lookup(client, documenter_token):
    """Found by the fuzz run on PostgreSQL, which cannot compare text holding NUL: each was a 500."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {documenter_token}"}
    created = client.post("/api/v1/incidents/", {"desk": "desk-a", "attack_types": ["attack.threat\x00"]},
                          content_type="application/json", **auth)
    assert created.status_code == 400 and "attack_types" in created.json()
    # A desk slug holding NUL is answered like any desk that is not hers: the same 404.
    assert client.post("/api/v1/incidents/", {"desk": "desk\x00"}, content_type="application/json",
                       **auth).status_code == 404
    # In the address, a NUL is refused before any view (core's NulRefusedMiddleware), in JSON.
    for url in ("/api/v1/defenders/?desk=desk%00a", "/api/v1/stats/incidents?desk=desk%00a"):
        refused = client.get(url, **auth)
        assert refused.status_code == 400 and "NUL" in refused.json()["detail"]
