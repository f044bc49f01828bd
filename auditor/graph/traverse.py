"""Typed queries over the ecosystem graph, shared by gap rules and backtracking.

Everything here is linear in the size of the graph: projections are built in one pass over the
edges and reachability from many sources is one multi-source traversal, never one per pair.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from auditor.graph.keys import skill_id

if TYPE_CHECKING:
    import networkx as nx

    from auditor.graph.index import GraphIndex

PERSON_CLASSES = frozenset({"identity", "contact-point", "profile", "consent"})
ENGAGEMENT_CLASSES = frozenset({"interaction", "transaction", "case"})
CORE_ROLES = frozenset({"system-of-record", "cdp", "system-of-engagement", "orchestration"})
HUB_ROLES = frozenset({"system-of-record", "cdp"})

DataPredicate = Callable[[str], bool]
#: An edge with its attributes, as ``g.edges(data=True)`` gives it.
Edge = tuple[str, str, dict[str, Any]]


def nodes_of(g: nx.MultiDiGraph, kind: str) -> list[str]:
    """Ids of the nodes of one kind, sorted (rules iterate in sorted order: deterministic)."""
    return sorted(n for n, k in g.nodes(data="kind") if k == kind)


def systems_with_role(g: nx.MultiDiGraph, *roles: str) -> list[str]:
    wanted = set(roles)
    return sorted(n for n, a in g.nodes(data=True)
                  if a.get("kind") == "system" and wanted.intersection(a.get("roles", ())))


def hubs(g: nx.MultiDiGraph) -> list[str]:
    """Systems of record and CDPs."""
    return systems_with_role(g, *HUB_ROLES)


def out_typed(g: nx.MultiDiGraph, node: str, etype: str) -> list[str]:
    return sorted({v for _, v, t in g.out_edges(node, data="type") if t == etype})


def in_typed(g: nx.MultiDiGraph, node: str, etype: str) -> list[str]:
    return sorted({u for u, _, t in g.in_edges(node, data="type") if t == etype})


def masters_of(g: nx.MultiDiGraph, datum: str) -> list[str]:
    """Systems that master ``datum``; mastering an entity counts for its attributes too."""
    found = set(in_typed(g, datum, "masters"))
    entity = g.nodes[datum].get("entity") if datum in g else None
    if entity and entity != datum and entity in g:
        found.update(in_typed(g, entity, "masters"))
    return sorted(found)


def data_class(g: nx.MultiDiGraph, datum: str) -> str | None:
    return g.nodes[datum].get("data_class") if datum in g else None


def class_predicate(g: nx.MultiDiGraph, classes: Iterable[str]) -> DataPredicate:
    wanted = frozenset(classes)
    return lambda d: data_class(g, d) in wanted


def flow_projection(
    g: nx.MultiDiGraph,
    carries: DataPredicate | None = None,
    max_latency: int = 4,
    flows: Iterable[Edge] | None = None,
) -> nx.DiGraph:
    """F[p, l]: systems, with an edge where some flow carries data matching ``carries`` at a
    latency rank <= ``max_latency``. Edge attributes: ``latency`` (best) and ``flows`` (ids).
    ``flows``: the ``flows_to`` edges of ``g`` in ``g.edges`` order, when the caller has them
    listed already (``GraphIndex.edges``); otherwise every edge of ``g`` is scanned."""
    import networkx as nx

    h: nx.DiGraph = nx.DiGraph()
    h.add_nodes_from(n for n, k in g.nodes(data="kind") if k == "system")
    # Gathered in plain dicts first and added at once (pairs in first-seen order, as adding
    # them one by one did): on a large estate most pairs of systems carry several flows.
    # ``carries`` depends on the datum alone, so it is asked once per datum, not per flow.
    pairs: dict[tuple[str, str], tuple[int, set[str]]] = {}
    known: dict[str, bool] = {}
    for u, v, a in (g.edges(data=True) if flows is None else flows):
        if a.get("type") != "flows_to" or a["latency"] > max_latency:
            continue
        if carries is not None:
            for d in a.get("data", ()):
                ok = known.get(d)
                if ok is None:
                    ok = known[d] = bool(carries(d))
                if ok:
                    break
            else:
                continue
        found = pairs.get((u, v))
        if found is None:
            pairs[(u, v)] = (a["latency"], {a["flow"]})
        else:
            found[1].add(a["flow"])
            if a["latency"] < found[0]:
                pairs[(u, v)] = (a["latency"], found[1])
    h.add_edges_from((u, v, {"latency": latency, "flows": tuple(sorted(ids))})
                     for (u, v), (latency, ids) in pairs.items())
    return h


def undirected_flows(g: nx.MultiDiGraph, flows: Iterable[Edge] | None = None) -> nx.Graph:
    """U: systems and the flows between them, direction and multiplicity ignored; a flow that
    passes through an integration system (``via``) links each end to that system.
    ``flows`` as for ``flow_projection``."""
    import networkx as nx

    u: nx.Graph = nx.Graph()
    u.add_nodes_from(n for n, k in g.nodes(data="kind") if k == "system")
    for a, b, attrs in (g.edges(data=True) if flows is None else flows):
        if attrs.get("type") != "flows_to":
            continue
        via = attrs.get("via")
        if via and via in u:
            # A flow routed through an integration platform connects both ends to it.
            u.add_edge(a, via)
            u.add_edge(via, b)
        else:
            u.add_edge(a, b)
    return u


def reachable_from(h: nx.DiGraph | nx.Graph, sources: Iterable[str]) -> set[str]:
    """Every node reachable from any of ``sources`` (sources included): one BFS for all."""
    seen = {s for s in sources if s in h}
    queue = deque(seen)
    succ = h.successors if h.is_directed() else h.neighbors
    while queue:
        for nxt in succ(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def reaching(h: nx.DiGraph, targets: Iterable[str]) -> set[str]:
    """Every node from which some of ``targets`` can be reached (targets included)."""
    seen = {t for t in targets if t in h}
    queue = deque(seen)
    while queue:
        for prev in h.predecessors(queue.popleft()):
            if prev not in seen:
                seen.add(prev)
                queue.append(prev)
    return seen


def reach(h: nx.DiGraph | nx.Graph, a: str, b: str) -> bool:
    """reach(H, a, b) of DOMAIN.md §0."""
    import networkx as nx

    return a == b or (a in h and b in h and nx.has_path(h, a, b))


def missing_skills(
    g: nx.MultiDiGraph,
    system: str,
    role_skills: dict[str, list[str]] | dict[str, tuple[str, ...]],
    min_level: int = 1,
    *,
    index: GraphIndex | None = None,
) -> list[str]:
    """Skills ``system`` needs (defaults of its roles plus its own ``requires`` skills) that
    none of its owning teams holds at ``min_level`` or above with at least one person.

    The same condition as SKL-01, shared so backtracking's missing-skill link agrees with it.
    A system nobody owns lacks nothing here: with no owner there is no one to lack the skill
    (GOV-04 reports the missing owner instead). ``index``, the graph's index when the caller
    has one, answers the owners and required skills of a hub without walking its thousands
    of flows (same answers).
    """
    if index is not None:
        owned_by, requires = index.in_typed(system, "owns"), index.out_typed(system, "requires")
    else:
        owned_by, requires = in_typed(g, system, "owns"), out_typed(g, system, "requires")
    owners = [t for t in owned_by if g.nodes[t].get("kind") == "team"]
    if not owners:
        return []
    needed = {s for role in g.nodes[system].get("roles", ()) for s in role_skills.get(role, ())}
    needed.update(skill_id(n) for n in requires)
    held: set[str] = set()
    for team in owners:
        for _, skill, a in g.out_edges(team, data=True):
            if (a.get("type") == "staffed_by" and int(a.get("level", 0)) >= min_level
                    # An unknown head-count still means someone holds the skill.
                    and a.get("people") != 0):
                held.add(skill_id(skill))
    return sorted(needed - held)


def articulation_sides(u: nx.Graph, marked: set[str]) -> dict[str, list[tuple[int, str]]]:
    """For each articulation point ``a`` of ``u``: the pieces that removing ``a`` leaves in its
    component which contain marked nodes, as (number of marked nodes, smallest marked id).

    Linear: one biconnected-components pass, then two walks of the block-cut tree (subtree
    totals bottom-up, totals of everything outside each subtree top-down), instead of removing
    each articulation point and recounting components.
    """
    import networkx as nx

    Part = tuple[int, str | None]

    def join(*parts: Part) -> Part:
        reps = [r for _, r in parts if r is not None]
        return sum(c for c, _ in parts), (min(reps) if reps else None)

    blocks = [set(b) for b in nx.biconnected_components(u)]
    # The cut vertices are the nodes in more than one block: one depth-first search of the
    # graph instead of a second one for ``nx.articulation_points``.
    in_blocks: dict[str, int] = {}
    for block in blocks:
        for member in block:
            in_blocks[member] = in_blocks.get(member, 0) + 1
    cuts: set[Any] = {member for member, times in in_blocks.items() if times > 1}
    # Block-cut tree: node ("b", i) for block i, ("a", name) for a cut vertex.
    adj: dict[tuple[str, Any], list[tuple[str, Any]]] = {}
    own: dict[tuple[str, Any], Part] = {}
    for i, block in enumerate(blocks):
        inner = sorted(n for n in block if n in marked and n not in cuts)
        own[("b", i)] = (len(inner), inner[0] if inner else None)
        adj[("b", i)] = [("a", c) for c in sorted(block & cuts)]
        for c in adj[("b", i)]:
            adj.setdefault(c, []).append(("b", i))
    for c in cuts:
        own[("a", c)] = (1, c) if c in marked else (0, None)

    sub: dict[tuple[str, Any], Part] = {}
    outside: dict[tuple[str, Any], Part] = {}
    children: dict[tuple[str, Any], list[tuple[str, Any]]] = {}
    for root in [("b", i) for i in range(len(blocks))]:
        if root in sub:
            continue
        order: list[tuple[str, Any]] = []
        stack = [root]
        parent: dict[tuple[str, Any], tuple[str, Any] | None] = {root: None}
        while stack:  # iterative DFS: deep chains must not hit the recursion limit
            node = stack.pop()
            order.append(node)
            children[node] = [n for n in adj.get(node, []) if n != parent[node]]
            for n in children[node]:
                parent[n] = node
                stack.append(n)
        for node in reversed(order):
            sub[node] = join(own[node], *(sub[c] for c in children[node]))
        outside[root] = (0, None)
        for node in order:
            kids = children[node]
            prefix: list[Part] = [(0, None)]
            for k in kids:
                prefix.append(join(prefix[-1], sub[k]))
            suffix: Part = (0, None)
            for idx in range(len(kids) - 1, -1, -1):
                outside[kids[idx]] = join(outside[node], own[node], prefix[idx], suffix)
                suffix = join(suffix, sub[kids[idx]])

    sides: dict[str, list[tuple[int, str]]] = {}
    for c in sorted(cuts):
        node = ("a", c)
        parts = [sub[k] for k in children[node]] + [outside[node]]
        sides[c] = sorted((n, r) for n, r in parts if n > 0 and r is not None)
    return sides
