"""Two appendix tables read straight from the inventory and the findings.

* The engagement-rule register: each policy with its trigger data, executing systems, window
  and speed, and whether the analysis found that it can fire (JRN-01 findings name the policy
  as their subject; the rule may also not have been assessed).
* The person data model: person data (identity, contact points, profile, consent) against the
  systems that master it or receive it through a flow.

Only selection and lookup happen here; the judgement is the assessment's.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.render.report.names import Names
from auditor.schema.assessment import SEVERITY_RANK, Assessment
from auditor.schema.audit import Audit

PERSON_CLASSES = ("identity", "contact-point", "profile", "consent")
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


def person_matrix(audit: Audit, names: Names) -> PersonMatrix:
    inv = audit.inventory
    systems = [s for s in inv.systems if s.status != "planned"]
    received: dict[str, set[str]] = {}
    for flow in inv.flows:
        if flow.status != "planned":
            received.setdefault(flow.target, set()).update(flow.data)
    rows: list[tuple[str, str, bool, dict[str, str]]] = []
    for entity in inv.data:
        items = [(entity.id, entity.name, entity.data_class, False, entity.id)]
        items += [(a.id, a.name, a.data_class or entity.data_class, True, entity.id)
                  for a in entity.attributes]
        for item_id, name, data_class, is_attribute, parent in items:
            if data_class not in PERSON_CLASSES:
                continue
            cells = {}
            for s in systems:
                # An entity's master is the master of its attributes unless stated otherwise.
                if item_id in s.masters or (is_attribute and parent in s.masters):
                    cells[s.id] = "master"
                elif item_id in received.get(s.id, ()) or (
                        is_attribute and parent in received.get(s.id, ())):
                    cells[s.id] = "copy"
            rows.append((name, data_class, is_attribute, cells))
    # Columns: systems holding person data, those holding the most first.
    held = {s.id: sum(1 for *_, cells in rows if s.id in cells) for s in systems}
    columns = sorted((s for s in systems if held[s.id]), key=lambda s: (-held[s.id],
                                                                          s.name.casefold()))
    return PersonMatrix(
        tuple(s.name for s in columns),
        tuple(PersonRow(name, cls, attr, tuple(cells.get(s.id, "") for s in columns))
              for name, cls, attr, cells in rows))
