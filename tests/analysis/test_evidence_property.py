"""Property: a new finding never raises an evidenced level; closing one never lowers it.

Run through the real scoring on the real E1 graph and catalogue, with findings drawn at random
(rule, component, severity), so the property covers questions, components and the overall
level at once.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.analysis.scoring import score_audit
from auditor.catalogue import load_catalogue
from auditor.graph.build import build_graph
from auditor.schema.assessment import SEVERITIES, Finding, Scores
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit

E1 = Path(__file__).parents[2] / "examples" / "e1-harbour-pine.audit.yaml"
COMPONENTS = ("person", "journeys", "skills", "governance", "technologies")


@cache
def _e1() -> tuple[Audit, object]:
    audit = load_audit(E1)
    return audit, build_graph(audit)


def _finding(n: int, component: str, severity: str) -> Finding:
    rule = {"person": "PER-01", "journeys": "JRN-03", "skills": "SKL-01",
            "governance": "GOV-03", "technologies": "TEC-05"}[component]
    return Finding(key=f"{rule}:x{n}", rule=rule, title="t", component=component,  # type: ignore[arg-type]
                   severity=severity, message=f"finding {n}")  # type: ignore[arg-type]


findings = st.lists(st.tuples(st.sampled_from(COMPONENTS), st.sampled_from(SEVERITIES)),
                    max_size=12).map(lambda pairs: [_finding(i, c, s) for i, (c, s) in enumerate(pairs)])


def _levels(scores: Scores) -> dict[str, float | None]:
    out: dict[str, float | None] = {f"q:{q.question}": q.evidenced.level for q in scores.questions}
    out.update({f"c:{c.component}": c.evidenced.level for c in scores.components})
    out["overall"] = scores.evidenced.level
    return out


def _score(found: list[Finding]) -> dict[str, float | None]:
    audit, graph = _e1()
    return _levels(score_audit(audit, found, load_catalogue(), graph))  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(before=findings, component=st.sampled_from(COMPONENTS), severity=st.sampled_from(SEVERITIES))
def test_adding_a_finding_never_raises_and_closing_never_lowers(
        before: list[Finding], component: str, severity: str) -> None:
    extra = _finding(len(before), component, severity)
    without, with_it = _score(before), _score([*before, extra])
    for scope, level in without.items():
        after = with_it[scope]
        assert (level is None) == (after is None)
        if level is not None and after is not None:
            # Adding `extra` never raises a level; read backwards, closing it never lowers one.
            assert after <= level, (scope, level, after)


def test_a_finding_does_lower_its_component_when_the_cap_leaves_room() -> None:
    """Not vacuous: one high finding on a component with no other findings takes 0.25 off."""
    base = _score([])
    one = _score([_finding(0, "skills", "high")])
    # E1's Skills evidence reaches 3 (see test_evidence_examples); 3 - 0.25 = 2.75 -> 2.8.
    assert (base["c:skills"], one["c:skills"]) == (3.0, 2.8)
    assert one["c:person"] == base["c:person"]  # other components are untouched


def test_root_causes_hold_a_component_down_once_each() -> None:
    """Once findings are grouped into root causes, each cause counts once at its severity."""
    from dataclasses import dataclass

    from auditor.analysis.evidence import holders_from_root_causes

    @dataclass
    class Cause:  # the fields of the shared RootCause contract that scoring reads
        key: str
        component: str
        severity: str
        headline: str

    audit, graph = _e1()
    three = [_finding(i, "skills", "high") for i in range(3)]
    one_cause = holders_from_root_causes([Cause("SKL-01:x0", "skills", "high", "Skills gap")])
    by_findings = score_audit(audit, three, load_catalogue(), graph)  # type: ignore[arg-type]
    by_cause = score_audit(audit, three, load_catalogue(), graph,  # type: ignore[arg-type]
                           holders=one_cause)
    skills = {s.component: s for s in by_findings.components}["skills"]
    grouped = {s.component: s for s in by_cause.components}["skills"]
    # 3 - 3 x 0.25 = 2.25 -> 2.3; one cause: 3 - 0.25 = 2.75 -> 2.8.
    assert (skills.evidenced.level, grouped.evidenced.level) == (2.3, 2.8)
    assert grouped.evidenced.next_requires[-1] == "Resolve: Skills gap"
