"""Reading rubric answers: each respondent's level, the median and the spread per sub-question.

Shared by scoring, the gap rules that read answers (``ans(q)`` of DOMAIN.md §0) and GOV-05.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.schema.assessment import SubQuestionScore
from auditor.schema.audit import Answer, Audit

if TYPE_CHECKING:
    from auditor.catalogue import Catalogue


def level_of(answer: Answer) -> int | float | None:
    """The 0–4 level an answer gives, or None (not applicable, missing or not a level)."""
    value = answer.value
    if answer.not_applicable or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if 0 <= value <= 4 else None


def levels(audit: Audit, question: str) -> list[tuple[str, int | float]]:
    """(respondent, level) for every usable answer to ``question``, sorted by respondent."""
    found = [(a.respondent, level_of(a)) for a in audit.answers if a.question == question]
    return sorted((r, v) for r, v in found if v is not None)


def median_answer(audit: Audit, question: str) -> float | None:
    """ans(q): the median level across respondents (None when nobody gave a level)."""
    values = [v for _, v in levels(audit, question)]
    return float(statistics.median(values)) if values else None


def claims(audit: Audit, question: str, at_least: float) -> list[tuple[str, int | float]]:
    """Respondents whose level for ``question`` is at least ``at_least`` (a claim to check)."""
    return [(r, v) for r, v in levels(audit, question) if v >= at_least]


def answer_ref(question: str, respondent: str) -> str:
    """How findings cite an answer: 'q3.4/cmo'."""
    return f"{question}/{respondent}"


@dataclass(frozen=True)
class Spread:
    """How far respondents' levels for one sub-question lie apart."""

    question: str
    levels: tuple[tuple[str, int | float], ...]
    median: float
    spread: float  # max - min


def spreads(audit: Audit, questions: list[str]) -> list[Spread]:
    """The spread of each of ``questions`` that at least one respondent answered, in order."""
    out = []
    for q in questions:
        found = levels(audit, q)
        if found:
            values = [v for _, v in found]
            out.append(Spread(q, tuple(found), float(statistics.median(values)),
                              float(max(values) - min(values))))
    return out


def median_number(audit: Audit, question: str) -> float | None:
    """Median of numeric answers of any range (percentages, counts), None when there are none."""
    values = [float(a.value) for a in audit.answers
              if a.question == question and not a.not_applicable
              and isinstance(a.value, (int, float)) and not isinstance(a.value, bool)]
    return float(statistics.median(values)) if values else None


def answer_spread(audit: Audit, catalogue: Catalogue) -> list[SubQuestionScore]:
    """Median and spread of every answered rubric sub-question, in bank order.

    Scoring and GOV-05 (stakeholders two levels or more apart) both read this, so the report's
    spread column and the rule always agree on which sub-questions are rubric ratings.
    """
    ids = [q for _, subs in catalogue.rubric_questions.values() for q in subs]
    return [SubQuestionScore(question=s.question, levels={r: float(v) for r, v in s.levels},
                             median=s.median, spread=s.spread)
            for s in spreads(audit, ids)]
