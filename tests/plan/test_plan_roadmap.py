"""The roadmap (DOMAIN §6) on the three DOMAIN §7 ecosystems and the demo."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditor.analysis.assess import assess
from auditor.content import set_overrides
from auditor.errors import AuditFileError
from auditor.schema.roadmap import Roadmap
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# DOMAIN §7, phase by phase. Within a phase the order is by severity then id, so the phases
# are compared as sets here and the order is checked separately. E1 and E2 differ from DOMAIN
# §7 where the findings issue corrected the findings beneath them, not the ordering: TEC-03
# now counts only systems that decide outbound contact, so neither a two-shop retailer (E1)
# nor the university (E2) is told to buy an orchestration layer (no R12); and PER-05 now
# checks that consent reaches each sender, which the university's Marketing Cloud does not,
# so E2 connects record and engagement systems (R08) and wires its engagement rules (R13)
# after that.
EXPECTED = {
    "e1-harbour-pine": [{"R02", "R04"}, {"R03", "R05"}, {"R06", "R07"},
                        {"R08", "R09", "R11", "R14"}, {"R10", "R13", "R15", "R16"}],
    "e2-lakeside-university": [{"R02", "R04"}, {"R03", "R07"}, {"R08", "R09", "R14"},
                               {"R10", "R13"}],
    "e3-riverbend-food-bank": [{"R01"}, {"R02", "R04"}, {"R03", "R05"}, {"R06", "R07"},
                               {"R08", "R09", "R11", "R14"}, {"R10", "R12", "R13", "R15"}],
}


def _with_roadmap(tmp_path: Path, section: str) -> Path:
    """A copy of E1 with its (empty) roadmap section replaced."""
    source = (EXAMPLES / "e1-harbour-pine.audit.yaml").read_text(encoding="utf-8")
    empty = "roadmap:\n  include: []\n  done: []\n"
    assert empty in source
    path = tmp_path / "e1.audit.yaml"
    path.write_text(source.replace(empty, section), encoding="utf-8")
    return path


def _roadmap(name: str) -> Roadmap:
    plan = assess(load_audit(EXAMPLES / f"{name}.audit.yaml")).roadmap
    assert plan is not None
    return plan


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_domain_examples_give_the_documented_phases(name: str) -> None:
    plan = _roadmap(name)
    assert [set(p.items) for p in plan.phases] == EXPECTED[name]
    for phase in plan.phases:
        items = [plan.item(rid) for rid in phase.items]
        ranks = [(-["low", "medium", "high", "critical"].index(i.severity) if i and i.severity
                  else 1, i.remedy if i else "") for i in items]
        assert ranks == sorted(ranks), f"phase {phase.number} not ordered by severity, then id"
    # Every item comes after everything it depends on.
    phase_of = {i.remedy: i.phase for i in plan.items}
    for item in plan.items:
        assert all(phase_of[before] < item.phase for before in item.after)


def test_identity_resolution_comes_before_orchestration() -> None:
    plan = _roadmap("e3-riverbend-food-bank")
    r09, r12 = plan.item("R09"), plan.item("R12")
    assert r09 is not None and r12 is not None
    assert r09.phase < r12.phase


def test_a_sponsor_already_in_place_is_reported_with_its_evidence() -> None:
    plan = _roadmap("e1-harbour-pine")
    assert plan.item("R01") is None
    sponsor = next(p for p in plan.prerequisites if p.remedy == "R01")
    assert sponsor.status == "in-place"
    assert "R02" in sponsor.needed_by and "R04" in sponsor.needed_by
    # The evidence is the checked rule and the answer that cleared it.
    assert any("GOV-01" in line and "nothing found" in line for line in sponsor.evidence)
    assert any("executive sponsorship rated 3 of 4" in line for line in sponsor.evidence)


def test_each_item_says_why_what_it_touches_and_who_owns_it() -> None:
    plan = _roadmap("e1-harbour-pine")
    r13 = plan.item("R13")
    assert r13 is not None and r13.severity == "critical"
    assert {r.key.split(":")[0] for r in r13.why} == {"JRN-01"}
    assert r13.owner == "ops" and "Helpdesk" in r13.owner_basis
    assert r13.effort == "S"
    # The ads rule and the case rule touch the helpdesk, the shop and the point of sale.
    assert {"helpdesk", "shop", "pos"} <= set(r13.systems)
    # Reach comes from the channels those systems serve: web 120k, store 30k, WhatsApp 9k…
    assert r13.reach.interactions_per_year is not None and r13.reach.interactions_per_year >= 159_000
    assert r13.summary.startswith("Define and wire the engagement rules; resolves 2 problems")
    # Sponsorship and ownership are decided at the top.
    r02 = plan.item("R02")
    assert r02 is not None and r02.owner == "founder"
    # Backtracking needs the item unblocks, with the segment's name.
    r15 = plan.item("R15")
    assert r15 is not None
    assert [(u.segment_name, u.name) for u in r15.unblocks] == [("Super-fans", "Answers from other fans")]


def test_no_item_invests_in_a_system_being_retired() -> None:
    audit = load_audit(EXAMPLES / "demo.audit.yaml")
    retiring = {s.id for s in audit.inventory.systems if s.lifecycle in ("migrate", "eliminate")}
    assert retiring == {"hubspot", "whatsapp-business", "renewals-sheet", "mailchimp",
                        "landlord-tracker"}
    plan = assess(audit).roadmap
    assert plan is not None
    for item in plan.items:
        assert not retiring & set(item.systems), item.remedy
    r10 = plan.item("R10")
    assert r10 is not None
    whatsapp = next(r for r in r10.retiring if r.system == "whatsapp-business")
    assert (whatsapp.successor, whatsapp.basis) == ("zendesk", "named in the audit")
    assert "zendesk" in r10.systems
    assert "moves work off WhatsApp Business app (dispatch phones) to Zendesk Suite" in r10.summary
    # Without a named successor, the current system sharing most roles and capabilities.
    r14 = plan.item("R14")
    assert r14 is not None
    sheet = next(r for r in r14.retiring if r.system == "renewals-sheet")
    assert sheet.successor == "salesforce" and "shares" in sheet.basis


def test_done_and_included_remedies_change_the_plan(tmp_path: Path) -> None:
    path = _with_roadmap(tmp_path, "roadmap:\n  done: [R02]\n  include: [R01]\n")
    plan = assess(load_audit(path)).roadmap
    assert plan is not None
    assert plan.done == ("R02",)
    assert plan.item("R02") is None
    done = next(p for p in plan.prerequisites if p.remedy == "R02")
    assert done.status == "done" and "R03" in done.needed_by
    r01 = plan.item("R01")
    assert r01 is not None and r01.included == "audit" and r01.phase == 1
    # R01 → (R02 done) → R03: the order still holds through the remedy left out.
    r03 = plan.item("R03")
    assert r03 is not None and r03.after == ("R01",)


def test_a_prerequisite_nothing_shows_to_be_in_place_joins_the_roadmap(tmp_path: Path) -> None:
    # A consultant's remedy that no rule can check: nothing shows it is in place, so a
    # remedy that depends on it brings it onto the roadmap, first.
    builtin = Path(__file__).resolve().parents[2] / "blueprints" / "remedies.yaml"
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "remedies.yaml").write_text(
        builtin.read_text(encoding="utf-8").replace(
            "    depends_on: [R01]\n    resolves: [GOV-04, SKL-03, JRN-04",
            "    depends_on: [R01, R17]\n    resolves: [GOV-04, SKL-03, JRN-04", 1)
        + "\n  - id: R17\n    title: Agree a customer strategy\n    component: governance\n"
          "    effort: S\n", encoding="utf-8")
    set_overrides([tmp_path])
    try:
        plan = _roadmap("e1-harbour-pine")
    finally:
        set_overrides([])
    r17 = plan.item("R17")
    assert r17 is not None and r17.included == "prerequisite" and r17.phase == 1
    assert "a prerequisite nothing in the audit shows to be in place" in r17.summary
    r02 = plan.item("R02")
    assert r02 is not None and r02.phase == 2 and r02.after == ("R17",)


def test_unknown_remedies_in_the_audit_are_located(tmp_path: Path, run_cli: Callable) -> None:
    path = _with_roadmap(tmp_path, "roadmap:\n  include: []\n  done: [R2]\n")
    with pytest.raises(AuditFileError) as info:
        assess(load_audit(path))
    assert "roadmap.done[0]: unknown remedy 'R2'" in str(info.value)
    assert info.value.hint and "R01, R02" in info.value.hint
    result = run_cli("roadmap", str(path))
    assert result.code != 0 and "Traceback" not in result.err
    assert "roadmap.done" in result.err and "unknown remedy 'R2'" in result.err


def test_quick_wins_follow_the_settings_in_blueprints(tmp_path: Path) -> None:
    plan = _roadmap("e1-harbour-pine")
    assert plan.quick_wins == ()  # R02 is small but reaches nobody; R04 is medium
    assert plan.next_90_days == ("R02", "R04")
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "roadmap.yaml").write_text(
        "roadmap:\n  quick_win:\n    efforts: [S, M]\n    min_share: 0.05\n", encoding="utf-8")
    set_overrides([tmp_path])
    try:
        plan = _roadmap("e1-harbour-pine")
    finally:
        set_overrides([])
    r04 = plan.item("R04")
    assert r04 is not None and r04.quick_win and r04.reach.share == pytest.approx(0.096)
    assert plan.quick_wins == ("R04",)
    assert plan.next_90_days == ("R04", "R02")  # quick wins lead


def test_a_cycle_in_the_remedies_stops_the_roadmap_naming_it(tmp_path: Path,
                                                             run_cli: Callable) -> None:
    builtin = Path(__file__).resolve().parents[2] / "blueprints" / "remedies.yaml"
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "remedies.yaml").write_text(builtin.read_text(encoding="utf-8")
        .replace("    depends_on: [R08, R09]\n", "    depends_on: [R08, R09, R13]\n", 1)
        .replace("    depends_on: [R08]\n    resolves: [JRN-01, JRN-02",
                 "    depends_on: [R08, R12]\n    resolves: [JRN-01, JRN-02", 1),
        encoding="utf-8")
    result = run_cli("--content", str(tmp_path), "roadmap",
                     str(EXAMPLES / "e1-harbour-pine.audit.yaml"))
    assert result.code != 0 and "Traceback" not in result.err
    assert "in a circle: R12 → R13 → R12" in result.err


def test_roadmap_cli_prints_phases_and_json(run_cli: Callable) -> None:
    path = str(EXAMPLES / "e3-riverbend-food-bank.audit.yaml")
    result = run_cli("roadmap", path)
    assert result.code == 0, result.err
    out = result.out
    assert out.splitlines()[0] == "Riverbend Food Bank: 15 roadmap items in 6 phases"
    assert out.index("Next 90 days") < out.index("Phase 1") < out.index("Phase 6")
    assert "  Appoint an executive sponsor and a steering group high" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    as_json = run_cli("roadmap", path, "--json")
    data = json.loads(as_json.out)
    assert [p["items"] for p in data["roadmap"]["phases"]][0] == ["R01"]
    assert data["audit"]["fingerprint"]


@dataclass(frozen=True)
class GroupOfFindings:
    """The fields of a root cause the roadmap reads (key, headline, severity, component,
    remedy, the keys of its findings)."""

    key: str
    headline: str
    severity: str
    component: str
    remedy: str | None
    findings: tuple[str, ...]


def test_root_causes_become_the_why_of_each_item() -> None:
    """With findings grouped into root causes (here: one per rule, the simplest grouping),
    each item lists the root causes it resolves instead of every finding."""
    from auditor.analysis.assess import analyse
    from auditor.analysis.roadmap import causes_from_root_causes, plan_roadmap
    from auditor.schema.roadmap import Reason

    analysis = analyse(load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml"))
    a = analysis.assessment
    by_rule: dict[str, list] = {}
    for f in a.findings:
        by_rule.setdefault(f.rule, []).append(f)
    grouped = [Reason(kind="root-cause", key=fs[0].key, headline=f"{fs[0].title} ({len(fs)})",
                      severity=fs[0].severity, component=fs[0].component)
               for fs in by_rule.values()]
    roots = [GroupOfFindings(key=r.key, headline=r.headline, severity=r.severity,
                             component=r.component, remedy=fs[0].remedy,
                             findings=tuple(f.key for f in fs))
             for r, fs in zip(grouped, by_rule.values())]
    causes = causes_from_root_causes(roots, a.findings)
    plan = plan_roadmap(analysis.audit, analysis.graph, analysis.catalogue, a.findings, a.rules,
                        a.backtracking, a.scores, causes)
    assert [set(p.items) for p in plan.phases] == EXPECTED["e1-harbour-pine"]
    r04 = plan.item("R04")
    assert r04 is not None
    assert [(w.kind, w.headline) for w in r04.why] == [
        ("root-cause", f"{by_rule['GOV-03'][0].title} (3)")]
