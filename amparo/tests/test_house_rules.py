"""The house rules, as tests: writes only in each app's services, no module over 500 lines,
audit actions only from a catalogue.

Each rule reads the code (amparo/tests/house.py) and prints what breaks it, grouped by file.
While the restructuring of issue 18 is under way, each rule is lenient: the offenders found on
the day it was written are listed below, a listed file may only lose offences, and a new one
fails. The lists must shrink to empty; then `STRICT = True` ignores them and every offence
fails.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

import pytest

from amparo.core.audit import AuditAction
from amparo.tests import house

# The one switch: True now that the lists below hold only infrastructure (issue 18 merged).
STRICT = True

MAX_LINES = 500

# ORM or raw SQL writes outside `services/` (or services.py), migrations and tests, by file:
# how many there are. Only infrastructure that is itself the one writer of its table, on
# purpose, each with its reason; these stay allowed when STRICT, everything else fails.
INFRASTRUCTURE_WRITERS: dict[str, int] = {
    # Django's session backend (SessionStore.save): the session table belongs to Django's
    # contract for session engines, not to any app's service.
    "amparo/accounts/session_store.py": 1,
    # The audit chain's appender: every service's record_audit ends here, under its own lock,
    # so the chain (each entry's hash over the one before) has exactly one writer.
    "amparo/core/audit.py": 3,
    # The atomic throttle counters (an UPSERT in raw SQL per database): called by the gates
    # before any service runs, and must count even when the service's transaction rolls back.
    "amparo/core/counters.py": 5,
}
KNOWN_OFFENDERS = INFRASTRUCTURE_WRITERS

# Modules over MAX_LINES lines, by file: how long they were. MUST SHRINK TO EMPTY.
KNOWN_LONG_MODULES: dict[str, int] = {
}

# `record_audit` / `audit.record` calls whose action is a string rather than a catalogue
# member (`Action.X`), by file: how many. MUST SHRINK TO EMPTY.
KNOWN_STRING_ACTIONS: dict[str, int] = {
}


def _beyond(found: dict[str, int], known: dict[str, int], *, always: dict[str, int] | None = None) -> set[str]:
    """Files whose count is over what the list allows (when strict, only `always` is allowed)."""
    allowed = (always or {}) if STRICT else known
    return {path for path, count in found.items() if count > allowed.get(path, 0)}


def _stale(found: dict[str, int], known: dict[str, int]) -> list[str]:
    return [f"{path}: listed {count}, now {found.get(path, 0)}"
            for path, count in sorted(known.items()) if found.get(path, 0) < count]


def test_it_writes_only_in_services():
    offenders = house.write_offenders()
    counts = {path: len(hits) for path, hits in offenders.items()}
    print(house.report({path: [f"{f.line}: {f.text}" for f in hits] for path, hits in offenders.items()}))
    print("Lower these in KNOWN_OFFENDERS:", _stale(counts, KNOWN_OFFENDERS))
    wrong = _beyond(counts, KNOWN_OFFENDERS, always=INFRASTRUCTURE_WRITERS)
    assert not wrong, (
        "ORM or raw SQL writes outside an app's services/ (move them into amparo/<app>/services/):\n"
        + house.report({path: [f"{f.line}: {f.text}" for f in offenders[path]] for path in wrong}))


def test_it_has_no_module_over_500_lines():
    found = house.long_modules(MAX_LINES)
    print("Lower these in KNOWN_LONG_MODULES:", _stale(found, KNOWN_LONG_MODULES))
    wrong = _beyond(found, KNOWN_LONG_MODULES)
    assert not wrong, f"Modules over {MAX_LINES} lines (split them, one job each):\n" + "\n".join(
        f"{path}: {found[path]} lines" for path in sorted(wrong))


def test_it_records_only_actions_of_a_catalogue():
    found = house.string_actions()
    counts = {path: len(calls) for path, calls in found.items()}
    print(house.report({path: [f"{line}: {text}" for line, text in calls] for path, calls in found.items()}))
    print("Lower these in KNOWN_STRING_ACTIONS:", _stale(counts, KNOWN_STRING_ACTIONS))
    wrong = _beyond(counts, KNOWN_STRING_ACTIONS)
    assert not wrong, (
        "Audit calls with a string for their action (pass a member of amparo/<app>/actions.py's Action):\n"
        + house.report({path: [f"{line}: {text}" for line, text in found[path]] for path in wrong}))


# --- The actions really recorded --------------------------------------------------------------

DOTTED = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


def _written_in_the_code() -> list[re.Pattern[str]]:
    """While lenient: every dotted string and f-string of the code, as a pattern, so an action
    recorded today is at least written somewhere (a typo still fails)."""
    patterns = set()
    for path in house.modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.match(node.value):
                patterns.add(re.escape(node.value))
            elif isinstance(node, ast.JoinedStr) and sum(
                    len(str(v.value)) for v in node.values if isinstance(v, ast.Constant)) >= 4:
                parts = [re.escape(str(v.value)) if isinstance(v, ast.Constant) else r"[a-z_.]+" for v in node.values]
                patterns.add("".join(parts))
    return [re.compile(f"^{p}$") for p in patterns]


@pytest.mark.django_db
def test_it_stores_only_actions_of_a_catalogue(client, world):
    """A short walk (the objects every app's test tables make: cases, appeals, statistics,
    reports; a few pages as a coordinator), then every action in the audit log is checked."""
    from amparo.core.models import AuditEntry
    from amparo.tests.test_authorization import _values
    from conftest import sign_in

    _values(world)
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    for page in ("/", "/network/", "/appeals/"):
        client.get(page)
    recorded = Counter(AuditEntry.objects.values_list("action", flat=True))
    assert len(recorded) > 5, f"the walk recorded too little to be a check: {recorded}"
    catalogue = AuditAction.catalogue()
    lenient = [] if STRICT else _written_in_the_code()
    wrong = sorted(action for action in recorded
                   if action not in catalogue and not any(p.match(action) for p in lenient))
    assert not wrong, f"Actions recorded that no catalogue (AuditAction.catalogue()) holds: {wrong}"


# --- The readers themselves -------------------------------------------------------------------

SAMPLE = """
def f(request, form, qs, img, buffer):
    Incident.objects.create(desk=1)
    Incident.objects.filter(pk=1).update(status="x")
    qs.delete()
    incident.save()
    group.update(status="failed")
    form.save()
    form.save(commit=False)
    img.save(buffer, format="JPEG")
    request.session.save()
    cache.delete("k")
    options = {}
    options.update({"a": 1})
    hashlib.sha256().update(b"x")
    digest.update(b"x")
    initial.update(incident=1)
    record_audit(user, "incident.recorded", incident)
    audit.record(user, Action.RECORDED, incident)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [1])
"""


def test_it_tells_writes_from_their_namesakes(tmp_path, monkeypatch):
    module = tmp_path / "amparo" / "x" / "views.py"
    module.parent.mkdir(parents=True)
    module.write_text(SAMPLE)
    monkeypatch.setattr(house, "REPO_ROOT", tmp_path)
    found = [f.text for f in house.writes(module)]
    assert found == ["Incident.objects.create", "Incident.objects.filter(pk=1).update", "qs.delete", "incident.save",
                     "group.update", "form.save", "cursor.execute (raw SQL)"]
    monkeypatch.setattr(house, "PACKAGE", tmp_path / "amparo")
    assert house.string_actions() == {"amparo/x/views.py": [(18, "incident.recorded")]}
    assert house.in_services(tmp_path / "amparo" / "x" / "services" / "intake.py")
    assert house.in_services(tmp_path / "amparo" / "x" / "services.py")
    assert not house.in_services(module)


def test_a_new_write_outside_services_fails(tmp_path, monkeypatch):
    """Strict: a write in a view (or anywhere outside services/, migrations and tests) fails,
    whatever file it is in; the same write in services/ passes; only the infrastructure's
    counted writes stay allowed."""
    assert STRICT
    for name in ("views.py", "services/cases.py", "migrations/0002_x.py", "tests/test_x.py"):
        module = tmp_path / "amparo" / "x" / name
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(SAMPLE)
    monkeypatch.setattr(house, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(house, "PACKAGE", tmp_path / "amparo")
    counts = {path: len(hits) for path, hits in house.write_offenders().items()}
    assert counts == {"amparo/x/views.py": 7}
    assert _beyond(counts, KNOWN_OFFENDERS, always=INFRASTRUCTURE_WRITERS) == {"amparo/x/views.py"}
    assert _beyond({"amparo/core/audit.py": 3}, {}, always=INFRASTRUCTURE_WRITERS) == set()
    assert _beyond({"amparo/core/audit.py": 4}, {}, always=INFRASTRUCTURE_WRITERS) == {"amparo/core/audit.py"}
