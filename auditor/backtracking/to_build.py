"""The to-build list: every open link of every chain, merged on (kind, target)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from auditor.backtracking.tracer import ChainTracer
from auditor.catalogue.settings import BacktrackSettings
from auditor.schema.backtrack import BUILD_ORDER, BuildItem, BuildKind, Chain, Link, latency_name


@dataclass
class PendingItem:
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
    summary: Callable[[PendingItem], str] | None = None


class ToBuildList:
    """Turns the open links of every chain into build items, merged on (kind, target)."""

    def __init__(self, tracer: ChainTracer, settings: BacktrackSettings) -> None:
        self.tracer = tracer
        self.settings = settings
        self.pending: dict[tuple[BuildKind, str], PendingItem] = {}

    def _item(self, kind: BuildKind, target: str, **fixed: Any) -> PendingItem:
        item = self.pending.get((kind, target))
        if item is None:
            item = self.pending[kind, target] = PendingItem(kind, target, **fixed)
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

    def _remedy(self, item: PendingItem) -> str | None:
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


def describe(kind: str, target: str, p: PendingItem, limits: list[int]) -> str:
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
