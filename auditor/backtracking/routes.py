"""How data travels between systems, for backtracking: layered searches from many sources.

Every search starts from all sources at once and breaks ties by id, so paths are both linear
to compute and deterministic.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

Hop = tuple[str, str, int, str]  # (source, target, latency rank, flow id)


def layered_bfs(sources: list[str], step: Callable[[str], Iterable[str]]
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


def walk_back(parent: Mapping[str, str | None], node: str) -> list[str]:
    path = [node]
    while (up := parent[path[-1]]) is not None:
        path.append(up)
    return path


@dataclass
class DatumRoutes:
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
        path = tuple(reversed(walk_back(parent, system)))
        flows = tuple(f for u, v in zip(path, path[1:])
                      for f in sorted({fid for lat, fid in self.hops[u, v] if lat <= rank}))
        return origin[system], path, flows


@dataclass
class ChannelRoutes:
    """Which systems serve a channel, and how every other system reaches one of them."""

    origin: dict[str, str]
    parent: dict[str, str | None]
    touchpoints: dict[str, tuple[str, ...]]
