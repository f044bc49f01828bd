"""One analysis per command: the graph is built once, backtracking traced once and the rules
run once, whatever the command renders. The real functions run; they are only counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import auditor.backtracking
import auditor.graph.build
import auditor.rules.engine
from auditor.analysis.assess import has_planned
from auditor.cli import main
from auditor.rules.engine import relying_on_retiring
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    counted: Counter[str] = Counter()

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return real(*args, **kwargs)
        return wrapper

    for module, name in ((auditor.graph.build, "build_graph"), (auditor.backtracking, "trace"),
                         (auditor.rules.engine, "run_rules")):
        monkeypatch.setattr(module, name, counting(name, getattr(module, name)))
    yield counted


@pytest.mark.parametrize("command", [
    ["gaps", "--json"], ["score", "--json"], ["rules", "--json"], ["demo"],
    ["graph", "-o", "{tmp}/eco.svg", "--json"],
], ids=lambda c: c[0])
def test_each_command_analyses_once(command: list[str], calls: Counter[str], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    audit = str(EXAMPLES / "demo.audit.yaml")
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    args = [args[0], "-o", str(tmp_path / "out")] if args[0] == "demo" else [args[0], audit, *args[1:]]
    assert main(args) == 0, capsys.readouterr().err
    # The demo has planned items: the graph and trace are made once for today's ecosystem and
    # once with the plans in place (to say which findings a plan would close), and once more
    # with the plans that rely on a system on its way out (which close nothing, so a finding
    # only they would close can say so), never more.
    loaded = load_audit(Path(audit))
    ecosystems = 1 + has_planned(loaded) + bool(relying_on_retiring(loaded))
    # The demo's report also draws the target ecosystem: a graph of another audit (today's
    # plus the roadmap's additions), drawn, never analysed.
    drawn = 1 if command[0] == "demo" else 0
    assert calls == Counter(build_graph=ecosystems + drawn, trace=ecosystems, run_rules=1)
