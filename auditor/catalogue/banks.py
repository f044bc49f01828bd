"""The question banks (``questionnaires/``): parsed, then checked across files.

The catalogue (``auditor.catalogue``) calls ``read_banks`` once per run; scoring, the interview,
reports and the spreadsheet route read questions through the catalogue, never from the YAML.
"""

from __future__ import annotations

from auditor.content import ContentFile, load_model
from auditor.errors import ContentError
from auditor.problems import Problem
from auditor.schema.collections import MODELS, NOT_ASKABLE, VIRTUAL_FIELDS
from auditor.schema.questionnaire import QuestionBank


def read_banks(files: list[ContentFile]) -> tuple[QuestionBank, ...]:
    """Every bank in ``files``, validated, in run order (``order`` then id).

    A file of the same name in a ``--content`` folder replaces the built-in one (``files`` is
    already layered); a bank in a new file whose ``id`` equals a built-in bank's replaces that
    bank too.
    """
    by_id: dict[str, QuestionBank] = {}
    for cf in files:
        bank = load_model(cf.path, QuestionBank)
        by_id.pop(bank.id, None)
        by_id[bank.id] = bank
    banks = sorted(by_id.values(), key=lambda b: (b.order, b.id))
    _check_across(banks, [str(cf.path) for cf in files])
    return tuple(banks)


def _check_across(banks: list[QuestionBank], files: list[str]) -> None:
    """What one file cannot check alone: unique ids, conditions and capture fields."""
    problems: list[Problem] = []
    where = ", ".join(files) or "questionnaires/"
    seen_q: dict[str, str] = {}
    seen_s: dict[str, str] = {}
    for bank in banks:
        for si, section in enumerate(bank.sections):
            if section.id in seen_s:
                problems.append(Problem(path=(bank.id, "sections", si, "id"), file=bank.id,
                                        message=f"section '{section.id}' is also in bank '{seen_s[section.id]}'"))
            seen_s[section.id] = bank.id
            for qi, q in enumerate(section.questions):
                path = (bank.id, "sections", si, "questions", qi)
                if q.id in seen_q:
                    problems.append(Problem(path=(*path, "id"), file=bank.id,
                                            message=f"question '{q.id}' is also in bank '{seen_q[q.id]}'"))
                seen_q[q.id] = bank.id
                if q.type == "inventory" and q.collection:
                    model = MODELS[q.collection]
                    for fi, f in enumerate(q.fields):
                        known = [n for n in model.model_fields if n not in NOT_ASKABLE]
                        known += [v for (c, v) in VIRTUAL_FIELDS if c == q.collection]
                        if f.field not in known:
                            problems.append(Problem(
                                path=(*path, "fields", fi, "field"), file=bank.id,
                                message=f"'{f.field}' cannot be asked for {q.collection} "
                                        f"(one of: {', '.join(known)})"))
    for bank in banks:
        for si, section in enumerate(bank.sections):
            for qi, q in enumerate(section.questions):
                for ci, cond in enumerate(q.when):
                    if cond.question not in seen_q:
                        problems.append(Problem(
                            path=(bank.id, "sections", si, "questions", qi, "when", ci, "question"),
                            file=bank.id, message=f"condition on unknown question '{cond.question}'"))
    if problems:
        raise ContentError(f"the question banks do not fit together ({where})",
                           hint="Question and section ids must be unique across all banks.",
                           problems=problems)
