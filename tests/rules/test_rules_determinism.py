"""The same ecosystem gives the same findings, whatever order the audit file lists things in.

Uses the synthetic ecosystems of benchmarks/synthetic.py (a few hundred nodes here; the
benchmark suite times the large ones).
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from auditor.analysis.assess import assess
from auditor.schema.assessment import SEVERITY_RANK
from auditor.schema.audit import Audit

GENERATOR = Path(__file__).parents[2] / "benchmarks" / "synthetic.py"


def _synthetic(n: int, seed: int) -> Audit:
    spec = importlib.util.spec_from_file_location("synthetic", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Audit.model_validate(module.ecosystem(n, seed=seed))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_findings_do_not_depend_on_file_order(seed: int) -> None:
    audit = _synthetic(400, seed)
    before = assess(audit).findings
    data = audit.model_dump(by_alias=True)
    rnd = random.Random(seed)
    for items in data["inventory"].values():
        rnd.shuffle(items)
    rnd.shuffle(data["answers"])
    after = assess(Audit.model_validate(data)).findings
    assert len(before) > 50  # the synthetic estate really has gaps to find
    assert after == before


def test_findings_are_sorted_most_severe_first() -> None:
    findings = assess(_synthetic(400, 3)).findings
    keys = [(-SEVERITY_RANK[f.severity], f.rule, f.subject, f.message) for f in findings]
    assert keys == sorted(keys)
    assert {f.rule[:3] for f in findings} >= {"PER", "JRN", "CON"}


def test_evidence_names_each_item_once(demo_audit_path) -> None:
    from auditor.analysis.assess import assess
    from auditor.store.audit_file import load_audit

    findings = assess(load_audit(demo_audit_path)).findings
    assert any(f.rule == "BKT-TOO-SLOW" for f in findings)  # its paths repeat the provider
    for f in findings:
        for ids in (f.evidence.nodes, f.evidence.edges, f.evidence.answers):
            assert len(ids) == len(set(ids)), (f.rule, f.subject, ids)
