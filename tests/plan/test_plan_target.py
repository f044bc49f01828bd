"""The target ecosystem: today's plus what the roadmap adds, drawn beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from auditor.analysis.assess import analyse, assess
from auditor.analysis.target_ecosystem import target_audit
from auditor.schema.references import check_references
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_e1_target_adds_a_cdp_fed_by_every_person_master() -> None:
    audit = load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")
    plan = assess(audit).roadmap
    assert plan is not None
    systems = {a.id: a for a in plan.additions if a.kind == "system"}
    assert systems["customer-data-platform"].roles == ("cdp",)
    assert systems["customer-data-platform"].remedy == "R09"
    assert "integration-layer" in systems
    # Issue 10: E1 has two systems deciding outbound contact, so no orchestration finding (R12).
    assert "orchestration-layer" not in systems
    feeds = {(a.source, a.target) for a in plan.additions
             if a.kind == "flow" and a.remedy == "R09"}
    assert feeds == {(s, "customer-data-platform") for s in ("helpdesk", "pos", "shop")}
    # The backtracking gap pos → ads becomes a planned feed of the rules remedy.
    pos_ads = next(a for a in plan.additions if (a.source, a.target) == ("pos", "ads"))
    assert (pos_ads.remedy, pos_ads.data) == ("R13", ("pos-sale",))
    # No flow repeats data a current flow already carries between the same systems.
    current = {(f.source, f.target): set(f.data) for f in audit.inventory.flows}
    for a in plan.additions:
        if a.kind == "flow" and a.data:
            assert not set(a.data) <= current.get((a.source or "", a.target or ""), set())


def test_target_never_builds_on_retiring_systems_nor_repeats_client_plans() -> None:
    audit = load_audit(EXAMPLES / "demo.audit.yaml")
    plan = assess(audit).roadmap
    assert plan is not None
    retiring = {s.id for s in audit.inventory.systems if s.lifecycle in ("migrate", "eliminate")}
    for a in plan.additions:
        assert a.source not in retiring and a.target not in retiring
    planned = {(f.source, f.target) for f in audit.inventory.flows if f.status == "planned"}
    assert ("d365", "zendesk") in planned
    assert ("d365", "zendesk") not in {(a.source, a.target) for a in plan.additions}
    # Segment is already the CDP: no second one.
    assert not any("cdp" in a.roles for a in plan.additions)


def test_target_audit_is_valid_and_its_graph_holds_the_additions() -> None:
    analysis = analyse(load_audit(EXAMPLES / "e3-riverbend-food-bank.audit.yaml"))
    plan = analysis.assessment.roadmap
    assert plan is not None and plan.additions
    later = target_audit(analysis.audit, plan.additions)
    assert check_references(later) == []
    from auditor.graph.build import build_graph

    g = build_graph(later, include_planned=True)
    for a in plan.additions:
        if a.kind == "system":
            assert g.nodes[a.id]["status"] == "planned"
        else:
            assert g.has_edge(a.source, a.target, key=a.id)
    # Today's graph is unchanged: the additions are planned.
    assert build_graph(later).number_of_nodes() == analysis.graph.number_of_nodes()


def test_graph_target_writes_both_diagrams(tmp_path: Path, run_cli: Callable) -> None:
    result = run_cli("graph", str(EXAMPLES / "e1-harbour-pine.audit.yaml"), "--target",
                     "-o", str(tmp_path / "e1.svg"))
    assert result.code == 0, result.err
    today = (tmp_path / "e1.svg").read_text(encoding="utf-8")
    later = (tmp_path / "e1-target.svg").read_text(encoding="utf-8")
    assert "Customer data platform (to choose)" in later
    assert "Customer data platform (to choose)" not in today
    assert "Harbour &amp; Pine: target after the roadmap" in later
    assert "e1-target.svg" in result.out
