"""Sealing by intent: in the registry only `sealing.py` seals or opens through the vault or the
network's rings, and only it builds a label; every other module names what it seals or opens
(`sealing.seal_defender_name(...)`). Read from the code (AST), nothing imported."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REGISTRY = Path(__file__).resolve().parents[1]
# sealing.py itself; services/intake.py still seals receipts' keys through the vault (to move).
ALLOWED = {"sealing.py", "services/intake.py"}
KEY_MODULES = re.compile(r"^amparo\.(vault(\.|$)|network\.services$)")
SEALING_NAME = re.compile(r"(^seal|^open_sealed|^open_with_|^open_attachment|blind_index|index_key|^derive_reporter|"
                          r"^receipt_binding)")
LABEL = re.compile(r"^registry\.[a-z_]+\.[a-z_]+$")


def _key_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names bound to a vault or network-services module, and functions imported from them."""
    modules, functions = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if KEY_MODULES.match(alias.name):
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if KEY_MODULES.match(node.module) and SEALING_NAME.search(alias.name):
                    functions.add(alias.asname or alias.name)  # from amparo.vault.services import open_sealed
                elif KEY_MODULES.match(f"{node.module}.{alias.name}"):
                    modules.add(alias.asname or alias.name)  # from amparo.vault import services as vault
    return modules, functions


def offences(source: str) -> list[str]:
    tree = ast.parse(source)
    modules, functions = _key_names(tree)
    found: list[str] = []
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = ast.unparse(func)
        direct = (isinstance(func, ast.Attribute) and ast.unparse(func.value) in modules
                  and SEALING_NAME.search(func.attr)) or (isinstance(func, ast.Name) and func.id in functions)
        if direct:
            found.append(f"{node.lineno}: {name} (the vault or a ring, directly)")
        elif (isinstance(func, ast.Name) and func.id in {"label", "_label"}) or (
                isinstance(func, ast.Attribute) and func.attr == "label" and len(node.args) == 2):
            found.append(f"{node.lineno}: {name}(...) (a label built)")  # not a term's label(language)
        for keyword in node.keywords:
            value = keyword.value
            if (keyword.arg in {"label", "purpose"} and isinstance(value, ast.Constant)
                    and isinstance(value.value, str) and LABEL.match(value.value)):
                found.append(f"{node.lineno}: {keyword.arg}={value.value!r} (a label written out)")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def test_only_sealing_seals_opens_or_builds_labels():
    wrong = {}
    for path in sorted(REGISTRY.rglob("*.py")):
        relative = path.relative_to(REGISTRY).as_posix()
        if relative.split("/")[0] in {"tests", "migrations"} or relative in ALLOWED:
            continue
        if found := offences(path.read_text()):
            wrong[relative] = found
    assert not wrong, "Seal and open through amparo/registry/sealing.py's named functions:\n" + "\n".join(
        f"{path}:\n    " + "\n    ".join(lines) for path, lines in wrong.items())


SAMPLE = '''
from amparo.network import services as network
from amparo.vault import services as vault
from amparo.vault.services import open_sealed
from amparo.vault import desk_index
from amparo.registry import sealing
from amparo.registry.services.common import label

def f(desk, unlocked, incident, form):
    network.seal_for_desk(desk, "x", label=label("incident", "narrative"))
    vault.open_sealed(unlocked, incident.narrative, label="registry.incident.narrative")
    open_sealed(unlocked, incident.narrative, label="x")
    desk_index.new_desk_index_key(lambda key: key, [])
    vault.blind_index("x", purpose="registry.import.key")
    network.scope_of(desk.network)
    vault.is_reader(desk.ring, form)
    sealing.open_incident(unlocked, incident)
    forms.CharField(label="Where")
    term.label("es")
    short_lived.open_page(request, "x")
'''


def test_the_reader_finds_each_way_round():
    assert offences(SAMPLE) == [
        "10: network.seal_for_desk (the vault or a ring, directly)",
        "10: label(...) (a label built)",
        "11: vault.open_sealed (the vault or a ring, directly)",
        "11: label='registry.incident.narrative' (a label written out)",
        "12: open_sealed (the vault or a ring, directly)",
        "13: desk_index.new_desk_index_key (the vault or a ring, directly)",
        "14: vault.blind_index (the vault or a ring, directly)",
        "14: purpose='registry.import.key' (a label written out)",
    ]
