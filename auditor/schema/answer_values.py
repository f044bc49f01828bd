"""Answer values: checking what a person typed or a file holds, and showing stored values.

One place decides what a valid answer is for each question type, so the terminal, the
``answer`` command, answers files and spreadsheets accept exactly the same things:
rubric -> int 0–4; choice -> option value; multi -> list of option values; number -> int or
float; percent -> number 0–100; text -> str.
"""

from __future__ import annotations

import math
import re
from typing import Any

from auditor.problems import did_you_mean
from auditor.schema.audit import AnswerValue
from auditor.schema.questionnaire import Question

_SPLIT = re.compile(r"\s*[,;\n]\s*")


class AnswerValueError(ValueError):
    """A value that does not fit its question; the message says what would."""


def coerce(question: Question, raw: Any) -> AnswerValue:
    """``raw`` (typed text, YAML or a cell) as the value stored for ``question``."""
    if question.type == "inventory":
        raise AnswerValueError(f"{question.id} captures inventory items; run it in "
                               "'auditor interview' or import the inventory from a spreadsheet")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise AnswerValueError("the answer is empty")
    if question.type in ("rubric", "target"):
        return _rubric(question, raw)
    if question.type == "choice":
        return _option(question, raw)
    if question.type == "multi":
        return _multi(question, raw)
    if question.type in ("number", "percent"):
        return _number(question, raw)
    if isinstance(raw, (dict, list)):
        raise AnswerValueError("expected text")
    return str(raw).strip()


def _rubric(question: Question, raw: Any) -> int:
    if isinstance(raw, bool):
        raise AnswerValueError("expected a level from 0 to 4")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if re.fullmatch(r"[0-4](\.0)?", text):
            raw = int(float(text))
        else:
            # Accept "2", "2 Written down" (spreadsheet dropdown) or the label itself.
            lead = re.match(r"^([0-4])\b", text)
            if lead:
                return int(lead.group(1))
            by_label = {lv.label.lower(): lv.level for lv in question.levels}
            if text.lower() in by_label:
                return by_label[text.lower()]
            raise AnswerValueError(f"'{text}' is not a level: use 0–4 "
                                   f"({_level_list(question)})")
    if isinstance(raw, int) and 0 <= raw <= 4:
        return raw
    raise AnswerValueError(f"{raw!r} is not a level: use 0–4 ({_level_list(question)})")


def _level_list(question: Question) -> str:
    return ", ".join(f"{lv.level} {lv.label}" for lv in question.levels)


def _option(question: Question, raw: Any) -> str:
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        raise AnswerValueError(f"expected one of: {', '.join(o.value for o in question.options)}")
    text = str(raw).strip()
    for option in question.options:
        if text.lower() in (option.value, option.label.lower()):
            return option.value
    values = [o.value for o in question.options]
    raise AnswerValueError(f"'{text}' is not an option{did_you_mean(text.lower(), values)} "
                           f"(one of: {', '.join(values)})")


def _multi(question: Question, raw: Any) -> list[str]:
    if isinstance(raw, str):
        parts = [p for p in _SPLIT.split(raw.strip()) if p]
    elif isinstance(raw, list):
        parts = raw
    else:
        parts = [raw]
    chosen: list[str] = []
    for part in parts:
        value = _option(question, part)
        if value not in chosen:
            chosen.append(value)
    exclusive = [v for v in chosen if (o := question.option(v)) is not None and o.exclusive]
    if exclusive and len(chosen) > 1:
        raise AnswerValueError(f"'{exclusive[0]}' cannot be combined with other options")
    # Stored in the bank's order, so the same choice always reads the same in the file.
    order = [o.value for o in question.options]
    return sorted(chosen, key=order.index)


def _number(question: Question, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise AnswerValueError("expected a number")
    if isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("_", "").replace(" ", "")
        if question.type == "percent":
            text = text.removesuffix("%")
        try:
            raw = float(text)
        except ValueError:
            raise AnswerValueError(f"'{raw.strip()}' is not a number") from None
    if not isinstance(raw, (int, float)) or math.isnan(raw) or math.isinf(raw):
        raise AnswerValueError("expected a number")
    value: int | float = int(raw) if float(raw).is_integer() else float(raw)
    if question.integer and not isinstance(value, int):
        raise AnswerValueError("expected a whole number")
    if question.minimum is not None and value < question.minimum:
        raise AnswerValueError(f"must be at least {_num(question.minimum)}")
    if question.maximum is not None and value > question.maximum:
        raise AnswerValueError(f"must be at most {_num(question.maximum)}")
    return value


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def display(question: Question | None, value: AnswerValue) -> str:
    """A stored value as a person reads it ('2 Written down', 'email, phone', '35%')."""
    if value is None:
        return ""
    if question is None:
        return ", ".join(value) if isinstance(value, list) else str(value)
    if question.type == "rubric" and isinstance(value, int):
        level = question.level(value)
        return f"{value} {level.label}" if level else str(value)
    if question.type in ("choice", "multi"):
        values = value if isinstance(value, list) else [value]
        labels = [(o.label if (o := question.option(str(v))) else str(v)) for v in values]
        return ", ".join(labels)
    if question.type == "percent":
        return f"{_num(float(value))}%" if isinstance(value, (int, float)) else str(value)
    if question.type == "number" and isinstance(value, (int, float)):
        text = f"{value:,}"
        return f"{text} {question.unit}" if question.unit else text
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def allowed_values(question: Question) -> list[str]:
    """What a spreadsheet cell may hold, for a dropdown (empty list: free input)."""
    if question.type == "rubric":
        return [f"{lv.level} {lv.label}" for lv in question.levels]
    if question.type == "choice":
        return [o.value for o in question.options]
    return []
