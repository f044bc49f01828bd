"""Backtracking (DOMAIN.md §5, seed 004): from what a segment needs back to the data flows.

For every need of every segment and every capability the need requires, the walk goes
need → capability → providing system → required data → flow path → master system and marks
each link ok, partial or missing. Providers are compared and the one leaving the fewest open
links is chosen (ties: a system of record or CDP, then the smaller id). The open links are
collected into a deduplicated to-build list.

Cost stays linear in the ecosystem: per required datum, one layered breadth-first search per
latency rank (five at most) from all of its masters at once, plus one per master for partial
coverage; per channel, one reverse search from every system serving it. Results are cached
per datum, per channel and per (capability, latency limit, channel), so fifty segments with
many needs cost little more than one.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.errors import UserError
from auditor.graph.traverse import hubs, in_typed, masters_of, missing_skills
from auditor.problems import did_you_mean
from auditor.schema.audit import LATENCY_RANK, Audit, Need
from auditor.schema.backtrack import (
    BUILD_ORDER,
    BacktrackResult,
    BuildItem,
    BuildKind,
    Candidate,
    Chain,
    ChainChange,
    Link,
    latency_name,
)

if TYPE_CHECKING:
    import networkx as nx

    from auditor.schema.assessment import Assessment

#: Build kinds and the backtracking rule whose metadata gives their default remedy.
KIND_RULES: dict[str, str] = {
    "new-capability": "BKT-MISSING-CAPABILITY",
    "new-master": "BKT-MISSING-DATA",
    "new-flow": "BKT-MISSING-FLOW",
    "extend-flow": "BKT-MISSING-FLOW",
    "faster-flow": "BKT-TOO-SLOW",
    "new-touchpoint": "BKT-MISSING-TOUCHPOINT",
    "new-skill": "BKT-MISSING-SKILL",
}
SOR = "system-of-record"


@dataclass(frozen=True)
class BacktrackSettings:
    """What backtracking reads from blueprints/ (rule thresholds), so consultants can tune it."""

    role_skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    min_skill_level: int = 1
    capability_remedies: Mapping[str, str] = field(default_factory=dict)
    kind_remedies: Mapping[str, str] = field(default_factory=dict)
    #: A master whose roles all fall in this set (a side spreadsheet, say) is not a good feed
    #: source: the to-build list proposes moving the datum into a hub instead.
    unmanaged_roles: frozenset[str] = frozenset({"other"})


def load_settings() -> BacktrackSettings:
    """Settings from the rule catalogue: BKT-* thresholds and SKL-01's role-default skills."""
    from auditor.rules.engine import load_rule_metadata

    metas = {m.id: m for m in load_rule_metadata()}

    def thresholds(rule_id: str) -> dict[str, Any]:
        meta = metas.get(rule_id)
        return dict(meta.thresholds) if meta else {}

    skl = thresholds("SKL-01")
    role_skills = {str(r): tuple(str(s) for s in skills)
                   for r, skills in (skl.get("role_skills") or {}).items()}
    cap_remedies = {str(c): str(r) for c, r in
                    (thresholds("BKT-MISSING-CAPABILITY").get("capability_remedies") or {}).items()}
    kind_remedies: dict[str, str] = {}
    for kind, rid in KIND_RULES.items():
        remedy = metas[rid].remedy if rid in metas else None
        if remedy:
            kind_remedies[kind] = remedy
    unmanaged = thresholds("BKT-MISSING-FLOW").get("unmanaged_roles", ["other"])
    return BacktrackSettings(
        role_skills=role_skills, min_skill_level=int(skl.get("min_level", 1)),
        capability_remedies=cap_remedies, kind_remedies=kind_remedies,
        unmanaged_roles=frozenset(str(r) for r in unmanaged),
    )


# --- public entry points --------------------------------------------------------------------
def backtrack(
    audit: Audit,
    *,
    segment: str | None = None,
    include_planned: bool = False,
    settings: BacktrackSettings | None = None,
) -> BacktrackResult:
    """Trace every need (or only ``segment``'s) back to the systems and flows that serve it.

    With ``include_planned`` (what-if), items marked ``status: planned`` count as built and the
    result lists the chains whose status differs from the current state.
    """
    from auditor.graph.build import build_graph

    check_segment(audit, segment, include_planned)
    settings = settings if settings is not None else load_settings()
    graph = build_graph(audit, include_planned=include_planned)
    result = trace(audit, graph, settings, segment=segment, include_planned=include_planned)
    if not include_planned:
        return result
    current = trace(audit, build_graph(audit), settings, segment=segment)
    return result.model_copy(update={"changes": compare(current.chains, result.chains)})


def check_segment(audit: Audit, segment: str | None, include_planned: bool) -> None:
    """A clear error for ``--segment`` naming no segment, or only a planned one."""
    if segment is None:
        return
    known = {s.id: s for s in audit.vision.segments}
    if segment not in known:
        pool = sorted(known)
        listed = ", ".join(pool[:12]) + (" …" if len(pool) > 12 else "")
        raise UserError(
            f"there is no segment '{segment}' in this audit{did_you_mean(segment, pool)}",
            hint=(f"Segments: {listed}." if pool else
                  "The audit has no segments yet: add them under vision.segments."))
    if known[segment].status == "planned" and not include_planned:
        raise UserError(f"segment '{segment}' is marked planned, so the current state ignores it",
                        hint="Add --what-if to include planned items.")


def compare(before: Iterable[Chain], after: Iterable[Chain]) -> tuple[ChainChange, ...]:
    """Chains whose status differs between two traces (what-if against the current state)."""
    old = {c.key: c.status for c in before}
    changes = [ChainChange(segment=c.segment, need=c.need, capability=c.capability,
                           before=old.get(c.key), after=c.status)
               for c in after if old.get(c.key) != c.status]
    return tuple(sorted(changes, key=lambda ch: (ch.segment, ch.need, ch.capability)))


def trace(
    audit: Audit,
    graph: nx.MultiDiGraph,
    settings: BacktrackSettings,
    *,
    segment: str | None = None,
    include_planned: bool = False,
) -> BacktrackResult:
    """Backtrack over an already built graph (the rule engine passes its own)."""
    wanted = {d for c in audit.inventory.capabilities for d in c.requires}
    tracer = _Tracer(graph, settings, wanted)

    # The graph already holds exactly the live items (planned ones only for what-if), so
    # membership in it decides what counts; the audit supplies what the graph drops, such as
    # a need's reference to a capability that is only planned.
    def live(item_id: str, kind: str) -> bool:
        return graph.nodes.get(item_id, {}).get("kind") == kind

    planned_caps = {c.id for c in audit.inventory.capabilities if c.status == "planned"}
    requires = {c.id: tuple(sorted(set(c.requires))) for c in audit.inventory.capabilities
                if live(c.id, "capability")}
    needs = sorted((n for n in audit.vision.needs
                    if live(n.id, "need") and live(n.segment, "segment")
                    and segment in (None, n.segment)),
                   key=lambda n: (n.segment, n.id))
    chains: list[Chain] = []
    unspecified: list[str] = []
    for need in needs:
        if not need.capabilities:
            unspecified.append(need.id)
            continue
        limit = LATENCY_RANK[need.max_latency] if need.max_latency else None
        for cap in sorted(set(need.capabilities)):
            chains.append(tracer.chain(need, cap, requires.get(cap, ()), limit,
                                       planned=cap in planned_caps))
    builder = _Builder(tracer, settings)
    for chain in chains:
        builder.add(chain)
    return BacktrackResult(chains=tuple(chains), to_build=builder.items(),
                           what_if=include_planned, segment=segment,
                           unspecified_needs=tuple(unspecified))


# --- traversal ------------------------------------------------------------------------------
Hop = tuple[str, str, int, str]  # (source, target, latency rank, flow id)


def _layered_bfs(sources: list[str], step: Callable[[str], Iterable[str]]
                 ) -> tuple[dict[str, str], dict[str, str | None]]:
    """Breadth-first search from all ``sources`` at once, layer by layer.

    Each node gets the origin at the fewest hops (ties: the smaller origin id) and a parent on
    one such shortest path (ties: the smaller parent id), so paths are deterministic."""
    origin: dict[str, str] = {s: s for s in sources}
    parent: dict[str, str | None] = {s: None for s in sources}
    frontier = sorted(origin)
    while frontier:
        found: dict[str, tuple[str, str]] = {}
        for node in frontier:
            for nxt in step(node):
                if nxt in origin:
                    continue
                candidate = (origin[node], node)
                if nxt not in found or candidate < found[nxt]:
                    found[nxt] = candidate
        for node, (src, via) in found.items():
            origin[node], parent[node] = src, via
        frontier = sorted(found)
    return origin, parent


def _walk(parent: Mapping[str, str | None], node: str) -> list[str]:
    path = [node]
    while (up := parent[path[-1]]) is not None:
        path.append(up)
    return path


@dataclass
class _DatumRoutes:
    """How one datum travels: from its masters to every system, at each latency rank."""

    masters: tuple[str, ...]
    hops: dict[tuple[str, str], list[tuple[int, str]]]
    levels: list[tuple[dict[str, str], dict[str, str | None]]]
    reach: dict[str, set[str]]
    adjacency: dict[str, list[tuple[str, int]]]
    _bottleneck: dict[str, dict[str, int]] = field(default_factory=dict)

    def best(self, system: str) -> int | None:
        """The least latency rank at which some master reaches ``system``."""
        return next((rank for rank, (origin, _) in enumerate(self.levels) if system in origin),
                    None)

    def bottleneck(self, master: str) -> dict[str, int]:
        """Best latency rank from ``master`` to every system its copy of the datum reaches."""
        if master not in self._bottleneck:
            best = {master: 0}
            heap = [(0, master)]
            while heap:
                lat, node = heapq.heappop(heap)
                if lat > best[node]:
                    continue
                for v, hop_lat in self.adjacency.get(node, ()):
                    cand = max(lat, hop_lat)
                    if cand < best.get(v, 5):
                        best[v] = cand
                        heapq.heappush(heap, (cand, v))
            self._bottleneck[master] = best
        return self._bottleneck[master]

    def route(self, rank: int, system: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """(master, path master→system, flows used) at latency ``rank``."""
        origin, parent = self.levels[rank]
        path = tuple(reversed(_walk(parent, system)))
        flows = tuple(f for u, v in zip(path, path[1:])
                      for f in sorted({fid for lat, fid in self.hops[u, v] if lat <= rank}))
        return origin[system], path, flows


@dataclass
class _ChannelRoutes:
    """Which systems serve a channel, and how every other system reaches one of them."""

    origin: dict[str, str]
    parent: dict[str, str | None]
    touchpoints: dict[str, tuple[str, ...]]


class _Tracer:
    def __init__(self, g: nx.MultiDiGraph, settings: BacktrackSettings,
                 wanted: Iterable[str] | None = None) -> None:
        self.g = g
        self.settings = settings
        self.hubs = set(hubs(g))
        self.entity: dict[str, str] = {}
        self.attributes: dict[str, list[str]] = defaultdict(list)
        for node, attrs in g.nodes(data=True):
            if attrs.get("kind") == "data":
                ent = attrs.get("entity") or node
                self.entity[node] = ent
                if ent != node:
                    self.attributes[ent].append(node)
        # One pass over the flows: index them by what they carry (only the data the vision
        # asks for, with their entities and attributes, when that is known), and keep the
        # plain adjacency (any datum, any latency) used for the channel step.
        names: set[str] | None = None
        if wanted is not None:
            names = set()
            for datum in wanted:
                ent = self.entity.get(datum, datum)
                names.update((datum, ent, *self.attributes.get(datum, ())))
        self.carrying: dict[str, list[Hop]] = defaultdict(list)
        self.successors: dict[str, set[str]] = defaultdict(set)
        self.predecessors: dict[str, set[str]] = defaultdict(set)
        self.any_hops: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        self.sends_automatically: set[str] = set()
        for u, v, a in g.edges(data=True):
            if a.get("type") != "flows_to":
                continue
            hop = (u, v, int(a["latency"]), str(a["flow"]))
            carried = a.get("data", ())
            for datum in (names.intersection(carried) if names is not None else set(carried)):
                self.carrying[datum].append(hop)
            self.successors[u].add(v)
            self.predecessors[v].add(u)
            self.any_hops[u, v].append((hop[2], hop[3]))
            # Unknown modes (typical of model imports) get the benefit of the doubt: only a
            # system whose every outbound flow is manual counts as hand-fed.
            if a.get("mode") != "manual":
                self.sends_automatically.add(u)
        self._routes: dict[str, _DatumRoutes] = {}
        self._channels: dict[str, _ChannelRoutes] = {}
        self._skills: dict[str, list[str]] = {}
        self._reaching: dict[str, set[str]] = {}
        self._chains: dict[tuple[str, int | None, str | None], tuple[Any, ...]] = {}

    # -- per-datum routes ----------------------------------------------------------------
    def carriers(self, datum: str) -> set[Hop]:
        """Flows that move ``datum``: naming it, its entity, or (for an entity) an attribute."""
        ent = self.entity.get(datum, datum)
        names = [datum, *self.attributes.get(datum, ())] if ent == datum else [datum, ent]
        return {hop for name in names for hop in self.carrying.get(name, ())}

    def routes(self, datum: str) -> _DatumRoutes:
        if datum in self._routes:
            return self._routes[datum]
        g = self.g
        masters = tuple(m for m in masters_of(g, datum) if g.nodes[m].get("kind") == "system")
        hops: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        adjacency: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for u, v, lat, flow in sorted(self.carriers(datum)):
            hops[u, v].append((lat, flow))
            adjacency[u].append((v, lat))
        # One search per latency rank; a rank no hop has adds no edge, so it reuses the
        # search of the rank below instead of repeating it.
        present = {lat for lat, _ in (h for hs in hops.values() for h in hs)}
        levels: list[tuple[dict[str, str], dict[str, str | None]]] = []
        for rank in range(5):
            if rank and rank not in present:
                levels.append(levels[-1])
                continue
            levels.append(_layered_bfs(list(masters), lambda n, r=rank: (
                v for v, lat in adjacency.get(n, ()) if lat <= r)))
        if len(masters) == 1:
            reach = {masters[0]: set(levels[-1][0])}
        else:
            reach = {m: set(_layered_bfs([m], lambda n: (v for v, _ in adjacency.get(n, ())))[0])
                     for m in masters}
        self._routes[datum] = _DatumRoutes(masters, dict(hops), levels, reach, dict(adjacency))
        return self._routes[datum]

    # -- channels, skills, hubs ----------------------------------------------------------
    def channel_routes(self, channel: str) -> _ChannelRoutes:
        if channel not in self._channels:
            g = self.g
            served: dict[str, set[str]] = defaultdict(set)
            for tp in in_typed(g, channel, "uses_channel"):
                for system in in_typed(g, tp, "serves"):
                    served[system].add(tp)
            # Reverse search from the serving systems: who can feed one of them.
            origin, parent = _layered_bfs(
                sorted(served), lambda n: self.predecessors.get(n, ()))
            self._channels[channel] = _ChannelRoutes(
                origin, parent, {s: tuple(sorted(tps)) for s, tps in served.items()})
        return self._channels[channel]

    def lacking(self, system: str) -> list[str]:
        if system not in self._skills:
            self._skills[system] = missing_skills(
                self.g, system, dict(self.settings.role_skills), self.settings.min_skill_level)
        return self._skills[system]

    def reaching(self, system: str) -> set[str]:
        """Systems with some flow path (any data, any speed) into ``system``."""
        if system not in self._reaching:
            self._reaching[system] = set(
                _layered_bfs([system], lambda n: self.predecessors.get(n, ()))[0])
        return self._reaching[system]

    def preferred_hub(self, receiver: str | None, avoid: str | None = None) -> str | None:
        """The hub to master a datum that has no good master: one already feeding the receiver
        first, then a system of record before a CDP, then the smaller id."""
        feeding = self.reaching(receiver) if receiver else set()
        ranked = sorted(
            (h for h in self.hubs if h != avoid),
            key=lambda h: (h not in feeding, SOR not in self.g.nodes[h].get("roles", ()), h))
        return ranked[0] if ranked else None

    def unmanaged(self, system: str) -> bool:
        """A side tool: every role is an unmanaged one and nothing leaves it automatically
        (a spreadsheet fed by hand). A field-service tool with role 'other' that sends its
        data on is an operational system and is fed from, not replaced."""
        roles = set(self.g.nodes[system].get("roles", ()))
        return (bool(roles) and roles <= self.settings.unmanaged_roles
                and system not in self.sends_automatically)

    def extendable(self, master: str, receiver: str, datum: str,
                   limit: int | None) -> tuple[str, str] | None:
        """An existing flow into ``receiver`` from a system that already holds ``datum`` (the
        master or one of its copies), fast enough end to end: adding the datum to that flow is
        cheaper than a new integration. Returns (holder, flow id); prefers the master itself,
        then a hub, then the smaller id."""
        routes = self.routes(datum)
        reached = routes.bottleneck(master)
        ceiling = 4 if limit is None else limit
        for holder in sorted(reached, key=lambda h: (h != master, h not in self.hubs, h)):
            hops = sorted(self.any_hops.get((holder, receiver), ()))
            if hops and max(reached[holder], hops[0][0]) <= ceiling:
                return holder, hops[0][1]
        return None

    # -- links ---------------------------------------------------------------------------
    def data_links(self, provider: str, datum: str, limit: int | None) -> list[Link]:
        g = self.g
        if datum not in g or g.nodes[datum].get("kind") != "data":
            return [Link(kind="data", status="missing", gap="missing-data", system=provider,
                         datum=datum, detail=f"'{datum}' is not in the current inventory")]
        routes = self.routes(datum)
        if not routes.masters:
            return [Link(kind="data", status="missing", gap="missing-data", system=provider,
                         datum=datum, detail=f"no system is the master of '{datum}'")]
        links: list[Link] = []
        primary: str | None = None
        if provider in routes.masters:
            primary = provider
            links.append(Link(kind="data", status="ok", system=provider, datum=datum,
                              source=provider, path=(provider,), latency=0,
                              detail=f"'{provider}' masters '{datum}' itself"))
        elif (rank := routes.best(provider)) is not None:
            primary, path, flows = routes.route(rank, provider)
            if limit is not None and rank > limit:
                links.append(Link(
                    kind="flow", status="partial", gap="too-slow", system=provider, datum=datum,
                    source=primary, path=path, flows=flows, latency=rank,
                    detail=(f"'{datum}' reaches '{provider}' {latency_name(rank)} at best; "
                            f"the need allows {latency_name(limit)}")))
            else:
                links.append(Link(kind="flow", status="ok", system=provider, datum=datum,
                                  source=primary, path=path, flows=flows, latency=rank,
                                  detail=f"'{datum}' arrives {latency_name(rank)}"))
        # Every other master whose copy never reaches the provider leaves a hole: partial when
        # the datum arrives from somewhere, missing when it arrives from nowhere.
        for master in routes.masters:
            if master == primary or provider in routes.reach[master]:
                continue
            links.append(Link(
                kind="flow", status="partial" if primary else "missing", gap="missing-flow",
                system=provider, datum=datum, source=master,
                detail=f"no flow takes '{datum}' from '{master}' to '{provider}'"))
        return links

    def touchpoint_link(self, provider: str, channel: str) -> Link:
        if channel not in self.g:
            return Link(kind="touchpoint", status="missing", gap="missing-touchpoint",
                        system=provider, channel=channel,
                        detail=f"channel '{channel}' is not in the current inventory")
        routes = self.channel_routes(channel)
        if provider not in routes.origin:
            return Link(kind="touchpoint", status="missing", gap="missing-touchpoint",
                        system=provider, channel=channel,
                        detail=(f"neither '{provider}' nor any system it feeds runs a "
                                f"touchpoint on '{channel}'"))
        server = routes.origin[provider]
        path = tuple(_walk(routes.parent, provider))
        touchpoint = routes.touchpoints[server][0]
        where = "itself" if server == provider else f"through '{server}'"
        return Link(kind="touchpoint", status="ok", system=server, channel=channel,
                    touchpoint=touchpoint, path=path,
                    detail=f"'{provider}' reaches '{channel}' {where} ('{touchpoint}')")

    def provider_links(self, provider: str, data: tuple[str, ...], limit: int | None,
                       channel: str | None) -> list[Link]:
        links: list[Link] = []
        for datum in data:
            links.extend(self.data_links(provider, datum, limit))
        if channel:
            links.append(self.touchpoint_link(provider, channel))
        if lacking := self.lacking(provider):
            links.append(Link(kind="skill", status="missing", gap="missing-skill",
                              system=provider, skills=tuple(lacking),
                              detail=(f"the owners of '{provider}' lack "
                                      + ", ".join(f"'{s}'" for s in lacking))))
        return links

    # -- chains --------------------------------------------------------------------------
    def chain(self, need: Need, capability: str, data: tuple[str, ...], limit: int | None,
              *, planned: bool) -> Chain:
        key = (capability, limit, need.channel)
        if key not in self._chains:
            self._chains[key] = self._solve(capability, data, limit, need.channel, planned)
        provider, candidates, links = self._chains[key]
        return Chain(segment=need.segment, need=need.id, capability=capability,
                     provider=provider, candidates=candidates, max_latency=limit,
                     channel=need.channel, links=links)

    def _solve(self, capability: str, data: tuple[str, ...], limit: int | None,
               channel: str | None, planned: bool) -> tuple[Any, ...]:
        g = self.g
        providers = ([s for s in in_typed(g, capability, "provides")
                      if g.nodes[s].get("kind") == "system"] if capability in g else [])
        if not providers:
            why = (f"'{capability}' is only planned" if planned else
                   f"no system provides '{capability}'")
            return None, (), (Link(kind="capability", status="missing",
                                   gap="missing-capability", detail=why),)
        scored = []
        for provider in providers:
            links = self.provider_links(provider, data, limit, channel)
            gaps = sum(1 for link in links if not link.ok)
            hub = provider in self.hubs
            scored.append(((gaps, not hub, provider), Candidate(system=provider, gaps=gaps,
                                                                hub=hub), links))
        scored.sort(key=lambda item: item[0])
        _, best, links = scored[0]
        head = Link(kind="capability", status="ok", system=best.system,
                    detail=f"'{best.system}' provides '{capability}'")
        return best.system, tuple(c for _, c, _ in scored), (head, *links)


# --- the to-build list -----------------------------------------------------------------------
@dataclass
class _Pending:
    kind: BuildKind
    target: str
    source: str | None = None
    system: str | None = None
    data: set[str] = field(default_factory=set)
    latencies: list[int | None] = field(default_factory=list)
    capabilities: set[str] = field(default_factory=set)
    channel: str | None = None
    skills: set[str] = field(default_factory=set)
    flows: set[str] = field(default_factory=set)
    unblocks: set[str] = field(default_factory=set)
    after: set[str] = field(default_factory=set)
    summary: Callable[[_Pending], str] | None = None


class _Builder:
    """Turns the open links of every chain into build items, merged on (kind, target)."""

    def __init__(self, tracer: _Tracer, settings: BacktrackSettings) -> None:
        self.tracer = tracer
        self.settings = settings
        self.pending: dict[tuple[BuildKind, str], _Pending] = {}

    def _item(self, kind: BuildKind, target: str, **fixed: Any) -> _Pending:
        item = self.pending.get((kind, target))
        if item is None:
            item = self.pending[kind, target] = _Pending(kind, target, **fixed)
        return item

    def _flow(self, source: str, receiver: str, datum: str, chain: Chain,
              after: str | None = None) -> None:
        item = self._item("new-flow", f"{source}->{receiver}", source=source, system=receiver)
        item.data.add(datum)
        item.latencies.append(chain.max_latency)
        item.capabilities.add(chain.capability)
        item.unblocks.add(chain.need)
        if after:
            item.after.add(after)

    def _master(self, datum: str, hub: str | None, chain: Chain, *, instead_of: str | None) -> None:
        item = self._item("new-master", datum, source=instead_of, system=hub)
        item.data.add(datum)
        item.capabilities.add(chain.capability)
        item.unblocks.add(chain.need)

    def add(self, chain: Chain) -> None:
        tracer = self.tracer
        for link in chain.links:
            if link.gap == "missing-capability":
                item = self._item("new-capability", chain.capability)
                item.capabilities.add(chain.capability)
                item.unblocks.add(chain.need)
            elif link.gap == "missing-data" and link.datum:
                hub = tracer.preferred_hub(link.system)
                self._master(link.datum, hub, chain, instead_of=None)
                if hub and link.system and hub != link.system:
                    self._flow(hub, link.system, link.datum, chain,
                               after=f"new-master:{link.datum}")
            elif link.gap == "missing-flow" and link.source and link.system and link.datum:
                # A datum kept only in a side tool is better moved into a hub than fed from it.
                hub = (tracer.preferred_hub(link.system, avoid=link.source)
                       if tracer.unmanaged(link.source) else None)
                if hub:
                    self._master(link.datum, hub, chain, instead_of=link.source)
                    if hub != link.system:
                        self._flow(hub, link.system, link.datum, chain,
                                   after=f"new-master:{link.datum}")
                elif extend := tracer.extendable(link.source, link.system, link.datum,
                                                 chain.max_latency):
                    holder, flow = extend
                    item = self._item("extend-flow", flow, source=holder, system=link.system)
                    item.flows.add(flow)
                    item.data.add(link.datum)
                    item.latencies.append(chain.max_latency)
                    item.capabilities.add(chain.capability)
                    item.unblocks.add(chain.need)
                else:
                    self._flow(link.source, link.system, link.datum, chain)
            elif link.gap == "too-slow" and link.datum and chain.max_latency is not None:
                self._speed_up(link, chain)
            elif link.gap == "missing-touchpoint" and link.system and link.channel:
                item = self._item("new-touchpoint", f"{link.channel}@{link.system}",
                                  system=link.system, channel=link.channel)
                item.capabilities.add(chain.capability)
                item.unblocks.add(chain.need)
            elif link.gap == "missing-skill" and link.system:
                item = self._item("new-skill", link.system, system=link.system)
                item.skills.update(link.skills)
                item.capabilities.add(chain.capability)
                item.unblocks.add(chain.need)

    def _speed_up(self, link: Link, chain: Chain) -> None:
        """The hops of the best path that are slower than the need allows."""
        if chain.max_latency is None or link.datum is None:
            return
        routes = self.tracer.routes(link.datum)
        for u, v in zip(link.path, link.path[1:]):
            fastest = min(routes.hops[u, v])
            if fastest[0] <= chain.max_latency:
                continue
            item = self._item("faster-flow", fastest[1], source=u, system=v)
            item.flows.add(fastest[1])
            item.data.add(link.datum)
            item.latencies.append(chain.max_latency)
            item.capabilities.add(chain.capability)
            item.unblocks.add(chain.need)

    def _remedy(self, item: _Pending) -> str | None:
        if item.kind in ("new-capability", "new-flow", "extend-flow", "new-touchpoint"):
            mapped = sorted(self.settings.capability_remedies[c] for c in item.capabilities
                            if c in self.settings.capability_remedies)
            if mapped:
                return mapped[0]
        return self.settings.kind_remedies.get(item.kind)

    def items(self) -> tuple[BuildItem, ...]:
        built = []
        for (kind, target), p in self.pending.items():
            limits = [lat for lat in p.latencies if lat is not None]
            built.append(BuildItem(
                kind=kind, target=target, source=p.source, system=p.system,
                data=tuple(sorted(p.data)), latency=min(limits) if limits else None,
                capabilities=tuple(sorted(p.capabilities)), channel=p.channel,
                skills=tuple(sorted(p.skills)), flows=tuple(sorted(p.flows)),
                unblocks=tuple(sorted(p.unblocks)), remedy=self._remedy(p),
                after=tuple(sorted(p.after)), summary=describe(kind, target, p, limits)))
        return tuple(sorted(built, key=lambda b: (BUILD_ORDER.index(b.kind), b.target)))


def _quoted(ids: Iterable[str]) -> str:
    return ", ".join(f"'{i}'" for i in sorted(ids))


def describe(kind: str, target: str, p: _Pending, limits: list[int]) -> str:
    """One line a consultant can read out: what to build, between what, how fast."""
    speed = latency_name(min(limits)) if limits else "any speed"
    if kind == "new-capability":
        return f"a system that provides '{target}'"
    if kind == "new-master":
        if p.source and p.system:
            return f"master {_quoted(p.data)} in '{p.system}' instead of '{p.source}'"
        if p.system:
            return f"master {_quoted(p.data)} in '{p.system}' (nothing masters it today)"
        return f"decide which system masters {_quoted(p.data)}"
    if kind == "new-flow":
        return f"{p.source} → {p.system}: {_quoted(p.data)}, {speed}"
    if kind == "extend-flow":
        return f"add {_quoted(p.data)} to '{target}' ({p.source} → {p.system})"
    if kind == "faster-flow":
        return f"speed up '{target}' ({p.source} → {p.system}) to {speed}"
    if kind == "new-touchpoint":
        return f"a touchpoint on '{p.channel}' run by '{p.system}' or a system it feeds"
    return f"{_quoted(p.skills)} for the owners of '{p.system}'"


def with_backtracking(assessment: Assessment, audit: Audit, *,
                      include_planned: bool = False) -> Assessment:
    """``assessment`` with its ``backtracking`` field filled, for the report and the JSON."""
    result = backtrack(audit, include_planned=include_planned)
    return assessment.model_copy(update={"backtracking": result})
