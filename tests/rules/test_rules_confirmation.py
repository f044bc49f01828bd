"""Findings that rest on import guesses say so and count as medium at most until confirmed."""

from __future__ import annotations

from pathlib import Path

from auditor.analysis.assess import assess
from auditor.schema.audit import Audit
from auditor.store.yaml_file import parse_yaml, to_plain

FIXTURE = Path(__file__).parent / "fixtures" / "TEC-01" / "fire.audit.yaml"


def _tec01(edit: str = "") -> Audit:
    text = FIXTURE.read_text(encoding="utf-8")
    if edit:
        text = text.replace("roles: [system-of-record], masters: [individual]}",
                            f"roles: [system-of-record], masters: [individual], {edit}}}")
    data = to_plain(parse_yaml(text, str(FIXTURE), ValueError), ValueError, str(FIXTURE))
    return Audit.model_validate(data)


def _finding(audit: Audit):  # type: ignore[no-untyped-def]
    (finding,) = [f for f in assess(audit, only={"TEC-01"}).findings if f.rule == "TEC-01"]
    return finding


def test_a_confirmed_ecosystem_keeps_its_severity() -> None:
    finding = _finding(_tec01())
    assert finding.severity == "critical"
    assert finding.unconfirmed == () and finding.uncapped is None
    assert "nobody has confirmed" not in finding.rationale


def test_a_guessed_role_caps_the_finding_at_medium_and_says_so() -> None:
    finding = _finding(_tec01("to_confirm: [roles]"))
    assert (finding.severity, finding.uncapped) == ("medium", "critical")
    assert finding.unconfirmed == ("crm",)
    assert "the roles of CRM" in finding.rationale
    assert "counts as medium at most until someone confirms it" in finding.rationale


def test_a_guessed_flow_is_named_in_the_finding() -> None:
    path = Path(__file__).parent / "fixtures" / "TEC-09" / "fire.audit.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "{source: pos, target: esp, data: [individual, pos-sale], mode: manual}",
        "{source: pos, target: esp, data: [individual, pos-sale], mode: manual, "
        "to_confirm: [mode]}")
    audit = Audit.model_validate(to_plain(parse_yaml(text, str(path), ValueError), ValueError,
                                          str(path)))
    (finding,) = [f for f in assess(audit, only={"TEC-09"}).findings if f.rule == "TEC-09"]
    assert finding.unconfirmed == ("pos-to-esp",)
    assert "the mode of" in finding.rationale and "Tills" in finding.rationale


def test_a_flow_carrying_nothing_known_is_unconfirmed_evidence() -> None:
    from auditor.catalogue import load_catalogue
    from auditor.graph.build import build_graph
    from auditor.rules.confirmation import unconfirmed_evidence
    from auditor.rules.registry import Hit, RuleContext
    from auditor.schema.backtrack import BacktrackResult

    audit = _tec01()
    audit.inventory.flows = [f.model_copy(update={"data": []}) if f.source == "esp" else f
                             for f in audit.inventory.flows]
    unknown = next(f.id for f in audit.inventory.flows if f.source == "esp")
    ctx = RuleContext(audit=audit, graph=build_graph(audit), catalogue=load_catalogue(),
                      backtracking=BacktrackResult(chains=(), to_build=()))
    (found,) = unconfirmed_evidence(ctx, Hit(message="m", nodes=("crm",), edges=(unknown,)))
    assert found.item == unknown and found.unknown_flow
