"""The target ecosystem: the current one plus the systems and flows the roadmap adds.

Additions come from two places, in roadmap order:
- the backtracking to-build list: each new flow, and a system to choose for each missing
  capability, when the item's remedy is on the roadmap;
- each roadmap item's ``builds`` in ``blueprints/remedies.yaml``: a system of a role nobody
  has yet (an identity-resolution platform, an orchestration layer…) and the feeds between
  systems picked by role, by the data they master or by the touchpoints they serve.

A flow is added only where no current or earlier planned flow already carries data of those
classes between the same two systems. Systems marked ``migrate`` or ``eliminate`` are never
picked: the target does not build on them. ``target_audit`` applies the additions to a copy
of the audit as ``status: planned`` items, so the diagram draws them the way it draws a
client's own plans.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from auditor.graph.traverse import HUB_ROLES
from auditor.schema.audit import Audit, Flow, System
from auditor.schema.backtrack import BuildItem
from auditor.schema.catalogue import PlannedFeed, Remedy
from auditor.schema.ids import slugify, unique_id
from auditor.schema.roadmap import PlannedItem, RoadmapItem

if TYPE_CHECKING:
    import networkx as nx

    from auditor.graph.index import GraphIndex

RETIRING = ("migrate", "eliminate")


class _Target:
    def __init__(self, g: nx.MultiDiGraph, index: GraphIndex) -> None:
        self.g = g
        self.e = index
        self.roles: dict[str, set[str]] = {
            s: set(g.nodes[s].get("roles", ())) for s in index.nodes_of("system")
            if g.nodes[s].get("lifecycle") not in RETIRING}
        self.taken = set(g.nodes)
        # (source, target) -> data ids already carried; system -> data it holds (masters or
        # receives), both grown as planned flows are added.
        self.carried: dict[tuple[str, str], set[str]] = {}
        self._own: dict[str, set[str]] = {}
        self.held: dict[str, set[str]] = {s: set(self.own_data(s)) for s in self.roles}
        for f in index.flows:
            self.carried.setdefault((f.source, f.target), set()).update(f.data)
            self.held.setdefault(f.target, set()).update(f.data)
            self.taken.add(f.flow)
        self.added: list[PlannedItem] = []
        self.planned_capabilities: set[str] = set()

    def client_plans(self, audit: Audit) -> None:
        """The audit's own planned systems and flows count as there: the roadmap does not
        add them a second time."""
        for system in audit.inventory.systems:
            self.taken.add(system.id)
            if system.status == "planned" and system.lifecycle not in RETIRING:
                self.roles[system.id] = set(system.roles)
                self.held[system.id] = set(system.masters)
                self.planned_capabilities.update(system.capabilities)
        for flow in audit.inventory.flows:
            self.taken.add(flow.id)
            if flow.status == "planned":
                self.carried.setdefault((flow.source, flow.target), set()).update(flow.data)
                self.held.setdefault(flow.target, set()).update(flow.data)

    def new_id(self, base: str) -> str:
        found = unique_id(slugify(base) or "planned", self.taken)
        self.taken.add(found)
        return found

    def add_system(self, name: str, remedy: str, roles: tuple[str, ...] = (),
                   capabilities: tuple[str, ...] = ()) -> str:
        sid = self.new_id(name.split("(")[0])
        self.roles[sid] = set(roles)
        self.added.append(PlannedItem(kind="system", id=sid, name=name, remedy=remedy,
                                      roles=roles, capabilities=capabilities))
        return sid

    def add_flow(self, source: str, target: str, data: Sequence[str], remedy: str) -> None:
        """A planned flow of the data not yet carried from ``source`` to ``target``; without
        data (decisions, audiences), one flow between two systems not yet linked."""
        if source == target:
            return
        carried = self.carried.get((source, target))
        missing = sorted(set(data) - (carried or set()))
        if (data and not missing) or (not data and carried is not None):
            return
        self.carried.setdefault((source, target), set()).update(missing)
        self.held.setdefault(target, set()).update(missing)
        fid = self.new_id(f"{source}-to-{target}")
        self.added.append(PlannedItem(kind="flow", id=fid, name="", remedy=remedy,
                                      source=source, target=target, data=tuple(missing)))

    def select(self, selector: str) -> list[str]:
        kind, _, value = selector.partition(":")
        if kind == "role":
            return sorted(s for s, roles in self.roles.items() if value in roles)
        if kind == "hubs":
            cdp = sorted(s for s, roles in self.roles.items() if "cdp" in roles)
            return cdp or sorted(s for s, roles in self.roles.items()
                                 if roles & HUB_ROLES)
        if kind == "masters":
            return sorted({m for d in self.e.nodes_of("data")
                           if self.g.nodes[d].get("data_class") == value
                           for m in self.e.in_typed(d, "masters") if m in self.roles})
        if kind == "serving":
            return sorted({s for t in self.e.nodes_of("touchpoint")
                           if self.g.nodes[t].get("style") == value
                           for s in self.e.in_typed(t, "serves") if s in self.roles})
        return []

    def data_of(self, system: str, classes: set[str], copies: bool) -> list[str]:
        """The data of ``classes`` a system masters, or also holds as copies when it is a hub
        passing on the profile (systems do not forward other systems' records)."""
        pool = self.held.get(system, set()) if copies else self.own_data(system)
        return sorted(d for d in pool
                      if d in self.g and self.g.nodes[d].get("data_class") in classes)

    def own_data(self, system: str) -> set[str]:
        """The data a current system links to itself (what it masters), once per system: a
        hub has thousands of edges to walk and every feed from it asks."""
        if system not in self._own:
            # Read from the index: the only edges from a system to data are "masters" ones.
            kinds = self.e.kinds
            self._own[system] = ({d for d in self.e.out_typed(system, "masters")
                                  if kinds[d] == "data"} if system in kinds else set())
        return self._own[system]

    def main(self, systems: list[str]) -> list[str]:
        """The one system a side narrows to: invest first, then most connected, then id."""
        def rank(s: str) -> tuple[int, int, str]:
            invest = self.g.nodes[s].get("lifecycle") == "invest" if s in self.g else False
            degree = self.g.degree(s) if s in self.g else 0
            return (0 if invest else 1, -degree, s)
        return sorted(systems, key=rank)[:1]

    def feed(self, spec: PlannedFeed, remedy: str) -> None:
        # One side keeps all its systems, the other narrows to its main one, so the number of
        # flows grows with the ecosystem, not with its square.
        classes = set(spec.classes)
        sources, targets = self.select(spec.from_), self.select(spec.to)
        if spec.each == "from":
            targets = self.main(targets)
        else:
            sources = self.main(sources)
        for source in sources:
            data = self.data_of(source, classes, copies=spec.from_ == "hubs")
            if classes and not data:
                continue  # nothing of those classes to send
            for target in targets:
                self.add_flow(source, target, data, remedy)


def plan_additions(g: nx.MultiDiGraph, audit: Audit, items: Sequence[RoadmapItem],
                   remedies: dict[str, Remedy], build: Sequence[BuildItem],
                   index: GraphIndex | None = None) -> tuple[PlannedItem, ...]:
    """The systems and flows the roadmap adds, in roadmap order (``index``: the analysis'
    index of ``g``, made here when not given)."""
    from auditor.graph.index import GraphIndex

    target = _Target(g, index if index is not None else GraphIndex(g))
    target.client_plans(audit)
    for item in items:
        for b in build:
            if b.remedy != item.remedy:
                continue
            if b.kind == "new-capability" and b.target not in target.planned_capabilities:
                name = str(g.nodes[b.target].get("name") if b.target in g else b.target)
                target.add_system(f"{name} (to choose)", item.remedy, capabilities=(b.target,))
            elif b.kind == "new-flow" and b.source and b.system and b.source in target.roles \
                    and b.system in target.roles:
                target.add_flow(b.source, b.system, b.data, item.remedy)
        builds = remedies[item.remedy].builds if item.remedy in remedies else None
        if builds is None:
            continue
        if builds.system and not target.select(f"role:{builds.system.role}"):
            target.add_system(builds.system.name, item.remedy, roles=(builds.system.role,))
        for spec in builds.feeds:
            target.feed(spec, item.remedy)
    return tuple(target.added)


def target_audit(audit: Audit, additions: Sequence[PlannedItem]) -> Audit:
    """A copy of ``audit`` with the roadmap's additions as planned systems and flows."""
    systems = list(audit.inventory.systems)
    flows = list(audit.inventory.flows)
    for add in additions:
        if add.kind == "system":
            systems.append(System(id=add.id, name=add.name, status="planned",
                                  roles=list(add.roles),
                                  capabilities=list(add.capabilities),
                                  description=f"Added by the roadmap ({add.remedy})."))
        elif add.source and add.target:
            flows.append(Flow(id=add.id, source=add.source, target=add.target,
                              data=list(add.data), status="planned", mode="unknown",
                              description=f"Added by the roadmap ({add.remedy})."))
    inventory = audit.inventory.model_copy(update={"systems": systems, "flows": flows})
    return audit.model_copy(update={"inventory": inventory})
