"""The walk of one chain: need -> capability -> provider -> data -> flow path -> master.

Results are cached per datum, per channel and per (capability, latency limit, channel), so
fifty segments with many needs cost little more than one. Every question about the graph is
asked of the analysis' ``GraphIndex``: a hub receives thousands of flows, and networkx would
walk all of them to find its owners or the systems serving a channel.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from auditor.backtracking.routes import (
    ChannelRoutes,
    DatumRoutes,
    Hop,
    layered_bfs,
    walk_back,
)
from auditor.catalogue.settings import SOR, BacktrackSettings
from auditor.graph.traverse import HUB_ROLES, missing_skills
from auditor.schema.audit import Need
from auditor.schema.backtrack import Candidate, Chain, Link, latency_name

if TYPE_CHECKING:
    from auditor.graph.index import GraphIndex


class ChainTracer:
    def __init__(self, index: GraphIndex, settings: BacktrackSettings,
                 wanted: Iterable[str] | None = None) -> None:
        self.index = index
        self.g = g = index.graph
        self.settings = settings
        self.hubs = set(index.with_role(*HUB_ROLES))
        self.entity: dict[str, str] = {}
        self.attributes: dict[str, list[str]] = defaultdict(list)
        nodes = g.nodes
        for node in index.nodes_of("data"):
            ent = nodes[node].get("entity") or node
            self.entity[node] = ent
            if ent != node:
                self.attributes[ent].append(node)
        # One pass over the flows: index them by what they carry (only the data the vision
        # asks for, with their entities and attributes, when that is known).
        names: set[str] | None = None
        if wanted is not None:
            names = set()
            for datum in wanted:
                ent = self.entity.get(datum, datum)
                names.update((datum, ent, *self.attributes.get(datum, ())))
        self.carrying: dict[str, list[Hop]] = defaultdict(list)
        self.any_hops: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        self.sends_automatically: set[str] = set()
        for f in index.flows:
            hop = (f.source, f.target, f.latency, f.flow)
            # A hop listed twice for a datum named twice in one flow is harmless: ``carriers``
            # makes a set of them.
            for datum in f.data:
                if names is None or datum in names:
                    self.carrying[datum].append(hop)
            self.any_hops[f.source, f.target].append((f.latency, f.flow))
            # Unknown modes (typical of model imports) get the benefit of the doubt: only a
            # system whose every outbound flow is manual counts as hand-fed.
            if f.mode != "manual":
                self.sends_automatically.add(f.source)
        self._routes: dict[str, DatumRoutes] = {}
        self._channels: dict[str, ChannelRoutes] = {}
        self._skills: dict[str, list[str]] = {}
        self._reaching: dict[str, set[str]] = {}
        self._chains: dict[tuple[str, int | None, str | None], tuple[Any, ...]] = {}

    def feeders(self, system: str) -> Iterable[str]:
        """Systems with a flow (any data, any speed) into ``system``: the reverse step of the
        channel and hub searches (a search's result does not depend on their order)."""
        return self.index.sources(system, "flows_to")

    # -- per-datum routes ----------------------------------------------------------------
    def carriers(self, datum: str) -> set[Hop]:
        """Flows that move ``datum``: naming it, its entity, or (for an entity) an attribute."""
        ent = self.entity.get(datum, datum)
        names = [datum, *self.attributes.get(datum, ())] if ent == datum else [datum, ent]
        return {hop for name in names for hop in self.carrying.get(name, ())}

    def routes(self, datum: str) -> DatumRoutes:
        if datum in self._routes:
            return self._routes[datum]
        kinds = self.index.kinds
        masters = tuple(m for m in self.index.masters_of(datum) if kinds[m] == "system")
        hops: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        adjacency: dict[str, list[tuple[str, int]]] = defaultdict(list)
        starts: dict[int, set[str]] = defaultdict(set)  # latency rank -> where its hops start
        for u, v, lat, flow in sorted(self.carriers(datum)):
            hops[u, v].append((lat, flow))
            adjacency[u].append((v, lat))
            starts[lat].add(u)
        # One search per latency rank. A rank whose hops all start where the faster flows
        # never take the datum can use none of them: its search would find exactly what the
        # rank below found (same systems, paths and ties), so it reuses that one.
        levels: list[tuple[dict[str, str], dict[str, str | None]]] = []
        for rank in range(5):
            if rank and levels[-1][0].keys().isdisjoint(starts.get(rank, ())):
                levels.append(levels[-1])
                continue
            levels.append(layered_bfs(list(masters), _within(adjacency, rank)))
        if len(masters) == 1:
            reach = {masters[0]: set(levels[-1][0])}
        else:
            reach = {m: set(layered_bfs([m], lambda n: (v for v, _ in adjacency.get(n, ())))[0])
                     for m in masters}
        self._routes[datum] = DatumRoutes(masters, dict(hops), levels, reach, dict(adjacency))
        return self._routes[datum]

    # -- channels, skills, hubs ----------------------------------------------------------
    def channel_routes(self, channel: str) -> ChannelRoutes:
        if channel not in self._channels:
            index = self.index
            served: dict[str, set[str]] = defaultdict(set)
            for tp in index.in_typed(channel, "uses_channel"):
                for system in index.in_typed(tp, "serves"):
                    served[system].add(tp)
            # Reverse search from the serving systems: who can feed one of them.
            origin, parent = layered_bfs(sorted(served), self.feeders)
            self._channels[channel] = ChannelRoutes(
                origin, parent, {s: tuple(sorted(tps)) for s, tps in served.items()})
        return self._channels[channel]

    def lacking(self, system: str) -> list[str]:
        if system not in self._skills:
            self._skills[system] = missing_skills(
                self.g, system, dict(self.settings.role_skills), self.settings.min_skill_level,
                index=self.index)
        return self._skills[system]

    def reaching(self, system: str) -> set[str]:
        """Systems with some flow path (any data, any speed) into ``system``."""
        if system not in self._reaching:
            self._reaching[system] = set(layered_bfs([system], self.feeders)[0])
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
        # Only holders with a flow into the receiver can offer one (a copy of a datum can
        # reach thousands of systems, a receiver is fed by a few).
        holders = reached.keys() & self.index.sources(receiver, "flows_to")
        for holder in sorted(holders, key=lambda h: (h != master, h not in self.hubs, h)):
            hops = sorted(self.any_hops[holder, receiver])
            if max(reached[holder], hops[0][0]) <= ceiling:
                return holder, hops[0][1]
        return None

    # -- links ---------------------------------------------------------------------------
    def data_links(self, provider: str, datum: str, limit: int | None) -> list[Link]:
        if self.index.kinds.get(datum) != "data":
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
        if channel not in self.index.kinds:
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
        path = tuple(walk_back(routes.parent, provider))
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
        index = self.index
        providers = ([s for s in index.in_typed(capability, "provides")
                      if index.kinds[s] == "system"] if capability in index.kinds else [])
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


def _within(adjacency: dict[str, list[tuple[str, int]]], rank: int
            ) -> Callable[[str], Iterable[str]]:
    """The BFS step over flows no slower than ``rank`` (one closure per latency layer)."""
    def step(node: str) -> Iterable[str]:
        return (v for v, lat in adjacency.get(node, ()) if lat <= rank)
    return step
