"""The trace itself: every need of every segment walked back over one graph; what-if compares
two traces. The algorithm is described in the package docstring."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from auditor.backtracking.to_build import ToBuildList
from auditor.backtracking.tracer import ChainTracer
from auditor.catalogue.settings import BacktrackSettings
from auditor.errors import UserError
from auditor.problems import did_you_mean
from auditor.schema.audit import LATENCY_RANK, Audit
from auditor.schema.backtrack import BacktrackResult, Chain, ChainChange

if TYPE_CHECKING:
    import networkx as nx

    from auditor.graph.index import GraphIndex


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
    from auditor.catalogue import load_catalogue
    from auditor.graph.build import build_graph

    check_segment(audit, segment, include_planned)
    settings = settings if settings is not None else load_catalogue().backtracking
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
    index: GraphIndex | None = None,
) -> BacktrackResult:
    """Backtrack over an already built graph (the analysis traces once and shares it).

    ``index``: the analysis' index of ``graph``, shared with the other stages; made here when
    not given."""
    if index is None or index.graph is not graph:
        from auditor.graph.index import GraphIndex

        index = GraphIndex(graph)
    wanted = {d for c in audit.inventory.capabilities for d in c.requires}
    tracer = ChainTracer(index, settings, wanted)
    kinds = index.kinds

    # The graph already holds exactly the live items (planned ones only for what-if), so
    # membership in it decides what counts; the audit supplies what the graph drops, such as
    # a need's reference to a capability that is only planned.
    def live(item_id: str, kind: str) -> bool:
        return kinds.get(item_id) == kind

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
    builder = ToBuildList(tracer, settings)
    for chain in chains:
        builder.add(chain)
    return BacktrackResult(chains=tuple(chains), to_build=builder.items(),
                           what_if=include_planned, segment=segment,
                           unspecified_needs=tuple(unspecified))
