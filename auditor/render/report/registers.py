"""Two appendix tables read straight from the inventory and the findings.

* The engagement-rule register: each policy with its trigger data, executing systems, window
  and speed, and whether the analysis found that it can fire (JRN-01 findings name the policy
  as their subject; the rule may also not have been assessed).
* The person data model: the blueprint's person data (identity, contact points, profile,
  consent) against the systems that master it or receive it through a flow.

Only selection and lookup happen here; the judgement is the assessment's.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.render.report.names import Names
from auditor.schema.assessment import SEVERITY_RANK, Assessment
from auditor.schema.audit import Audit
from auditor.schema.blueprint import PersonState

POLICY_RULE = "JRN-01"


@dataclass(frozen=True)
class PolicyRow:
    name: str
    action: str
    target: str
    triggers: tuple[str, ...]
    executors: tuple[str, ...]
    window_days: int | None
    max_latency: str | None
    status: str  # fires | blocked | not-assessed
    severity: str | None  # of the finding that blocks it


@dataclass(frozen=True)
class PersonRow:
    name: str
    data_class: str
    attribute: bool
    cells: tuple[str, ...]  # per system column: "master", "copy" or ""
    conflict: bool = False  # several masters and no survivorship rule
    survivorship: str | None = None
    steward: str | None = None


@dataclass(frozen=True)
class PersonMatrix:
    systems: tuple[str, ...]
    rows: tuple[PersonRow, ...]

    def __bool__(self) -> bool:
        return bool(self.rows and self.systems)


def policy_register(audit: Audit, assessment: Assessment, names: Names) -> tuple[PolicyRow, ...]:
    assessed = next((s.assessed for s in assessment.rules if s.rule == POLICY_RULE), False)
    blocked: dict[str, str] = {}
    for f in assessment.findings:
        if f.rule == POLICY_RULE and f.subject:
            worst = blocked.get(f.subject)
            if worst is None or SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]:
                blocked[f.subject] = f.severity
    rows = []
    for p in audit.inventory.policies:
        if p.status == "planned":
            continue
        status = ("blocked" if p.id in blocked else "fires") if assessed else "not-assessed"
        rows.append(PolicyRow(p.name, p.action, p.target, names.many(p.trigger),
                              names.many(p.executors), p.window_days, p.max_latency, status,
                              blocked.get(p.id)))
    return tuple(rows)


def person_matrix(person: PersonState | None, names: Names) -> PersonMatrix:
    """The blueprint's person data model (who masters each person datum, who receives copies,
    where masters conflict, the survivorship rule and the steward) as a matrix."""
    if person is None:
        return PersonMatrix((), ())
    held: dict[str, int] = {}
    for row in person.attributes:
        for system in (*row.masters, *row.copies):
            held[system] = held.get(system, 0) + 1
    # Columns: systems holding person data, those holding the most first.
    columns = sorted(held, key=lambda s: (-held[s], names(s).casefold()))
    rows = []
    for row in person.attributes:
        # A row holds a few systems of thousands of columns on a large estate: the blank row
        # is copied and only those cells are filled (a master also receiving a copy: master).
        cell = dict.fromkeys(columns, "")
        cell.update(dict.fromkeys(row.copies, "copy"))
        cell.update(dict.fromkeys(row.masters, "master"))
        cells = tuple(cell.values())
        rows.append(PersonRow(row.name, row.data_class, False, cells, row.conflict,
                              row.survivorship, names(row.steward) or None))
    return PersonMatrix(tuple(names(s) for s in columns), tuple(rows))
