"""Answers in an audit file checked against the question banks.

A hand-edited answer must meet the same bar as one typed in the interview: the question
exists, and the value is what ``coerce`` would have stored (a level 0–4, one of the options,
a number in range). Otherwise ``score`` would skip it while ``status`` counted it as answered.
"""

from __future__ import annotations

from typing import Any

from auditor.problems import Problem, did_you_mean
from auditor.schema.answer_values import AnswerValueError, coerce
from auditor.schema.audit import Audit
from auditor.schema.questionnaire import Question


def check_answers(audit: Audit, questions: dict[str, Question]) -> list[Problem]:
    """Every answer whose question is unknown or whose value does not fit its question."""
    problems: list[Problem] = []
    for i, answer in enumerate(audit.answers):
        question = questions.get(answer.question)
        if question is None:
            problems.append(Problem(
                path=("answers", i, "question"),
                message=f"unknown question '{answer.question}'"
                        f"{did_you_mean(answer.question, questions)}"))
            continue
        if answer.not_applicable or answer.value is None:
            continue
        message = _value_problem(question, answer.value)
        if message:
            problems.append(Problem(path=("answers", i, "value"),
                                    message=f"{question.id}: {message}"))
    return problems


def _value_problem(question: Question, value: Any) -> str | None:
    if question.type == "inventory":
        # A capture loop stores the ids of the items the respondent went through.
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        return "expected the list of item ids the capture loop confirmed"
    try:
        stored = coerce(question, value)
    except AnswerValueError as exc:
        return str(exc)
    if not _same(stored, value):
        # Accepted when typed, but the file must hold the stored form, which the analysis reads.
        return f"write {_yaml(stored)} (the stored form of {_yaml(value)})"
    return None


def _same(stored: Any, value: Any) -> bool:
    if isinstance(stored, list):  # the order of ticked options does not matter
        return isinstance(value, list) and sorted(map(str, value)) == sorted(stored) \
            and len(value) == len(stored)
    if isinstance(stored, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and stored == value
    return type(stored) is type(value) and stored == value


def _yaml(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)
