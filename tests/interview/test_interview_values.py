"""What counts as a valid answer, the same for the terminal, files and spreadsheets."""

from __future__ import annotations

import pytest

from auditor.catalogue import load_catalogue
from auditor.schema.answer_values import AnswerValueError, coerce, display


@pytest.mark.parametrize(("qid", "raw", "stored"), [
    ("q8.1", 2, 2),
    ("q8.1", "3", 3),
    ("q8.1", "2 Periodic dedupe", 2),
    ("q8.1", "ad hoc", 1),
    ("q8.1", 4.0, 4),
    ("q6.4", "none", ["none"]),
    ("q6.4", "playbooks; COE", ["coe", "playbooks"]),
    ("q6.4", ["steering-group"], ["steering-group"]),
    ("q1.3", "1,200,000", 1200000),
    ("q8.3", "12.5%", 12.5),
    ("q8.3", 40, 40),
    ("q7.4", "  Budget approved  ", "Budget approved"),
])
def test_accepted(qid: str, raw: object, stored: object) -> None:
    assert coerce(load_catalogue().questions[qid], raw) == stored


@pytest.mark.parametrize(("qid", "raw", "message"), [
    ("q8.1", 5, "is not a level"),
    ("q8.1", True, "expected a level"),
    ("q8.1", "great", "is not a level"),
    ("q6.4", "none, coe", "cannot be combined"),
    ("q6.4", "steering", "did you mean 'steering-group'"),
    ("q1.3", "12.5", "whole number"),
    ("q1.3", "-3", "at least 0"),
    ("q8.3", "120%", "at most 100"),
    ("q8.3", "lots", "is not a number"),
    ("q7.4", "  ", "empty"),
    ("q9.1", "crm", "captures inventory"),
])
def test_rejected(qid: str, raw: object, message: str) -> None:
    with pytest.raises(AnswerValueError, match=message):
        coerce(load_catalogue().questions[qid], raw)


def test_display_reads_like_the_question() -> None:
    index = load_catalogue().questions
    assert display(index["q8.1"], 3) == "3 Rules, stewards, monitoring"
    assert display(index["q1.4"], ["email", "phone"]) == "Email address, Phone number"
    assert display(index["q8.3"], 12.5) == "12.5%"
    assert display(index["q1.3"], 1200) == "1,200 person records"
