"""Maturity scores (DOMAIN.md §3): rubric answers -> sub-question medians -> question scores,
capped by findings -> component scores -> overall level.

1. Each rubric sub-question takes the median across respondents (not-applicable answers are
   left out) and records the spread between the highest and the lowest level.
2. A question's self-rating is the mean of its answered rubric sub-questions, to one decimal.
3. Findings listed in ``blueprints/score-caps.yaml`` cap the self-rating.
4. A component scores the mean of its questions; the overall level is the median of the
   question scores, and the weakest question is named.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from auditor.answers import answer_spread
from auditor.schema.assessment import (
    SEVERITY_RANK,
    ComponentScore,
    Finding,
    QuestionScore,
    ScoreCap,
    Scores,
)
from auditor.schema.audit import Audit
from auditor.schema.catalogue import ScoreCapRule

if TYPE_CHECKING:
    from auditor.catalogue import Catalogue


def one_decimal(value: float) -> float:
    """Round half up to one decimal (Python's round() would send 2.25 to 2.2)."""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _cap_for(question: str, caps: Sequence[ScoreCapRule],
             findings: Iterable[Finding]) -> tuple[ScoreCapRule, Finding] | None:
    """The tightest cap on ``question`` triggered by a finding (lowest max, then rule id)."""
    applicable = []
    for cap in caps:
        if cap.question != question:
            continue
        floor = SEVERITY_RANK[cap.severity] if cap.severity else 0
        hit = next((f for f in findings
                    if f.rule == cap.rule and SEVERITY_RANK[f.severity] >= floor), None)
        if hit is not None:
            applicable.append((cap.max, cap.rule, cap, hit))
    if not applicable:
        return None
    _, _, cap, hit = min(applicable, key=lambda a: (a[0], a[1]))
    return cap, hit


def score_audit(audit: Audit, findings: Sequence[Finding], catalogue: Catalogue) -> Scores:
    """All scores of ``audit``; ``findings`` (sorted, most severe first) supply the caps."""
    caps = catalogue.caps
    by_question = {s.question: s for s in answer_spread(audit, catalogue)}
    question_scores: list[QuestionScore] = []
    for qid, (title, subs) in catalogue.rubric_questions.items():
        answered = [by_question[s] for s in subs if s in by_question]
        unanswered = tuple(s for s in subs if s not in by_question)
        self_rating = (one_decimal(statistics.fmean(a.median for a in answered))
                       if answered else None)
        score, applied = self_rating, None
        capped = _cap_for(qid, caps, findings)
        if capped is not None and self_rating is not None and self_rating > capped[0].max:
            cap, hit = capped
            score = float(cap.max)
            applied = ScoreCap(rule=cap.rule, max=cap.max, reason=cap.reason, finding=hit.message)
        question_scores.append(QuestionScore(
            question=qid, title=title, self_rating=self_rating, score=score, cap=applied,
            subquestions=tuple(answered), unanswered=unanswered))
    scored = {q.question: q.score for q in question_scores if q.score is not None}
    components = []
    for comp in catalogue.components:
        values = [scored[q] for q in comp.questions if q in scored]
        components.append(ComponentScore(
            component=comp.id, name=comp.name, questions=tuple(comp.questions),
            score=one_decimal(statistics.fmean(values)) if values else None))
    overall = one_decimal(statistics.median(scored.values())) if scored else None
    weakest = min(scored, key=lambda q: scored[q]) if scored else None
    return Scores(questions=tuple(question_scores), components=tuple(components),
                  overall=overall, weakest=weakest)


__all__ = ["one_decimal", "score_audit"]
