"""Reading the code for the house rules (amparo/tests/test_house_rules.py): where the writes
are, how long the modules are, what each audit call records. Plain AST walks over every
module of amparo outside migrations and tests; nothing is imported."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE = REPO_ROOT / "amparo"

# The ORM's write methods. `update` and `delete` share their names with dicts, sets, hashes,
# sessions and caches, so they count only on a receiver that looks like the ORM (below).
ALWAYS_WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
AMBIGUOUS_WRITES = {"save", "update", "delete"}
# A receiver that reads as a manager or a queryset: `X.objects`, `.filter(...)`, a related
# manager `x.things_set`, or a variable named as a queryset.
QUERYSET = re.compile(r"(\bobjects\b|_set\b|\.(filter|exclude|all|select_for_update|select_related|"
                      r"prefetch_related|order_by|annotate|only|defer|using|none)\(|(^|\.)(qs|queryset|"
                      r"[a-z_]+_qs)$)")
# Receivers that are not the ORM although they have `save`/`delete`/`update`: the session, the
# cache, file storages, hash objects, dicts of settings, cookies.
NOT_ORM = re.compile(r"(session|cache|storage|cookies?|hash|hmac|digest|sha\d*|md5|blake2b?|headers|"
                     r"context|kwargs|params|settings|defaults|environ|meta|data|fields|values|seen|"
                     r"counts?|totals?|found|merged|result|out|extra|initial)$", re.IGNORECASE)
RAW_WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|TRUNCATE|MERGE)\b")
AUDIT_CALLS = {"record_audit", "audit.record"}


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the repository root
    line: int
    text: str


def modules() -> Iterator[Path]:
    """Every Python module of amparo, outside migrations and tests."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "migrations" in parts or "tests" in parts or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield path


def relative(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def in_services(path: Path) -> bool:
    """`amparo/<app>/services.py` or anything in `amparo/<app>/services/`."""
    parts = path.relative_to(PACKAGE).parts
    return len(parts) >= 2 and (parts[1] == "services" or parts[1] == "services.py")


def _source(node: ast.AST) -> str:
    return ast.unparse(node)


def _is_write(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    name, receiver = func.attr, _source(func.value)
    if name in ALWAYS_WRITES:
        # `Something.create(...)` on a class that is not a model (factories live in tests).
        return not NOT_ORM.search(receiver)
    if name not in AMBIGUOUS_WRITES or NOT_ORM.search(receiver):
        return False
    if name == "save":
        # form.save(commit=False) writes nothing; `img.save(buffer, format=...)` (Pillow) and
        # `storage.save(name, content)` take positional arguments, a model's save() does not.
        commit = next((kw.value for kw in call.keywords if kw.arg == "commit"), None)
        if isinstance(commit, ast.Constant) and commit.value is False:
            return False
        return not call.args
    # update/delete: only on something that reads as a manager or a queryset, a queryset's
    # update(field=value) (keywords only: a dict's update takes a mapping), or a model
    # instance's delete() (no arguments, a receiver that is a plain name or attribute).
    if QUERYSET.search(receiver):
        return True
    if name == "update":
        return bool(call.keywords) and not call.args and all(kw.arg for kw in call.keywords)
    return name == "delete" and not call.args and not call.keywords and isinstance(func.value, ast.Name | ast.Attribute)


def _raw_writes(tree: ast.AST) -> Iterator[ast.Call]:
    """`cursor.execute(...)` in a function whose SQL strings insert, update or delete."""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        strings = " ".join(node.value for node in ast.walk(function)
                           if isinstance(node, ast.Constant) and isinstance(node.value, str))
        if not RAW_WRITE.search(strings):
            continue
        for node in ast.walk(function):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "executemany") and node.args):
                sql = node.args[0]
                if isinstance(sql, ast.Constant | ast.JoinedStr) and not RAW_WRITE.search(_source(sql)):
                    continue  # its own SQL is written out and reads (or is PRAGMA, VACUUM)
                yield node


def writes(path: Path) -> list[Finding]:
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = {(node.lineno, _source(node.func)): node for node in ast.walk(tree)
             if isinstance(node, ast.Call) and _is_write(node)}
    lines.update({(node.lineno, _source(node.func) + " (raw SQL)"): node for node in _raw_writes(tree)})
    return [Finding(relative(path), line, text) for line, text in sorted(lines)]


def write_offenders() -> dict[str, list[Finding]]:
    """Every ORM or raw SQL write outside the apps' services, by file."""
    found: dict[str, list[Finding]] = {}
    for path in modules():
        if in_services(path):
            continue
        hits = writes(path)
        if hits:
            found[relative(path)] = hits
    return found


def long_modules(limit: int) -> dict[str, int]:
    return {relative(path): n for path in modules() if (n := len(path.read_text().splitlines())) > limit}


def audit_calls(path: Path) -> Iterator[tuple[int, ast.expr | None]]:
    """Each `record_audit(...)` / `audit.record(...)` call and its action argument."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _source(node.func) in AUDIT_CALLS:
            action = next((kw.value for kw in node.keywords if kw.arg == "action"), None)
            if action is None and len(node.args) >= 2:
                action = node.args[1]
            yield node.lineno, action


def _catalogue_expression(node: ast.expr | None) -> bool:
    """`Action.X`, a choice between such members, or a catalogue's own method returning one."""
    if isinstance(node, ast.Attribute):
        return isinstance(node.value, ast.Name | ast.Attribute)
    if isinstance(node, ast.IfExp):
        return _catalogue_expression(node.body) and _catalogue_expression(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return isinstance(node.func.value, ast.Name) and node.func.value.id == "Action"
    return False


def string_actions() -> dict[str, list[tuple[int, str]]]:
    """Audit calls whose action is not a catalogue member (`Action.X`), by file, with the
    string they record where it is a literal."""
    found: dict[str, list[tuple[int, str]]] = {}
    for path in modules():
        for line, action in audit_calls(path):
            if isinstance(action, ast.Attribute) and isinstance(action.value, ast.Name | ast.Attribute):
                continue  # Action.X, actions.Action.X
            if isinstance(action, ast.Name):
                continue  # a variable: record()'s AuditAction annotation (mypy) and its check decide
            if _catalogue_expression(action):
                continue  # `Action.A if … else Action.B`, `Action.status(…)`: members all the same
            text = action.value if isinstance(action, ast.Constant) and isinstance(action.value, str) else \
                _source(action) if action is not None else "(no action)"
            found.setdefault(relative(path), []).append((line, text))
    return {path: sorted(calls) for path, calls in found.items()}


def report(groups: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}:\n" + "\n".join(f"    {item}" for item in items)
                     for path, items in sorted(groups.items()))
