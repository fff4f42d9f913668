"""One table says who gets what from every URL of the project.

Every URL pattern is walked as each standing user and as an anonymous visitor; its
arguments point at objects of desk A / network A. A URL without a row fails
`test_it_has_a_row_for_every_url`, so a new page cannot ship without saying who may see it.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from amparo.tests.tables import (
    ADMIN_LOGIN,
    COORDINATOR_ONLY,
    DEFENDER_ONLY,
    DESK_A_CASES,
    DESK_A_DOCUMENTER_ONLY,
    EVERYONE,
    LOGIN,
    Row,
    app_tables,
    gathered,
    row,
    same,
    signed_in,
)
from conftest import STANDING_USERS, sign_in

TABLE: dict[str, Row] = {
    "core:home": same("GET", 200),
    "core:ping": same("GET", 200),
    "core:health": same("GET", 200),
    "registry:vocabulary": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "registry:vocabulary_kind": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "registry:term_create": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "registry:term_edit": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "registry:term_retire": signed_in("POST", LOGIN, **{**COORDINATOR_ONLY, "coordinator": 302}),
    "registry:term_restore": signed_in("POST", LOGIN, **{**COORDINATOR_ONLY, "coordinator": 302}),
    "registry:vocabulary_export": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "registry:vocabulary_import": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "core:leave": same("GET", 200),
    # Anonymous reports: public to everyone; writing needs words that open a report (404 without).
    "intake:form": same("GET", 200),
    "intake:back": same("GET", 200),
    # Her conversation at a short-lived address: a made-up token opens nothing (404).
    "intake:conversation": same("GET", 404),
    "set_language": same("POST", 302),
    "accounts:login": signed_in("GET", 200, **dict.fromkeys(STANDING_USERS, 302)),
    "accounts:logout": same("POST", 302),
    "accounts:dashboard": signed_in("GET", LOGIN, **dict.fromkeys(STANDING_USERS, 200)),
    "accounts:login_code": same("GET", 302),
    "accounts:security": signed_in("GET", LOGIN, **dict.fromkeys(STANDING_USERS, 200)),
    # Staff roles (the fund reviewer and the ICT expert too) have proved a second factor already.
    "accounts:second_factor": signed_in(
        "GET", LOGIN, defender=200, documenter_a=302, documenter_b=302, coordinator=302,
        supporter=200, outsider=200, fund_reviewer=302, ict_expert=302),
    "accounts:recovery_codes": signed_in("POST", LOGIN, **dict.fromkeys(STANDING_USERS, 302)),
    "accounts:session_end": signed_in(
        "POST", LOGIN, defender=302, documenter_a=404, documenter_b=404, coordinator=404,
        supporter=404, outsider=404, fund_reviewer=404, ict_expert=404),
    "accounts:sessions_end_others": signed_in("POST", LOGIN, **dict.fromkeys(STANDING_USERS, 302)),
    # API tokens are for staff roles, the fund reviewer and the ICT expert among them.
    "accounts:api_tokens": signed_in(
        "GET", LOGIN, defender=302, documenter_a=200, documenter_b=200, coordinator=200,
        supporter=302, outsider=302, fund_reviewer=200, ict_expert=200),
    "accounts:api_token_revoke": signed_in(
        "POST", LOGIN, defender=302, documenter_a=404, documenter_b=404, coordinator=404,
        supporter=404, outsider=404, fund_reviewer=404, ict_expert=404),
    "accounts:password_change": signed_in("GET", LOGIN, **dict.fromkeys(STANDING_USERS, 200)),
    "accounts:password_reset": same("GET", 200),
    "accounts:password_reset_done": same("GET", 200),
    "accounts:password_reset_confirm": same("GET", 200),
    "accounts:password_reset_complete": same("GET", 200),
    "network:invite": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "network:invitation": same("GET", 404),
    "vault:recovery_code": signed_in("GET", LOGIN, **dict.fromkeys(STANDING_USERS, 302)),
    # Without her password: back to the security page, no code.
    "vault:new_recovery_code": signed_in("POST", LOGIN, **dict.fromkeys(STANDING_USERS, 302)),
    "vault:recover": signed_in("GET", LOGIN, **dict.fromkeys(STANDING_USERS, 200)),
    "network:recovery_sheet": signed_in("POST", LOGIN, **DESK_A_DOCUMENTER_ONLY),
    "network:recovery_sheet_confirm": signed_in("POST", LOGIN, **DESK_A_DOCUMENTER_ONLY),
    "network:restore_from_sheet": signed_in("GET", LOGIN, **DESK_A_DOCUMENTER_ONLY),
    # The coordinators' own ring: only a coordinator of network A itself.
    "network:network_recovery_sheet": signed_in("POST", LOGIN, **COORDINATOR_ONLY),
    "network:network_recovery_sheet_confirm": signed_in("POST", LOGIN, **COORDINATOR_ONLY),
    "network:network_restore": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "network:my_contact": signed_in(
        "GET", LOGIN, defender=200, documenter_a=200, documenter_b=404, coordinator=200,
        supporter=404, outsider=404, fund_reviewer=404, ict_expert=404),
    "network:member_contact": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "registry:inbox": signed_in("GET", LOGIN, **DESK_A_CASES),
    "registry:incident_new": signed_in("GET", LOGIN, **DESK_A_CASES),
    "registry:incident": signed_in("GET", LOGIN, **DESK_A_CASES),
    "registry:incident_edit": signed_in("GET", LOGIN, **DESK_A_CASES),
    "registry:incident_action": signed_in("POST", LOGIN, **{**DESK_A_CASES, "documenter_a": 302}),
    "registry:attachment": signed_in("GET", LOGIN, **DESK_A_CASES),
    "registry:report": signed_in("GET", LOGIN, **DEFENDER_ONLY),
    "registry:my_reports": signed_in("GET", LOGIN, **DEFENDER_ONLY),
    # Her report at a short-lived address: a made-up token opens nothing, even for her (404).
    "registry:my_report": signed_in("GET", LOGIN, **{**DEFENDER_ONLY, "defender": 404}),
    "registry:my_report_open": signed_in("POST", LOGIN, **{**DEFENDER_ONLY, "defender": 404}),
    "registry:my_report_withdraw": signed_in("POST", LOGIN, **{**DEFENDER_ONLY, "defender": 303}),
    "network:index": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "network:network_detail": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "network:desk_create": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    # Network A is national: only a coalition takes new networks (404; see test_services).
    "network:network_create": signed_in("GET", LOGIN, **{**COORDINATOR_ONLY, "coordinator": 404}),
    "network:organisation_create": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "network:members": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "network:audit_log": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "network:desk_detail": signed_in(
        "GET", LOGIN, defender=403, documenter_a=200, documenter_b=404, coordinator=200,
        supporter=403, outsider=403, fund_reviewer=403, ict_expert=403),
    "network:desk_edit": signed_in("GET", LOGIN, **COORDINATOR_ONLY),
    "network:membership_end": signed_in(
        "POST", LOGIN, **{**COORDINATOR_ONLY, "coordinator": 302}),
    "api:schema": same("GET", 200),
    "api:me": signed_in("GET", 401, **dict.fromkeys(STANDING_USERS, 200)),
    "api:networks": signed_in("GET", 401, **COORDINATOR_ONLY),
    "api:network": signed_in("GET", 401, **COORDINATOR_ONLY),
    "api:network_memberships": signed_in("GET", 401, **COORDINATOR_ONLY),
    # documenter_a is desk A's only key holder: ending her role is refused (409), see test_vault.
    "api:membership_end": signed_in("POST", 401, **{**COORDINATOR_ONLY, "coordinator": 409}),
    "api:desks": signed_in(
        "GET", 401, defender=403, documenter_a=200, documenter_b=200, coordinator=200,
        supporter=403, outsider=403, fund_reviewer=403, ict_expert=403),
    "api:vocabulary": signed_in("GET", 401, **dict.fromkeys(STANDING_USERS, 200)),
    "api:incidents": signed_in("GET", 401, **{**DESK_A_CASES, "documenter_b": 200}),
    "api:incident": signed_in("GET", 401, **DESK_A_CASES),
    "api:defenders": signed_in("GET", 401, **{**DESK_A_CASES, "documenter_b": 200}),
    "api:desk": signed_in(
        "GET", 401, defender=403, documenter_a=200, documenter_b=404, coordinator=200,
        supporter=403, outsider=403, fund_reviewer=403, ict_expert=403),
}

# Rows that apps keep beside their code (amparo/<app>/tests/tables.py).
for _name, _row in gathered("AUTHORIZATION").items():
    assert _name not in TABLE, f"{_name} has two rows"
    TABLE[_name] = _row

# The Django admin: nobody among the standing users is staff, so every admin page sends them
# to the admin's own login. Its login page itself answers, and logging out takes a POST.
ADMIN_SPECIAL = {
    "admin:login": same("GET", LOGIN),  # one login for everything: ours
    "admin:logout": row("POST", **dict.fromkeys(EVERYONE, 302)),
}
ADMIN_DEFAULT = same("GET", ADMIN_LOGIN)


def _walk(patterns: list, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            found.append((f"{namespace}{p.name}", prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            found.append((f"{namespace}<unnamed {prefix}{p.pattern}>", prefix + str(p.pattern)))
    return found


def all_url_names() -> list[str]:
    return sorted({name for name, _ in _walk(get_resolver().url_patterns)})


def row_for(name: str) -> Row | None:
    if name in TABLE:
        return TABLE[name]
    if name.startswith("admin:"):
        return ADMIN_SPECIAL.get(name, ADMIN_DEFAULT)
    return None


def test_it_has_a_row_for_every_url():
    missing = [name for name in all_url_names() if row_for(name) is None]
    assert not missing, f"URLs without a row in the authorization table: {missing}"


def test_it_has_no_row_for_a_url_that_does_not_exist():
    names = set(all_url_names())
    assert not set(TABLE) - names


def _values(world) -> dict[str, object]:
    """What each URL argument is filled with: objects of network A and desk A."""
    from amparo.registry import services as registry
    from amparo.registry.models import Incident
    from amparo.vocabulary.models import Term

    incident = Incident.objects.filter(desk=world.desk_a, reporter=world.users["defender"]).first() or \
        registry.record_incident(world.users["defender"], world.desk_a,
                                 registry.IncidentData(narrative="what happened", country="HN"),
                                 channel=Incident.Channel.DEFENDER, reporter=world.users["defender"])
    attachment = incident.attachments.first() or registry.add_attachment(
        world.users["defender"], incident, filename="note.txt", content_type="text/plain",
        chunks=[b"a note"], size=6)
    values: dict[str, object] = {
        "incident_id": incident.pk,
        "attachment_id": attachment.pk,
        "action": "status",
        "network_slug": world.network_a.slug,
        "network_id": world.network_a.pk,
        "desk_slug": world.desk_a.slug,
        "membership_id": world.memberships["documenter_a"].pk,
        "app_label": "network",
        "object_id": "1",
        "content_type_id": 1,
        "id": 1,
        "url": "no-such-page/",
        "session_id": world.defender_session.pk,
        "token_id": world.defender_token.pk,
        "uidb64": "MQ",
        "token": "not-a-valid-token",
        "kind": "attack_type",
        # A shipped term; a test on a flushed database (transactional tests) makes one.
        "term_id": (Term.objects.order_by("id").first()
                    or Term.objects.create(kind="attack_type", code="attack.test", label_en="Test")).pk,
    }
    for module in app_tables():
        if hasattr(module, "url_values"):
            more = module.url_values(world)
            assert not set(more) & set(values), f"{module.__name__} redefines {set(more) & set(values)}"
            values.update(more)
    return values


def _url(name: str, world) -> str:
    pattern = dict(_walk(get_resolver().url_patterns))[name]
    wanted = [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern)]
    values = _values(world)
    if "<unnamed " in name:
        # Unnamed patterns (the admin's old-style redirects) cannot be reversed: fill them in.
        filled = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern)
        filled = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), filled)
        return "/" + filled.replace("^", "").replace("$", "")
    return reverse(name, kwargs={arg: values[arg] for arg in wanted})


URL_NAMES = [name for name in all_url_names() if row_for(name)]


def _answer(client, url: str, method: str) -> tuple[int, str]:
    response = client.post(url) if method == "POST" else client.get(url)
    return response.status_code, response.get("Location", "")


def _matches(expected: int | str, status: int, location: str) -> bool:
    if expected == LOGIN:
        return status == 302 and location.startswith("/accounts/login/")
    if expected == ADMIN_LOGIN:
        return status == 302 and location.startswith("/admin/login/")
    return status == expected


@pytest.mark.parametrize("name", URL_NAMES)
def test_it_answers_as_the_table_says(client, world, name):
    """Every person (and nobody) against one URL; each visit in a savepoint that is rolled
    back, so a POST by one person does not change what the next one finds."""
    entry = row_for(name)
    assert entry is not None
    url = _url(name, world)
    wrong = []
    for who in EVERYONE:
        client.logout()
        client.cookies.clear()
        with transaction.atomic():
            if who != "anonymous":
                sign_in(client, world.users[who], world.unlocked[who])
            status, location = _answer(client, url, entry.method)
            transaction.set_rollback(True)
        expected = entry.expect[who]
        if not _matches(expected, status, location):
            wrong.append(f"{who}: expected {expected}, got {status} {location}")
    assert not wrong, f"{entry.method} {url}: " + "; ".join(wrong)
