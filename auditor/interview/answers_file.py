"""Answers given in a YAML file (``auditor interview FILE --answers answers.yaml``).

The format, for one respondent::

    respondent: Head of Service      # id, name or role; or pass --respondent
    # or, to add someone new:  respondent: {name: Dana Ortiz, role: CIO, department: IT}
    answers:
      q1.1: 2                        # short form: just the value
      q6.4: [steering-group, playbooks]
      q7.4:
        value: Budget approved for two years
        note: Sponsor is the COO
        evidence: Steering minutes, March
      q2.3:
        not_applicable: true
        reason: Single-product business

Every entry is checked before anything is stored; all problems are reported at once with
their line, and the audit is left untouched when there is any.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from auditor.catalogue import load_catalogue
from auditor.errors import ImportFileError
from auditor.interview.record import store_answer, store_target
from auditor.interview.respondents import add_respondent as add_new
from auditor.interview.respondents import find_respondent, require_respondent
from auditor.problems import Problem, did_you_mean
from auditor.schema.answer_values import AnswerValueError, coerce
from auditor.schema.audit import AnswerValue, Audit, Respondent
from auditor.store.locations import problems_from_validation
from auditor.store.yaml_file import located, parse_yaml, read_text, to_plain


class AnswerEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: AnswerValue = None
    note: str | None = None
    evidence: str | None = None
    not_applicable: bool = False
    reason: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> AnswerEntry:
        if self.not_applicable and not self.reason:
            raise ValueError("a 'not applicable' answer needs a reason")
        if not self.not_applicable and self.value is None:
            raise ValueError("missing 'value' (or 'not_applicable: true' with a reason)")
        return self


class NewRespondent(BaseModel):
    """A respondent named in full: found by name, or added to the audit."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    role: str | None = None
    department: str | None = None


class AnswersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    respondent: str | NewRespondent | None = None
    answers: dict[str, AnswerEntry] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        # `q1.1: 2` is shorthand for `q1.1: {value: 2}`.
        if isinstance(data, dict) and isinstance(data.get("answers"), dict):
            data = dict(data)
            data["answers"] = {k: v if isinstance(v, dict) else {"value": v}
                               for k, v in data["answers"].items()}
        return data


def apply_answers_file(path: Path, audit: Audit, respondent: str | None, *,
                       add_respondent: bool = False, audit_path: str = "AUDIT") -> list[str]:
    """Store every answer of ``path`` in ``audit``; the ids answered. Raises ImportFileError.

    An unknown respondent is added when ``add_respondent`` is set or the file names them in
    full (``respondent: {name: …, role: …}``).
    """
    name = str(path)
    text, _ = read_text(path, ImportFileError,
                        missing_hint="Write the answers in a YAML file first; the format is "
                                     "shown by 'auditor interview --help'.")
    raw = parse_yaml(text, name, ImportFileError)
    if not isinstance(raw, dict):
        raise ImportFileError(f"{name}: expected a mapping with 'answers:' (and 'respondent:')",
                              hint="See 'auditor interview --help' for the format.")
    try:
        parsed = AnswersFile.model_validate(to_plain(raw, ImportFileError, name))
    except ValidationError as exc:
        raise ImportFileError(f"{name} is not a valid answers file",
                              problems=located(problems_from_validation(exc, AnswersFile), raw, name),
                              hint="Nothing was stored.") from None
    who = _respondent(audit, respondent, parsed.respondent, name, add_respondent, audit_path)
    index = load_catalogue().questions
    problems: list[Problem] = []
    values: dict[str, AnswerValue] = {}
    for qid, entry in parsed.answers.items():
        question = index.get(qid)
        if question is None:
            problems.append(Problem(path=("answers", qid),
                                    message=f"unknown question '{qid}'{did_you_mean(qid, index)}"))
            continue
        if entry.not_applicable:
            continue
        try:
            values[qid] = coerce(question, entry.value)
        except AnswerValueError as exc:
            problems.append(Problem(path=("answers", qid), message=str(exc)))
    if problems:
        raise ImportFileError(f"{name} has {len(problems)} problem{'s' if len(problems) != 1 else ''}",
                              problems=located(problems, raw, name), hint="Nothing was stored.")
    if who.id not in {r.id for r in audit.respondents}:
        audit.respondents = [*audit.respondents, who]
    for qid, entry in parsed.answers.items():
        target = index[qid]
        if target.type == "target" and target.component is not None:
            if not entry.not_applicable:  # the client's target, not this respondent's answer
                store_target(audit, target.component, int(values[qid]))  # type: ignore[arg-type]
            continue
        store_answer(audit, qid, who.id, values.get(qid), note=entry.note, evidence=entry.evidence,
                     not_applicable_reason=entry.reason if entry.not_applicable else None)
    return list(parsed.answers)


def _respondent(audit: Audit, option: str | None, given: str | NewRespondent | None, name: str,
                add: bool, audit_path: str) -> Respondent:
    """Who answered: ``--respondent`` first, then the file's; a full entry may add them.

    A new respondent is only created here, not yet added to the audit, so a file with bad
    answers leaves the audit as it was.
    """
    action = f"store the answers of {name}"
    probe = audit.model_copy(update={"respondents": list(audit.respondents)})
    if option is not None or not isinstance(given, NewRespondent):
        named = option if option is not None else given
        assert not isinstance(named, NewRespondent)  # narrowed by the test above
        return require_respondent(probe, named, action=action, add=add,
                                  audit_path=audit_path)
    found = find_respondent(audit, given.name)
    if found is not None:
        return found
    return add_new(probe, given.name, given.role, given.department)
