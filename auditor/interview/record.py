"""Answers in the audit: finding, storing and testing them for one respondent."""

from __future__ import annotations

import datetime as dt

from auditor.schema.audit import Answer, AnswerValue, Audit
from auditor.schema.questionnaire import Question


def now() -> dt.datetime:
    """Answer timestamps: UTC, to the second (enough to order answers, short in the file)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def store_answer(
    audit: Audit,
    question: str,
    respondent: str,
    value: AnswerValue = None,
    *,
    note: str | None = None,
    evidence: str | None = None,
    not_applicable_reason: str | None = None,
    keep_notes: bool = True,
) -> Answer:
    """Set ``respondent``'s answer to ``question``, replacing an earlier one in place.

    A new answer keeps the earlier note and evidence unless new ones are given
    (``keep_notes``), so re-answering a question in a second workshop does not erase them.
    """
    old = audit.answer_for(question, respondent)
    if keep_notes and old is not None:
        note = note if note is not None else old.note
        evidence = evidence if evidence is not None else old.evidence
    answer = Answer(
        question=question,
        respondent=respondent,
        value=None if not_applicable_reason else value,
        note=note or None,
        evidence=evidence or None,
        not_applicable=bool(not_applicable_reason),
        reason=not_applicable_reason or None,
        at=now(),
    )
    answers = list(audit.answers)
    for i, existing in enumerate(answers):
        if existing.question == question and existing.respondent == respondent:
            answers[i] = answer
            break
    else:
        answers.append(answer)
    audit.answers = answers
    return answer


def store_target(audit: Audit, component: str, level: int) -> None:
    """Set the client's target level for ``component`` (the audit's ``targets`` section)."""
    audit.targets = {**audit.targets, component: level}  # type: ignore[dict-item]


def question_answered(question: Question, audit: Audit, respondent: str) -> bool:
    """Whether ``respondent`` has answered ``question``; a target counts once the client has
    one for its component, whoever set it (targets belong to the client, not a respondent)."""
    if question.type == "target":
        return question.component in audit.targets
    return is_answered(audit.answer_for(question.id, respondent))


def is_answered(answer: Answer | None) -> bool:
    """Answered means a value, or marked not applicable with a reason."""
    return answer is not None and (answer.not_applicable or answer.value is not None)


def applies(question: Question, audit: Audit, respondent: str) -> bool:
    """Whether the bank's ``when`` conditions let ``question`` be asked of ``respondent``."""
    for condition in question.when:
        answer = audit.answer_for(condition.question, respondent)
        answered = answer is not None and not answer.not_applicable and answer.value is not None
        if not condition.holds(answer.value if answer else None, answered):
            return False
    return True
