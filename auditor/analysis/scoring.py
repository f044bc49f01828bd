"""Maturity scores (DOMAIN.md §3, docs/scoring.md): rubric answers -> sub-question medians ->
question scores, capped by findings -> component scores -> overall level; beside each, the
evidenced level (``auditor.analysis.evidence``), the stage name and how much it rests on.

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
    Confidence,
    EvidencedLevel,
    Finding,
    QuestionScore,
    RootCause,
    ScoreCap,
    Scores,
    SignatureCheck,
    SubQuestionScore,
)
from auditor.schema.audit import Audit
from auditor.schema.catalogue import ScoreCapRule

if TYPE_CHECKING:
    import networkx as nx

    from auditor.analysis.evidence import Holder
    from auditor.analysis.root_causes import IssueLinks
    from auditor.catalogue import Catalogue
    from auditor.graph.index import GraphIndex


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


def _tie(levels: dict[str, float]) -> tuple[float, float] | None:
    """The two middle levels when respondents (or questions) split evenly around different
    values."""
    ordered = sorted(levels.values())
    n = len(ordered)
    if n >= 2 and n % 2 == 0 and ordered[n // 2 - 1] != ordered[n // 2]:
        return (ordered[n // 2 - 1], ordered[n // 2])
    return None


def _sub_coverage(questions: Sequence[QuestionScore]) -> dict[str, int]:
    """The rubric sub-questions answered beneath ``questions``, out of all of theirs."""
    answered = sum(len(q.subquestions) for q in questions)
    return {"sub_answered": answered,
            "sub_of": answered + sum(len(q.unanswered) for q in questions)}


def _respondents(subs: Iterable[SubQuestionScore]) -> int:
    return len({r for s in subs for r in s.levels})


def score_audit(audit: Audit, findings: Sequence[Finding], catalogue: Catalogue,
                graph: nx.MultiDiGraph | None = None,
                causes: Sequence[RootCause] | None = None,
                index: GraphIndex | None = None,
                links: IssueLinks | None = None) -> Scores:
    """All scores of ``audit``: self-rated from the answers (capped by ``findings``), evidenced
    from the ``graph`` of its inventory (built here when not given) and held down by the root
    causes of ``findings`` (``causes``, grouped here when not given). ``index`` is the
    analysis' index of ``graph`` (``auditor.graph.index``), shared with the blueprint;
    ``links`` the ``IssueLinks`` of ``findings`` the root causes were grouped by (made here
    when not given)."""
    from auditor.analysis.evidence import (
        check_signatures,
        evidenced,
        holders_from_root_causes,
        next_stage,
    )
    from auditor.analysis.root_causes import IssueLinks, find_root_causes
    from auditor.catalogue.wording import terms_for

    if graph is None:
        from auditor.graph.build import build_graph
        graph = build_graph(audit)
    caps = catalogue.caps
    terms = terms_for(audit.client, catalogue.wording)
    checks = check_signatures(graph, catalogue.scoring, terms, index)
    sig_questions = {s.id: set(s.questions) for s in catalogue.scoring.signatures}
    if links is None:
        links = IssueLinks(findings, graph, catalogue)
    if causes is None:
        causes = find_root_causes(findings, graph, catalogue, terms, links)
    holders = holders_from_root_causes(causes, findings, links, catalogue.scoring)
    component_of = {q: c.id for c in catalogue.components for q in c.questions}

    def checks_for(questions: Iterable[str]) -> list[SignatureCheck]:
        wanted = set(questions)
        return [c for c in checks if sig_questions[c.id] & wanted]

    def held_down(component: str | None) -> list[Holder]:
        return [h for h in holders if h.component == component]

    by_question = {s.question: s.model_copy(update={"tie": _tie(s.levels)})
                   for s in answer_spread(audit, catalogue)}
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
        component = component_of.get(qid)
        question_scores.append(QuestionScore(
            question=qid, title=title, self_rating=self_rating, score=score, cap=applied,
            subquestions=tuple(answered), unanswered=unanswered,
            stage=catalogue.stage(score) if score is not None else None, component=component,
            evidenced=evidenced(checks_for([qid]), held_down(component), catalogue),
            confidence=Confidence(answered=len(answered), of=len(subs), unit="sub-questions",
                                  respondents=_respondents(answered))))
    by_id = {q.question: q for q in question_scores}
    scored = {q.question: q.score for q in question_scores if q.score is not None}
    components = []
    for comp in catalogue.components:
        mine = [by_id[q] for q in comp.questions if q in by_id]
        values = [q.score for q in mine if q.score is not None]
        selves = [q.self_rating for q in mine if q.self_rating is not None]
        value = one_decimal(statistics.fmean(values)) if values else None
        target = audit.targets.get(comp.id)
        components.append(ComponentScore(
            component=comp.id, name=comp.name, questions=tuple(comp.questions), score=value,
            self_rating=one_decimal(statistics.fmean(selves)) if selves else None,
            stage=catalogue.stage(value) if value is not None else None,
            evidenced=evidenced(checks_for(comp.questions), held_down(comp.id), catalogue),
            target=target, target_stage=catalogue.stage(target) if target is not None else None,
            confidence=Confidence(answered=len(values), of=len(comp.questions), unit="questions",
                                  respondents=_respondents(s for q in mine for s in q.subquestions),
                                  **_sub_coverage(mine))))
    overall = one_decimal(statistics.median(scored.values())) if scored else None
    lowest = min(scored.values()) if scored else None
    tied = tuple(q for q, v in scored.items() if v == lowest)
    proofs = [q.evidenced.level for q in question_scores if q.evidenced.level is not None]
    overall_proof = EvidencedLevel()
    if proofs:
        level = one_decimal(statistics.median(proofs))
        overall_proof = EvidencedLevel(level=level, stage=catalogue.stage(level),
                                       **next_stage(level, checks, catalogue))
    return Scores(
        questions=tuple(question_scores), components=tuple(components), overall=overall,
        overall_tie=_tie(scored),
        weakest=tied[0] if tied else None, weakest_tied=tied if len(tied) > 1 else (),
        stage=catalogue.stage(overall) if overall is not None else None,
        confidence=Confidence(answered=len(scored), of=len(question_scores), unit="questions",
                              respondents=_respondents(s for q in question_scores
                                                       for s in q.subquestions),
                              **_sub_coverage(question_scores)),
        evidenced=overall_proof, signatures=checks)


__all__ = ["one_decimal", "score_audit"]
