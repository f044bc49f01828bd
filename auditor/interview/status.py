"""What is answered and what is missing, per section and respondent, and where people disagree."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.catalogue import load_catalogue
from auditor.interview.record import applies, is_answered, question_answered
from auditor.schema.audit import Audit
from auditor.schema.collections import ITEM_NOUNS, items

#: A spread of this many rubric levels between respondents is worth discussing (GOV-05).
DISAGREEMENT_SPREAD = 2


@dataclass
class Cell:
    answered: int = 0
    not_applicable: int = 0
    total: int = 0
    missing: list[str] = field(default_factory=list)


@dataclass
class SectionStatus:
    bank: str
    section: str
    title: str
    cells: dict[str, Cell]  # by respondent id
    shared: bool = False  # only inventory questions: the same for every respondent


@dataclass
class Disagreement:
    question: str
    text: str
    levels: dict[str, int]  # respondent id -> level

    @property
    def spread(self) -> int:
        return max(self.levels.values()) - min(self.levels.values())


@dataclass
class AudienceGap:
    """A question written for audiences none of whose respondents has answered it yet."""

    section: str
    question: str
    missing: list[str]  # audience names, in bank order


@dataclass
class AuditStatus:
    respondents: list[str]
    sections: list[SectionStatus]
    disagreements: list[Disagreement]
    unknown_questions: list[str]  # answered ids no loaded bank knows (e.g. a removed question)
    inventory: dict[str, int]  # items captured per list
    audiences: list[AudienceGap] = field(default_factory=list)


def audience_gaps(audit: Audit) -> list[AudienceGap]:
    """For each question, the audiences it is written for that no respondent of that audience
    has answered yet (respondents without an audience count for none)."""
    gaps = []
    for bank in load_catalogue().banks:
        for section in bank.sections:
            for q in section.questions:
                if not q.audience or q.type in ("inventory", "target"):
                    continue  # the inventory and the targets are shared, not per audience
                heard = {r.audience for r in audit.respondents
                         if r.audience and is_answered(audit.answer_for(q.id, r.id))}
                missing: list[str] = [a for a in q.audience if a not in heard]
                if missing:
                    gaps.append(AudienceGap(section.id, q.id, missing))
    return gaps


def audit_status(audit: Audit) -> AuditStatus:
    """Counts per section and respondent, over the questions whose conditions hold for them."""
    respondents = [r.id for r in audit.respondents]
    sections: list[SectionStatus] = []
    known: set[str] = set()
    disagreements: list[Disagreement] = []
    for bank in load_catalogue().banks:
        for section in bank.sections:
            cells = {r: Cell() for r in respondents}
            for q in section.questions:
                known.add(q.id)
                levels: dict[str, int] = {}
                for r in respondents:
                    if not applies(q, audit, r):
                        continue
                    cell = cells[r]
                    cell.total += 1
                    answer = audit.answer_for(q.id, r)
                    if q.type == "target":  # the client's targets, set once for everyone
                        if question_answered(q, audit, r):
                            cell.answered += 1
                        else:
                            cell.missing.append(q.id)
                        continue
                    # The inventory is shared: once a list has items (from any respondent or
                    # an import), its questions are not missing for anyone.
                    if q.type == "inventory" and q.collection and items(audit, q.collection):
                        cell.answered += 1
                    elif not is_answered(answer):
                        cell.missing.append(q.id)
                    elif answer is not None and answer.not_applicable:
                        cell.not_applicable += 1
                    else:
                        cell.answered += 1
                        if q.type == "rubric" and answer is not None and isinstance(answer.value, int):
                            levels[r] = answer.value
                if len(levels) >= 2 and max(levels.values()) - min(levels.values()) >= DISAGREEMENT_SPREAD:
                    disagreements.append(Disagreement(q.id, q.text, levels))
            shared = all(q.type == "inventory" for q in section.questions)
            sections.append(SectionStatus(bank.id, section.id, section.title, cells, shared))
    unknown = sorted({a.question for a in audit.answers} - known)
    inventory = {name: len(items(audit, name)) for name in ITEM_NOUNS}
    return AuditStatus(respondents, sections, disagreements, unknown, inventory,
                       audience_gaps(audit))
