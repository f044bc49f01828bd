"""The roadmap (DOMAIN.md §6): which remedies, in which order, touching what, owned by whom.

1. The catalogue graph D has an edge from each remedy to every remedy that depends on it (the
   catalogue refuses a cycle on load, naming it).
2. Selected: the remedies of the findings and of the backtracking to-build items, plus the
   audit's ``roadmap.include``, minus its ``roadmap.done``.
3. Every prerequisite of a selected remedy that is not selected is looked at: done (the audit
   says so), in place (its rules were checked on this audit and found nothing: that is the
   evidence), or unknown (none of its rules could be checked), in which case it joins the
   roadmap as a prerequisite, since nothing shows it is there.
4. The order between selected remedies holds through the ones left out (the transitive
   closure of D restricted to the selection); phases are its topological generations; within
   a phase, the most severe problem first, then the id.

Items never invest in a system marked ``migrate`` or ``eliminate``: such a system is named
with its successor instead (the audit's ``successor``, else the current system that shares
most of its roles and capabilities).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.analysis.target_ecosystem import plan_additions
from auditor.errors import AuditFileError
from auditor.problems import Problem, did_you_mean
from auditor.schema.assessment import SEVERITY_RANK, Finding, RuleStatus, Scores
from auditor.schema.audit import Audit
from auditor.schema.backtrack import BacktrackResult
from auditor.schema.catalogue import Remedy
from auditor.schema.roadmap import (
    Prerequisite,
    Reach,
    Reason,
    Roadmap,
    RoadmapItem,
    RoadmapPhase,
    Succession,
    Unblocked,
)

if TYPE_CHECKING:
    import networkx as nx

    from auditor.catalogue import Catalogue
    from auditor.graph.index import GraphIndex

RETIRING = ("migrate", "eliminate")
# Roles too generic to say one system can take over from another.
_VAGUE_ROLES = frozenset({"other"})


@dataclass(frozen=True)
class Cause:
    """What a roadmap item resolves, as the roadmap reads it: a root cause, or a finding."""

    reason: Reason
    remedy: str | None
    findings: tuple[str, ...]


def causes_from_findings(findings: Iterable[Finding]) -> list[Cause]:
    """One cause per finding: the 'why' until root causes group findings into real issues."""
    return [Cause(Reason(kind="finding", key=f.key, headline=f.message, severity=f.severity,
                         component=f.component), f.remedy, (f.key,)) for f in findings]


def causes_from_root_causes(root_causes: Iterable[object],
                            findings: Iterable[Finding]) -> list[Cause]:
    """One cause per root cause and remedy: a root cause explains every remedy its findings
    point to (its lead's first), so each roadmap item lists the real issues it resolves.

    Root causes (``Assessment.root_causes``, the findings issue) carry key, headline,
    severity, component, remedy and the keys of their findings; read by attribute so this
    module does not depend on their model.
    """
    remedy_of = {f.key: f.remedy for f in findings}
    out = []
    for rc in root_causes:
        reason = Reason(kind="root-cause", key=str(getattr(rc, "key")),
                        headline=str(getattr(rc, "headline")),
                        severity=getattr(rc, "severity"), component=getattr(rc, "component"))
        keys = tuple(getattr(rc, "findings", ()))
        remedies = [getattr(rc, "remedy", None), *(remedy_of.get(k) for k in keys)]
        for remedy in dict.fromkeys(r for r in remedies if r):
            out.append(Cause(reason, remedy, tuple(k for k in keys
                                                   if remedy_of.get(k) in (remedy, None))))
    return out


def name_of(g: nx.MultiDiGraph, node: str) -> str:
    return str(g.nodes[node].get("name") or node) if node in g else node


def plan_roadmap(audit: Audit, graph: nx.MultiDiGraph, catalogue: Catalogue,
                 findings: Sequence[Finding], statuses: Sequence[RuleStatus],
                 backtracking: BacktrackResult | None, scores: Scores,
                 causes: Sequence[Cause] | None = None,
                 dismissed: Iterable[str] = (), index: GraphIndex | None = None) -> Roadmap:
    """The roadmap for one audit; ``causes`` default to one per finding. ``findings`` are
    those that stand: the keys in ``dismissed`` (findings the consultant set aside) are only
    recorded, so the reader knows what the plan does not count. ``index`` is the analysis'
    index of ``graph`` (``auditor.graph.index``), made here when not given."""
    import networkx as nx

    from auditor.graph.index import GraphIndex

    e = index if index is not None else GraphIndex(graph)
    remedies = {r.id: r for r in catalogue.remedies}
    _check_choices(audit, remedies)
    causes = list(causes) if causes is not None else causes_from_findings(findings)
    d = nx.DiGraph()
    d.add_nodes_from(sorted(remedies))
    d.add_edges_from((dep, r.id) for r in remedies.values() for dep in r.depends_on)

    build = backtracking.to_build if backtracking is not None else ()
    done = set(audit.roadmap.done)
    by_findings = {c.remedy for c in causes if c.remedy} | {f.remedy for f in findings if f.remedy}
    by_build = {b.remedy for b in build if b.remedy}
    included: dict[str, str] = {}
    for rid in sorted(by_findings):
        included[rid] = "findings"
    for rid in sorted(by_build - set(included)):
        included[rid] = "to-build"
    for rid in sorted(set(audit.roadmap.include) - set(included)):
        included[rid] = "audit"
    for rid in done:
        included.pop(rid, None)

    status_of = {s.rule: s for s in statuses}
    prerequisites: list[Prerequisite] = []
    ancestors = {rid: nx.ancestors(d, rid) for rid in remedies}
    needed_by: dict[str, set[str]] = defaultdict(set)
    for rid in included:
        for anc in ancestors[rid]:
            if anc not in included:
                needed_by[anc].add(rid)
    for anc in sorted(needed_by):
        evidence = _in_place_evidence(remedies[anc], status_of, scores, catalogue)
        if anc in done:
            prerequisites.append(Prerequisite(
                remedy=anc, title=remedies[anc].title, status="done",
                evidence=("The audit lists it as done (roadmap.done).", *evidence),
                needed_by=tuple(sorted(needed_by[anc]))))
        elif evidence:
            prerequisites.append(Prerequisite(
                remedy=anc, title=remedies[anc].title, status="in-place", evidence=evidence,
                needed_by=tuple(sorted(needed_by[anc]))))
        else:
            included[anc] = "prerequisite"

    closure = nx.transitive_closure_dag(d)
    order = nx.DiGraph()
    order.add_nodes_from(sorted(included))
    order.add_edges_from((a, b) for a, b in closure.edges if a in included and b in included)
    direct = nx.transitive_reduction(order)

    ctx = _Context(audit, graph, causes, findings, build, e)
    phases: list[RoadmapPhase] = []
    items: list[RoadmapItem] = []
    settings = catalogue.roadmap_settings.quick_win
    for number, generation in enumerate(nx.topological_generations(order), start=1):
        built = [ctx.item(remedies[rid], number, included[rid],
                          tuple(sorted(direct.predecessors(rid)))) for rid in generation]
        built.sort(key=lambda i: (-SEVERITY_RANK[i.severity] if i.severity else 1, i.remedy))
        quick = [i.model_copy(update={"quick_win": _quick(i, settings)}) for i in built]
        items.extend(quick)
        phases.append(RoadmapPhase(number=number, items=tuple(i.remedy for i in quick)))

    quick_wins = tuple(i.remedy for i in items if i.quick_win)
    first = [i for i in items if i.phase == 1]
    next_90 = tuple(i.remedy for i in sorted(first, key=lambda i: (not i.quick_win,)))
    covered = {k for c in causes if c.remedy for k in c.findings}
    uncovered = tuple(sorted(f.key for f in findings if not f.remedy and f.key not in covered))
    additions = plan_additions(graph, audit, items, remedies, list(build), e)
    return Roadmap(phases=tuple(phases), items=tuple(items), quick_wins=quick_wins,
                   next_90_days=next_90, prerequisites=tuple(prerequisites),
                   done=tuple(sorted(done)), uncovered=uncovered,
                   dismissed=tuple(sorted(set(dismissed))), additions=additions)


def _check_choices(audit: Audit, remedies: dict[str, Remedy]) -> None:
    known = sorted(remedies)
    # The analysis does not know the file's path, so the place is given by field.
    problems = [Problem(path=("roadmap", part, i), file="the audit",
                        message=f"unknown remedy '{rid}'{did_you_mean(rid, known)}")
                for part in ("include", "done")
                for i, rid in enumerate(getattr(audit.roadmap, part)) if rid not in remedies]
    if problems:
        raise AuditFileError("the audit's roadmap section names remedies that do not exist",
                             hint=f"Remedies are {', '.join(known)} (auditor roadmap lists "
                                  f"them with their titles).", problems=problems)


def _in_place_evidence(remedy: Remedy, status_of: dict[str, RuleStatus], scores: Scores,
                       catalogue: Catalogue) -> tuple[str, ...]:
    """Sentences showing a remedy is in place: its rules were checked and found nothing.

    Empty when none of its rules could be checked on this audit (nothing shows it is there),
    or when one of them found something (then it would have been selected anyway).
    """
    checked = [status_of[r] for r in remedy.resolves if r in status_of]
    assessed = [s for s in checked if s.assessed]
    if not assessed or any(s.findings for s in assessed):
        return ()
    medians = {s.question: s.median for q in scores.questions for s in q.subquestions}
    out = []
    for status in assessed:
        meta = catalogue.rule(status.rule)
        title = meta.title if meta else status.rule
        answers = [n.split(":", 1)[1] for n in (meta.needs if meta else ()) if
                   n.startswith("answers:")]
        said = [f"{catalogue.question_name(q)} rated {medians[q]:g} of 4"
                for q in answers if q in medians]
        out.append(f"Checked “{title}” ({status.rule}): nothing found"
                   + (f"; {', '.join(said)}." if said else "."))
    return tuple(out)


def _quick(item: RoadmapItem, settings: object) -> bool:
    from auditor.schema.catalogue import QuickWinSettings

    assert isinstance(settings, QuickWinSettings)
    if item.effort not in settings.efforts or item.after or item.phase != 1:
        return False
    reach = item.reach
    return ((reach.share or 0) >= settings.min_share
            or (reach.people or 0) >= max(settings.min_people, 1))


class _Context:
    """What items are built from: the graph, the causes and the to-build list, indexed."""

    def __init__(self, audit: Audit, graph: nx.MultiDiGraph, causes: Sequence[Cause],
                 findings: Sequence[Finding], build: Sequence[object], index: GraphIndex) -> None:
        from auditor.schema.backtrack import BuildItem

        self.audit = audit
        self.g = graph
        self.e = index
        self.causes = causes
        self.findings = {f.key: f for f in findings}
        self.build = [b for b in build if isinstance(b, BuildItem)]
        self.systems = {s.id: s for s in audit.inventory.systems}
        self._successors: dict[str, tuple[str | None, str]] = {}
        self._traits: dict[str, list[str]] | None = None
        self._ranks: dict[str, tuple[int, int, str]] | None = None
        volumes = [int(graph.nodes[n].get("volume") or 0) for n in graph
                   if graph.nodes[n].get("kind") == "channel"]
        self.total = sum(volumes)
        # Fallback owners, the same for every item: computed once.
        self.executives = sorted(n for n, a in graph.nodes(data=True)
                                 if a.get("kind") == "team" and a.get("executive"))
        self.hub_owners: Counter[str] = Counter()
        for sid in sorted(self.systems):
            if sid in graph and {"system-of-record", "cdp"} & set(self.systems[sid].roles):
                for team in self._owners(sid):
                    self.hub_owners[team] += 1

    def item(self, remedy: Remedy, phase: int, included: str,
             after: tuple[str, ...]) -> RoadmapItem:
        causes = [c for c in self.causes if c.remedy == remedy.id]
        causes.sort(key=lambda c: (-SEVERITY_RANK[c.reason.severity], c.reason.key))
        builds = [b for b in self.build if b.remedy == remedy.id]
        nodes: set[str] = set()
        for cause in causes:
            for key in cause.findings:
                f = self.findings.get(key)
                if f is not None:
                    nodes.update((f.subject, *f.evidence.nodes) if f.subject else f.evidence.nodes)
        for b in builds:
            nodes.update(n for n in (b.system, b.source) if n)
        # The nodes by kind, sorted out once: an item can concern thousands of nodes.
        of_kind: defaultdict[str | None, set[str]] = defaultdict(set)
        kinds = self.e.kinds
        for n in nodes:
            of_kind[kinds.get(n)].add(n)
        touched = sorted(of_kind["system"])
        systems, retiring = self._invest_in(touched)
        needs = sorted({n for b in builds for n in b.unblocks} | of_kind["need"])
        unblocks = tuple(self._unblocked(n) for n in needs if n in self.g)
        owner, basis = self._owner(systems, nodes, remedy)
        reach = self._reach(systems, of_kind, [u.segment for u in unblocks])
        severity = causes[0].reason.severity if causes else None
        return RoadmapItem(
            remedy=remedy.id, title=remedy.title, component=remedy.component, phase=phase,
            effort=remedy.effort, severity=severity, included=included,
            why=tuple(c.reason for c in causes), unblocks=unblocks, systems=tuple(systems),
            system_names=tuple(name_of(self.g, s) for s in systems), retiring=retiring,
            owner=owner, owner_name=name_of(self.g, owner) if owner else None,
            owner_basis=basis, reach=reach, after=after,
            summary=self._summary(remedy, causes, systems, retiring, unblocks, included))

    def _invest_in(self, touched: list[str]) -> tuple[list[str], tuple[Succession, ...]]:
        """The systems to invest in, and those to move away from with their successors."""
        keep: set[str] = set()
        retiring = []
        for sid in touched:
            system = self.systems.get(sid)
            if system is None or system.lifecycle not in RETIRING:
                keep.add(sid)
                continue
            successor, basis = self.successor(sid)
            retiring.append(Succession(
                system=sid, name=name_of(self.g, sid), lifecycle=system.lifecycle or "",
                successor=successor, successor_name=name_of(self.g, successor) if successor else None,
                basis=basis))
            if successor:
                keep.add(successor)
        return sorted(keep), tuple(retiring)

    def successor(self, sid: str) -> tuple[str | None, str]:
        # Every item touching a retiring system asks again; the answer scans every system.
        if sid not in self._successors:
            self._successors[sid] = self._find_successor(sid)
        return self._successors[sid]

    def _trait_index(self) -> dict[str, list[str]]:
        """'role:crm' / 'capability:email' -> the current systems (not retiring) with it."""
        if self._traits is None:
            traits: dict[str, list[str]] = defaultdict(list)
            for other in self.systems.values():
                if other.lifecycle in RETIRING or other.id not in self.g:
                    continue
                for trait in ({f"role:{r}" for r in other.roles}
                              | {f"capability:{c}" for c in other.capabilities}):
                    traits[trait].append(other.id)
            self._traits = dict(traits)
        return self._traits

    def _standing(self) -> dict[str, tuple[int, int, str]]:
        """How each system ranks as a successor after the traits it shares: invested in
        first, then a hub, then the smaller id (worked out once, asked per retiring system)."""
        if self._ranks is None:
            self._ranks = {
                oid: (0 if other.lifecycle == "invest" else 1,
                      0 if {"system-of-record", "cdp"} & set(other.roles) else 1, other.id)
                for oid, other in self.systems.items()}
        return self._ranks

    def _find_successor(self, sid: str) -> tuple[str | None, str]:
        system = self.systems[sid]
        named = system.successor
        if named and named in self.g and self.g.nodes[named].get("lifecycle") not in RETIRING:
            return named, "named in the audit"
        # Only the systems sharing a role or a capability can take over: read from an index
        # of the current systems by trait, not by scanning every system per retiring one.
        shared_by: Counter[str] = Counter()
        index = self._trait_index()
        for trait in ({f"role:{r}" for r in set(system.roles) - _VAGUE_ROLES}
                      | {f"capability:{c}" for c in system.capabilities}):
            shared_by.update(index.get(trait, ()))
        standing = self._standing()
        best = min(((-shared, *standing[oid]) for oid, shared in shared_by.items()
                    if oid != sid), default=None)
        if best is None:
            return None, "no current system shares its roles or capabilities: retire it"
        return best[3], "the current system that shares most of its roles and capabilities"

    def _unblocked(self, need: str) -> Unblocked:
        # A need's one "needs" edge comes from its segment.
        segment = next(iter(self.e.in_typed(need, "needs")), "")
        return Unblocked(need=need, name=name_of(self.g, need), segment=segment,
                         segment_name=name_of(self.g, segment) if segment else "")

    def _owner(self, systems: list[str], nodes: set[str], remedy: Remedy) -> tuple[str | None, str]:
        executives = self.executives
        if executives and remedy.component == "governance":
            # Sponsorship, ownership and metrics are decided at the top, whatever they touch.
            return executives[0], "governance is decided by the executive closest to customers"
        counts: Counter[str] = Counter()
        for sid in systems:
            for team in self._owners(sid):
                counts[team] += 1
        internal = {t: n for t, n in counts.items() if not self.g.nodes[t].get("external")}
        pool = internal or dict(counts)
        if pool:
            team = min(pool, key=lambda t: (-pool[t], t))
            owned = [name_of(self.g, s) for s in systems if team in self._owners(s)]
            return team, f"owns {_and(owned)}"
        others: Counter[str] = Counter()
        for node in nodes:
            for team in self._owners(node):
                others[team] += 1
        if others:
            team = min(others, key=lambda t: (-others[t], t))
            return team, "owns most of what it concerns"
        hub_owners = self.hub_owners
        if hub_owners:
            team = min(hub_owners, key=lambda t: (-hub_owners[t], t))
            hubs = [name_of(self.g, s) for s in sorted(self.systems)
                    if s in self.g and team in self._owners(s)
                    and {"system-of-record", "cdp"} & set(self.systems[s].roles)]
            return team, f"nothing it touches has an owner yet; owns {_and(hubs)}, where it lands"
        if executives:
            return executives[0], "nothing it touches has an owner; the executive decides"
        return None, "no team owns what it touches; the steering group should name one"

    def _owners(self, node: str) -> list[str]:
        # From the index: a hub's thousands of in-flows are not scanned per item. An "owns"
        # edge is keyed by its two ends, so there is one per owner and the sets are the lists.
        return self.e.in_typed(node, "owns")

    def _reach(self, systems: list[str], of_kind: defaultdict[str | None, set[str]],
               segments: list[str]) -> Reach:
        channels = set(of_kind["channel"])
        touchpoints = set(of_kind["touchpoint"])
        for sid in systems:
            touchpoints.update(self.e.out_typed(sid, "serves"))
        for tp in touchpoints:
            channels.update(self.e.out_typed(tp, "uses_channel"))
        volumes = [int(self.g.nodes[c].get("volume") or 0) for c in channels]
        interactions = sum(volumes) if channels else None
        share = round(interactions / self.total, 3) if interactions and self.total else None
        segs = sorted(set(segments) | of_kind["segment"])
        sizes = [self.g.nodes[s].get("size") for s in segs if s in self.g]
        people = sum(int(s) for s in sizes if s) if any(sizes) else None
        return Reach(interactions_per_year=interactions, share=share, people=people,
                     channels=tuple(sorted(channels)), segments=tuple(segs))

    def _summary(self, remedy: Remedy, causes: list[Cause], systems: list[str],
                 retiring: tuple[Succession, ...], unblocks: tuple[Unblocked, ...],
                 included: str) -> str:
        parts = [remedy.title]
        if causes:
            n = len(causes)
            parts.append(f"resolves {n} problem{'s' if n != 1 else ''}, the most severe: "
                         f"{causes[0].reason.headline.rstrip('.')}")
        elif included == "prerequisite":
            parts.append("a prerequisite nothing in the audit shows to be in place")
        elif included == "audit":
            parts.append("asked for in the audit")
        if unblocks:
            parts.append("unblocks " + _and(f"{u.segment_name}: {u.name}" if u.segment_name
                                             else u.name for u in unblocks))
        if systems:
            parts.append("works on " + _and(name_of(self.g, s) for s in systems))
        for r in retiring:
            parts.append(f"moves work off {r.name} to {r.successor_name}" if r.successor_name
                         else f"retires {r.name}")
        return "; ".join(parts) + "."


def _and(names: Iterable[str]) -> str:
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
