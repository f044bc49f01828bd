"""Scoring (DOMAIN.md §3): medians, spread, question means, caps from findings, components."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.analysis.assess import assess
from auditor.analysis.scoring import one_decimal, score_audit
from auditor.answers import answer_spread
from auditor.catalogue import load_catalogue
from auditor.schema.assessment import Finding
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit


def _audit(answers: list[tuple[str, str, Any]], inventory: dict | None = None,
           na: tuple[tuple[str, str], ...] = ()) -> Audit:
    respondents = sorted({r for _, r, _ in answers} | {r for _, r in na})
    return Audit.model_validate({
        "client": {"name": "Scoring test"},
        "respondents": [{"id": r, "name": r.upper()} for r in respondents],
        "answers": [{"question": q, "respondent": r, "value": v} for q, r, v in answers]
        + [{"question": q, "respondent": r, "not_applicable": True, "reason": "not their area"}
           for q, r in na],
        "inventory": inventory or {},
    })


def _finding(rule: str, severity: str = "high") -> Finding:
    return Finding(key=rule, rule=rule, title="t", component="technologies", severity=severity,
                   message=f"{rule} fired")


def _q(scores, qid: str):
    return next(q for q in scores.questions if q.question == qid)


def test_one_decimal_rounds_half_up() -> None:
    assert one_decimal(2.25) == 2.3
    assert one_decimal(2.333) == 2.3
    assert one_decimal(0.05) == 0.1
    assert one_decimal(3.0) == 3.0


def test_median_and_spread_ignore_not_applicable() -> None:
    audit = _audit([("q3.4", "cmo", 1), ("q3.4", "cio", 3), ("q3.4", "coo", 2)],
                   na=(("q3.4", "cfo"),))
    (spread,) = answer_spread(audit, load_catalogue())
    assert spread.question == "q3.4"
    assert spread.levels == {"cio": 3.0, "cmo": 1.0, "coo": 2.0}
    assert (spread.median, spread.spread) == (2.0, 2.0)


def test_even_number_of_respondents_takes_the_middle() -> None:
    audit = _audit([("q8.1", "a", 1), ("q8.1", "b", 2)])
    assert answer_spread(audit, load_catalogue())[0].median == 1.5


def test_question_score_is_mean_of_sub_question_medians() -> None:
    audit = _audit([("q7.1", "a", 3), ("q7.1", "b", 3), ("q7.2", "a", 2), ("q7.3", "a", 2),
                    ("q9.3", "a", 3), ("q9.4", "a", 2)])
    scores = score_audit(audit, [], load_catalogue())
    q7 = _q(scores, "q7")
    assert q7.self_rating == q7.score == 2.3  # (3 + 2 + 2) / 3
    assert [s.question for s in q7.subquestions] == ["q7.1", "q7.2", "q7.3"]
    assert _q(scores, "q9").score == 2.5
    assert _q(scores, "q1").score is None
    assert _q(scores, "q1").unanswered == ("q1.1", "q1.5", "q1.6")
    # What each score rests on: 3 of the 4 Q7 sub-questions, by two respondents (a and b).
    assert q7.confidence is not None
    assert q7.confidence.describe() == "from 3 of 4 sub-questions, 2 respondents"
    assert scores.confidence is not None
    # Q7 (3 of its 4) and Q9 (both of its 2) answered: 5 of the bank's 24 rubric
    # sub-questions, which "2 of 9 questions" alone would not say.
    assert scores.confidence.describe() == (
        "from 2 of 9 questions (5 of 24 sub-questions), 2 respondents")
    q9_only = score_audit(_audit([("q9.3", "a", 3), ("q9.4", "a", 2)]), [], load_catalogue())
    technologies = next(c for c in q9_only.components if c.component == "technologies")
    assert technologies.confidence is not None
    assert technologies.confidence.describe() == "from 1 respondent"  # its one question, whole
    skills = score_audit(_audit([("q6.3", "a", 2)]), [], load_catalogue())
    q6_part = next(c for c in skills.components if c.component == "skills")
    assert q6_part.confidence is not None
    # One question, partly answered: said in its sub-questions, not "from 1 respondent".
    assert q6_part.confidence.describe() == "from 1 of 3 sub-questions, 1 respondent"


def test_ties_are_reported_as_ties() -> None:
    audit = _audit([("q8.1", "a", 1), ("q8.1", "b", 3), ("q8.5", "a", 2), ("q8.5", "b", 2),
                    ("q9.3", "a", 2), ("q9.4", "a", 2)])
    scores = score_audit(audit, [], load_catalogue())
    q81, q85 = _q(scores, "q8").subquestions
    assert (q81.median, q81.tie) == (2.0, (1.0, 3.0))  # a split, not agreement on 2
    assert (q85.median, q85.tie) == (2.0, None)  # both said 2
    # Q8 and Q9 both score 2.0: the weakest question is a tie too.
    assert scores.weakest_tied == ("q8", "q9") and scores.weakest == "q8"


def test_targets_and_stage_names_per_component() -> None:
    audit = _audit([("q8.1", "a", 1), ("q1.1", "a", 3)])
    audit.targets = {"person": 3}
    scores = score_audit(audit, [], load_catalogue())
    person = next(c for c in scores.components if c.component == "person")
    # Person = mean(Q1 3.0, Q8 1.0) = 2.0: Self-service; the target 3 is Conversation.
    assert (person.score, person.stage) == (2.0, "Self-service")
    assert (person.target, person.target_stage) == (3, "Conversation")
    # An empty inventory evidences nothing beyond stage 0.
    assert (person.evidenced.reached, person.evidenced.level) == (0, 0.0)
    assert person.evidenced.next_stage == "Listening"
    assert "Name the system that holds customer records and what it masters." in \
        person.evidenced.next_requires


def test_a_finding_caps_the_self_rating() -> None:
    audit = _audit([("q9.3", "cio", 3), ("q9.4", "cio", 3), ("q8.1", "cio", 3)])
    scores = score_audit(audit, [_finding("TEC-01", "critical")], load_catalogue())
    q9 = _q(scores, "q9")
    assert (q9.self_rating, q9.score) == (3.0, 1.0)
    assert q9.cap is not None and q9.cap.rule == "TEC-01" and q9.cap.max == 1
    assert q9.cap.finding == "TEC-01 fired"
    assert _q(scores, "q8").cap is None and _q(scores, "q8").score == 3.0


def test_cap_does_not_raise_a_lower_rating() -> None:
    audit = _audit([("q8.1", "cio", 0)])
    q8 = _q(score_audit(audit, [_finding("PER-03")], load_catalogue()), "q8")
    assert q8.score == 0.0 and q8.cap is None


@pytest.mark.parametrize("severity, capped", [("high", False), ("critical", True)])
def test_journey_cap_only_for_critical_rule_gaps(severity: str, capped: bool) -> None:
    audit = _audit([("q4.1", "a", 4)])
    q4 = _q(score_audit(audit, [_finding("JRN-01", severity)], load_catalogue()), "q4")
    assert (q4.score == 2.0) is capped and (q4.cap is not None) is capped


def test_components_overall_and_weakest() -> None:
    audit = _audit([("q1.1", "a", 3), ("q2.1", "a", 1), ("q2.4", "a", 2), ("q8.1", "a", 1),
                    ("q9.3", "a", 4), ("q9.4", "a", 4), ("q6.3", "a", 2)])
    scores = score_audit(audit, [], load_catalogue())
    comps = {c.component: c.score for c in scores.components}
    # person = mean(q1 3.0, q2 1.5, q8 1.0) = 1.83 -> 1.8
    assert comps["person"] == 1.8
    assert comps["technologies"] == 4.0 and comps["skills"] == 2.0
    assert comps["journeys"] is None  # nothing answered for q3/q4
    # overall = median(3.0, 1.5, 2.0, 1.0, 4.0) = 2.0; weakest q8
    assert scores.overall == 2.0 and scores.weakest == "q8"


def test_real_findings_cap_the_score_end_to_end() -> None:
    """An engagement system no system of record feeds (TEC-01), self-rated 3 on integration."""
    audit = _audit(
        [("q9.3", "cio", 3), ("q9.4", "cio", 3)],
        inventory={
            "systems": [
                {"id": "crm", "name": "CRM", "roles": ["system-of-record"], "masters": ["person"]},
                {"id": "esp", "name": "Email", "roles": ["system-of-engagement"]}],
            "data": [{"id": "person", "name": "Person", "class": "identity"}],
            "flows": [{"source": "esp", "target": "crm", "data": ["person"], "mode": "manual"}],
        })
    assessment = assess(audit)
    assert any(f.rule == "TEC-01" for f in assessment.findings)
    q9 = _q(assessment.scores, "q9")
    assert (q9.self_rating, q9.score, q9.cap.rule) == (3.0, 1.0, "TEC-01")


def test_assessment_json_is_deterministic() -> None:
    path = Path(__file__).parents[2] / "examples" / "e1-harbour-pine.audit.yaml"
    first = assess(load_audit(path)).model_dump_json(indent=2)
    second = assess(load_audit(path)).model_dump_json(indent=2)
    assert first == second
    assert '"findings"' in first and '"scores"' in first
