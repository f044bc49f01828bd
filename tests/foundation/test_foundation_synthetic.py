"""The benchmarks' synthetic ecosystem has the shape it promises (its timings are not tested)."""

from __future__ import annotations

import statistics
from types import ModuleType

from auditor.graph.build import build_graph
from auditor.schema.audit import Audit
from auditor.store.audit_file import _deeper_problems

def test_size_s_is_a_valid_realistically_shaped_estate(synthetic: ModuleType) -> None:
    audit = Audit.model_validate(synthetic.ecosystem(synthetic.SIZES["S"]))
    assert _deeper_problems(audit) == []
    g = build_graph(audit)
    assert 170 <= g.number_of_nodes() <= 240
    assert g.number_of_edges() >= 4 * g.number_of_nodes()

    assert len({s.roles[0] for s in audit.inventory.systems}) >= 10
    assert all(t.channel and t.stage for t in audit.inventory.touchpoints)
    assert audit.inventory.policies and audit.vision.segments and audit.vision.needs
    assert len(audit.respondents) == 3
    rubric = {q for _, ids in synthetic_questions().values() for q in ids}
    assert {a.question for a in audit.answers} == rubric


def test_flow_degrees_are_heavy_tailed_at_m(synthetic: ModuleType) -> None:
    audit = Audit.model_validate(synthetic.ecosystem(synthetic.SIZES["M"]))
    degree: dict[str, int] = {s.id: 0 for s in audit.inventory.systems}
    for flow in audit.inventory.flows:
        degree[flow.source] += 1
        degree[flow.target] += 1
    ranked = sorted(degree.values())
    assert ranked[-1] >= 8 * statistics.median(ranked)  # hubs carry far more than most
    g = build_graph(audit)
    assert 1700 <= g.number_of_nodes() <= 2300 and g.number_of_edges() >= 4 * g.number_of_nodes()


def test_the_same_size_gives_the_same_estate(synthetic: ModuleType) -> None:
    assert synthetic.ecosystem(300) == synthetic.ecosystem(300)


def synthetic_questions() -> dict[str, tuple[str, list[str]]]:
    from auditor.catalogue import load_catalogue

    return load_catalogue().rubric_questions
