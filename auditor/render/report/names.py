"""Ids -> the names a reader knows, for every item of an audit.

Findings and chains carry ids (they are evidence, stable across runs); every sentence of the
report shows names instead. One lookup built once per report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from auditor.schema.audit import Audit


@dataclass(frozen=True)
class Names:
    by_id: Mapping[str, str]
    flows: Mapping[str, tuple[str, str]]  # flow id -> (source id, target id)

    def __call__(self, item: str | None) -> str:
        if item is None:
            return ""
        return self.by_id.get(item, item)

    def many(self, items: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        return tuple(self(i) for i in items)

    def flow(self, flow_id: str) -> tuple[str, str] | None:
        """(source name, target name) of a flow, or None for an id that is not a flow."""
        ends = self.flows.get(flow_id)
        return (self(ends[0]), self(ends[1])) if ends else None


def names_of(audit: Audit, extra: Mapping[str, str] | None = None) -> Names:
    """Every id of ``audit`` with its display name; ``extra`` adds catalogue names (remedies,
    capabilities from the product catalogue) without overriding the audit's own."""
    found: dict[str, str] = dict(extra or {})
    inv = audit.inventory
    # Skills have their own id namespace; put them first so an item of the same id wins.
    for skill in inv.skills:
        found[skill.id] = skill.name
    for group in (inv.systems, inv.channels, inv.touchpoints, inv.data, inv.journeys, inv.teams,
                  inv.metrics, inv.policies, inv.capabilities, audit.vision.segments,
                  audit.vision.needs, audit.respondents):
        for item in group:
            found[item.id] = item.name
    for entity in inv.data:
        for attribute in entity.attributes:
            found.setdefault(attribute.id, attribute.name)
    for journey in inv.journeys:
        for stage in journey.stages:
            found.setdefault(stage.id, stage.name)
    flows = {f.id: (f.source, f.target) for f in inv.flows}
    for flow in inv.flows:
        if flow.name:
            found[flow.id] = flow.name
    return Names(found, flows)
