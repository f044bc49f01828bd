"""The import-layer contract: every package of ``auditor`` imports only from its own layer or
the layers below it, so data flows one way (audit -> graph -> assessment -> renderers).

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a lazy
import of a higher layer is still a tangle. docs/architecture.md draws the same layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "auditor"

#: Bottom first. A module may import from its own layer and any layer listed before it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "problems"),
    ("schema",),
    ("store", "content"),
    ("catalogue",),
    ("store.document",),
    ("graph",),
    ("answers", "backtracking"),
    ("rules",),
    ("analysis",),
    ("render", "ingest", "interview"),
    ("cli",),
    ("__init__", "__main__", "process"),
)
RANK = {name: index for index, names in enumerate(LAYERS) for name in names}


#: ``store`` holds two levels: plain files (YAML, locations, comments, formula guard), which
#: content loading needs, and the audit document, whose validation reads the question banks
#: from the catalogue. The document modules form their own unit above the catalogue.
DOCUMENT = {"store/audit_file.py", "store/new_audit.py", "store/reload.py"}


def _unit(module: Path) -> str:
    """The layer unit of a source file: its top package, or the module name at the top."""
    rel = module.relative_to(PACKAGE)
    if rel.as_posix() in DOCUMENT:
        return "store.document"
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _target(name: str) -> str:
    """The layer unit an import such as 'auditor.store.audit_file' points at."""
    parts = name.split(".")
    if len(parts) > 2 and f"{parts[1]}/{parts[2]}.py" in DOCUMENT:
        return "store.document"
    return parts[1]


def _imports(source: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "auditor" else [
                f"auditor.{a.name}" for a in node.names]
            found += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, name) for line, name in found if name.startswith("auditor.")]


def _upward(here: str, source: str) -> list[str]:
    """Imports in ``source`` (a module of layer unit ``here``) that point to a higher layer."""
    upward = []
    for line, name in _imports(source):
        target = _target(name)
        if target in RANK and RANK[target] > RANK[here]:
            upward.append(f"line {line}: {name} ({here} is below {target})")
    return upward


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_layer() -> None:
    unplaced = sorted({_unit(m) for m in MODULES} - set(RANK))
    assert not unplaced, f"place these in LAYERS (and docs/architecture.md): {unplaced}"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: str(m.relative_to(PACKAGE)))
def test_imports_only_point_down(module: Path) -> None:
    upward = _upward(_unit(module), module.read_text(encoding="utf-8"))
    assert not upward, "\n".join(upward)


def test_the_contract_catches_an_upward_import() -> None:
    """The checker itself: a lazy import of the analysis from a rule is caught, the same
    import from the CLI is not."""
    source = "def f():\n    from auditor.analysis.assess import assess\n    return assess\n"
    assert _upward("rules", source) == [
        "line 2: auditor.analysis.assess (rules is below analysis)"]
    assert _upward("cli", source) == []
