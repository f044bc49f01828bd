"""Findings -> root causes: each real issue said once, with the rule hits beneath it as evidence.

The algorithm (documented for consultants in docs/gap-analysis.md, "Root causes"):

1. **Anchors.** Every finding is *about* a few ids. By default these are the ids in its key
   (``PER-06:whatsapp`` is about ``whatsapp``); ``blueprints/root-causes.yaml`` may add
   evidence of given kinds (``channel``, ``system:cdp``, ``data:status``) or say that every
   hit of a rule is about the same thing (``rule``: an organisation-wide gap such as
   unmeasured conversations).
2. **Links.** Two findings are linked when they share an anchor *and* the same work would
   advance both: their remedies are equal, one remedy is a prerequisite (directly or through
   others) of the other in ``blueprints/remedies.yaml``, or the remedies' components are the
   same kind of work (``same_work`` in ``root-causes.yaml``: data, journeys and systems). A
   finding without a remedy links only to findings without one.
3. **Groups.** The connected components of these links are the root causes, so each finding
   belongs to exactly one.
4. **Lead.** In each group, the finding whose rule comes first in the priority order of
   ``root-causes.yaml`` leads (then the most severe, then the one on the busier channels,
   then the key). It gives the root cause
   its key, component, headline template, recommendation and remedy. The severity is that of
   the group's most severe finding.
5. **Reach.** The interactions a year on the channels the group is anchored on (directly or
   through an anchored touchpoint), and the recorded sizes of the segments in its evidence.
6. **Order.** Most severe first, then the larger reach, then the more findings, then the key.

Pure and deterministic: everything is sorted, so the same findings give the same root causes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from string import Formatter
from typing import TYPE_CHECKING, Any

from auditor.graph.names import display_name, join_words
from auditor.schema.assessment import SEVERITY_RANK, Finding, Reach, RootCause

#: Systems many findings share by design (the record and the profile), so 'system:not-hub'
#: leaves them out of a rule's anchors.
HUB_ROLES = frozenset({"system-of-record", "cdp"})

if TYPE_CHECKING:
    import networkx as nx

    from auditor.catalogue import Catalogue
    from auditor.catalogue.root_causes import RootCauseSettings
    from auditor.schema.catalogue import Remedy


#: The words for the people a client serves, when the caller gives none.
DEFAULT_TERMS = {"customer": "customer", "customers": "customers"}


def find_root_causes(findings: Sequence[Finding], graph: nx.MultiDiGraph,
                     catalogue: Catalogue,
                     terms: dict[str, str] | None = None,
                     links: IssueLinks | None = None) -> tuple[RootCause, ...]:
    """Group ``findings`` into root causes, most severe first (see the module docstring).
    ``terms`` are the client's words ('supporter' for 'customer') for the headlines.
    ``links``: the ``IssueLinks`` of these ``findings`` on ``graph``, when the caller has
    them (the scores read the same links); made here otherwise."""
    settings = catalogue.root_causes
    ordered = sorted(findings, key=lambda f: f.key)
    if links is None:
        links = IssueLinks(ordered, graph, catalogue)
    matching, anchors, work = links.matching, links.anchors, links.work
    groups = _components(ordered, anchors, work)
    words = {**DEFAULT_TERMS, **(terms or {})}
    causes = [_root_cause(group, anchors, graph, catalogue, settings, words, matching)
              for group in groups]
    return tuple(sorted(causes, key=lambda c: (
        -SEVERITY_RANK[c.severity],
        -(c.reach.interactions_per_year or 0 if c.reach else 0),
        -len(c.findings), c.key)))


# --- 1. anchors ---------------------------------------------------------------------------
def key_ids(finding: Finding) -> list[str]:
    """The ids a finding's key names: 'BKT-MISSING-FLOW:d365+order+shop' -> d365, order, shop."""
    _, _, ids = finding.key.partition(":")
    return [i for i in ids.split("+") if i]


def anchors_of(finding: Finding, graph: nx.MultiDiGraph,
               settings: RootCauseSettings,
               matching: Callable[[str], frozenset[str]] | None = None) -> frozenset[str]:
    """What ``finding`` is about, as the rule's entry in root-causes.yaml says. ``matching``
    (from ``anchor_matcher``, for many findings of one graph) gives the nodes an evidence
    anchor such as 'system:not-hub' matches."""
    out: set[str] = set()
    for anchor in settings.entry(finding.rule).about:
        if anchor == "key":
            out.update(key_ids(finding))
        elif anchor == "rule":
            out.add(f"rule:{finding.rule}")
        elif anchor == "remedy":
            out.add(f"remedy:{finding.remedy or '-'}")
        elif anchor == "component":
            out.add(f"component:{finding.component}")
        elif matching is not None:
            # The cited nodes the anchor matches (a finding may cite thousands).
            out.update(matching(anchor).intersection(finding.evidence.nodes))
        else:
            kind, _, qualifier = anchor.partition(":")
            out.update(n for n in finding.evidence.nodes if _is(graph, n, kind, qualifier))
    return frozenset(out)


def anchor_matcher(graph: nx.MultiDiGraph) -> Callable[[str], frozenset[str]]:
    """Anchor ('channel', 'system:not-hub') -> every node of ``graph`` it matches, worked out
    once per anchor. The findings of a large estate cite about a million nodes in all, each
    tested against the same few anchors; a set lookup replaces each test."""
    memo: dict[str, frozenset[str]] = {}
    by_kind: dict[str, list[str]] = {}

    def matching(anchor: str) -> frozenset[str]:
        found = memo.get(anchor)
        if found is None:
            if not by_kind:  # the nodes of each kind, listed on the first anchor asked for
                for node, kind in graph.nodes(data="kind"):
                    by_kind.setdefault(str(kind), []).append(node)
            kind, _, qualifier = anchor.partition(":")
            if not qualifier and kind != "None":  # every node of the kind ('touchpoint')
                found = memo[anchor] = frozenset(by_kind.get(kind, ()))
            else:
                found = memo[anchor] = frozenset(
                    n for n in by_kind.get(kind, ()) if _is(graph, n, kind, qualifier))
        return found
    return matching


def _is(graph: nx.MultiDiGraph, node: str, kind: str, qualifier: str) -> bool:
    attrs = graph.nodes.get(node)
    if attrs is None or attrs.get("kind") != kind:
        return False
    if not qualifier:
        return True
    if kind == "system":
        roles = attrs.get("roles") or ()
        if qualifier == "not-hub":
            return not HUB_ROLES & set(roles)
        if qualifier == "isolated":
            return not any(t == "flows_to" for _, _, t in graph.in_edges(node, data="type")) \
                and not any(t == "flows_to" for _, _, t in graph.out_edges(node, data="type"))
        return qualifier in roles
    if kind == "data":
        return attrs.get("data_class") == qualifier
    return False


# --- 2–3. links and groups ----------------------------------------------------------------
def _prerequisites(remedies: Iterable[Remedy]) -> dict[str, frozenset[str]]:
    """Every remedy's prerequisites, direct and indirect."""
    direct = {r.id: set(r.depends_on) for r in remedies}
    closed: dict[str, frozenset[str]] = {}

    def walk(rid: str) -> frozenset[str]:
        if rid not in closed:
            closed[rid] = frozenset()  # the catalogue is acyclic; this only guards recursion
            found: set[str] = set()
            for dep in direct.get(rid, ()):
                found |= {dep} | walk(dep)
            closed[rid] = frozenset(found)
        return closed[rid]

    for rid in sorted(direct):
        walk(rid)
    return closed


class _Work:
    """Which remedies the same work advances."""

    def __init__(self, remedies: Sequence[Remedy], settings: RootCauseSettings) -> None:
        self.prerequisites = _prerequisites(remedies)
        self.component = {r.id: r.component for r in remedies}
        self.settings = settings

    def compatible(self, a: str | None, b: str | None) -> bool:
        """Equal, one a prerequisite of the other, or the same kind of work."""
        if a is None or b is None:
            return a is b
        if a == b or a in self.prerequisites.get(b, ()) or b in self.prerequisites.get(a, ()):
            return True
        ca, cb = self.component.get(a), self.component.get(b)
        return ca is not None and cb is not None and self.settings.same_kind_of_work(ca, cb)


class IssueLinks:
    """The links of step 2 between any two of ``findings``: the same issue when they share an
    anchor and the same work advances both. Root causes are the connected components of these
    links, so findings of different root causes are never linked.

    Made once per analysis and read by both the root causes (``find_root_causes``) and the
    scores (``score_audit``): the anchors of every finding are most of the cost of either
    (8,300 findings citing about a million nodes on a large estate)."""

    def __init__(self, findings: Sequence[Finding], graph: nx.MultiDiGraph,
                 catalogue: Catalogue) -> None:
        settings = catalogue.root_causes
        #: The nodes each evidence anchor matches on ``graph`` (``anchor_matcher``).
        self.matching = anchor_matcher(graph)
        #: Finding key -> what it is about (``anchors_of``).
        self.anchors = {f.key: anchors_of(f, graph, settings, self.matching) for f in findings}
        self.work = _Work(catalogue.remedies, settings)

    def linked(self, a: Finding, b: Finding) -> bool:
        return (not self.anchors[a.key].isdisjoint(self.anchors[b.key])
                and self.work.compatible(a.remedy, b.remedy))

    def all_linked(self, findings: Sequence[Finding]) -> bool:
        """Whether every two of ``findings`` are linked, the usual shape of a root cause: one
        anchor they all share and remedies that all fit together (a handful of remedies to
        compare, not every pair of findings). False does not mean some pair is unlinked."""
        if len(findings) < 2:
            return True
        if not frozenset.intersection(*(self.anchors[f.key] for f in findings)):
            return False
        remedies = sorted({f.remedy or "" for f in findings})
        return all(self.work.compatible(a or None, b or None)
                   for i, a in enumerate(remedies) for b in remedies[i + 1:])


def _components(findings: Sequence[Finding], anchors: dict[str, frozenset[str]],
                work: _Work) -> list[list[Finding]]:
    """The connected components of the links between ``findings`` (sorted by key), each in
    that order, ordered by their first key. A union-find over the findings' positions: the
    root of a set is always its smallest position (its first key), whatever order the links
    are added in, so the groups come out in order."""
    position: dict[str, int] = {}
    for i, f in enumerate(findings):
        position.setdefault(f.key, i)  # a repeated key is one finding, as it is one key
    parent = list(range(len(findings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Within one anchor, findings with the same remedy are all linked, and two remedy groups
    # are linked when their remedies are compatible: linear in the findings, quadratic only
    # in the handful of remedies. Each group joins at its smallest root.
    by_anchor: dict[str, dict[str | None, list[int]]] = {}
    for f in findings:
        at = position[f.key]
        for a in anchors[f.key]:
            by_anchor.setdefault(a, {}).setdefault(f.remedy, []).append(at)
    for by_remedy in by_anchor.values():
        if len(by_remedy) == 1:
            (members,) = by_remedy.values()
            if len(members) == 1:  # most anchors: one finding's own evidence, no link
                continue
        heads: dict[str | None, int] = {}
        for remedy, members in by_remedy.items():
            roots = set()
            for m in members:  # ``root`` inlined: 220,000 members in all on a large estate
                while parent[m] != m:
                    parent[m] = parent[parent[m]]
                    m = parent[m]
                roots.add(m)
            head = min(roots)
            for r in roots:
                parent[r] = head
            heads[remedy] = head
        if len(heads) > 1:
            remedies = sorted(heads, key=lambda r: r or "")
            for i, first in enumerate(remedies):
                for second in remedies[i + 1:]:
                    if work.compatible(first, second):
                        ra, rb = root(heads[first]), root(heads[second])
                        if ra != rb:
                            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[Finding]] = {}
    for f in findings:
        groups.setdefault(root(position[f.key]), []).append(f)
    return [groups[k] for k in sorted(groups)]


# --- 4–5. one root cause ------------------------------------------------------------------
def _root_cause(group: list[Finding], anchors: dict[str, frozenset[str]],
                graph: nx.MultiDiGraph, catalogue: Catalogue,
                settings: RootCauseSettings, terms: dict[str, str],
                matching: Callable[[str], frozenset[str]]) -> RootCause:
    lead = min(group, key=lambda f: (settings.priority(f.rule), -SEVERITY_RANK[f.severity],
                                     -_volume(f, anchors[f.key], graph, matching), f.key))
    rest = sorted((f for f in group if f is not lead), key=lambda f: f.sort_key)
    counts: dict[str, int] = {}
    for f in group:
        for a in anchors[f.key]:
            counts[a] = counts.get(a, 0) + 1
    subjects = sorted(counts)
    ids = [a for a in subjects if ":" not in a or a in graph.nodes]
    reach = reach_of(group, ids, graph, matching)
    remedy = catalogue.remedy(lead.remedy) if lead.remedy else None
    # The lead's own recommendation speaks of its one hit: when the root cause holds several
    # hits of that rule, the entry's advice (if any) speaks for them all.
    entry = settings.entry(lead.rule)
    fields = {**DEFAULT_TERMS, **terms, **headline_fields(lead, group, reach, graph)}
    several = (len(group) if entry.advice_for == "findings"
               else sum(1 for f in group if f.rule == lead.rule)) > 1
    recommendation = (_filled(entry.advice, fields) if entry.advice and several else None) \
        or lead.recommendation
    return RootCause(
        key=lead.key, headline=headline(lead, fields, settings),
        severity=max((f.severity for f in group), key=lambda s: SEVERITY_RANK[s]),
        component=lead.component, lead=lead.key,
        subjects=tuple(ids), shared=tuple(a for a in subjects if counts[a] > 1),
        findings=(lead.key, *(f.key for f in rest)),
        recommendation=recommendation, remedy=lead.remedy,
        remedy_title=remedy.title if remedy else None, reach=reach)


def _volume(finding: Finding, anchors: Iterable[str], graph: nx.MultiDiGraph,
            matching: Callable[[str], frozenset[str]] | None = None) -> int:
    """``reach_of([finding], anchors).interactions_per_year`` (0 for none), without looking
    through the finding's evidence for segments: they add people, not interactions."""
    nodes = graph.nodes
    return sum(nodes[c].get("volume") or 0
               for c in _reach_channels([finding], anchors, graph, matching))


def _reach_channels(group: Sequence[Finding], subjects: Iterable[str], graph: nx.MultiDiGraph,
                    matching: Callable[[str], frozenset[str]] | None = None) -> set[str]:
    nodes = graph.nodes
    channels: set[str] = set()
    if matching is not None:  # the same test by set lookups (see anchor_matcher)
        on_channels, touchpoints = matching("channel"), matching("touchpoint")
        # What the group's keys name, listed only once a touchpoint comes up (asked for every
        # finding when choosing the leads; few are about a touchpoint).
        named: set[str] | None = None
        for s in subjects:
            if s in on_channels:
                channels.add(s)
            elif s in touchpoints:
                if named is None:
                    named = {i for f in group for i in key_ids(f)}
                if s in named and nodes[s].get("channel") in nodes:
                    channels.add(nodes[s]["channel"])
        return channels
    keyed = {i for f in group for i in key_ids(f)}
    for s in subjects:
        kind = nodes[s].get("kind") if s in nodes else None
        if kind == "channel":
            channels.add(s)
        elif kind == "touchpoint" and s in keyed and nodes[s].get("channel") in nodes:
            channels.add(nodes[s]["channel"])
    return channels


def reach_of(group: Sequence[Finding], subjects: Iterable[str], graph: nx.MultiDiGraph,
             matching: Callable[[str], frozenset[str]] | None = None) -> Reach | None:
    """Interactions a year on the channels the group is about; people in the segments in its
    evidence. A channel counts when it is an anchor, or when a touchpoint on it is what a
    finding is about (in its key), not when a touchpoint is merely cited. ``matching`` as
    for ``anchors_of``: it tells segments, channels and touchpoints by set lookups."""
    nodes = graph.nodes
    channels = _reach_channels(group, subjects, graph, matching)
    if matching is not None:
        known = matching("segment")
        segments = sorted({n for f in group for n in f.evidence.nodes if n in known})
    else:
        segments = sorted({n for f in group for n in f.evidence.nodes
                           if n in nodes and nodes[n].get("kind") == "segment"})
    volumes = [nodes[c].get("volume") or 0 for c in channels]
    sizes = [nodes[s].get("size") for s in segments if nodes[s].get("size") is not None]
    if not channels and not segments:
        return None
    return Reach(
        interactions_per_year=sum(volumes) if any(volumes) else None,
        channels=tuple(sorted(channels, key=lambda c: (-(nodes[c].get("volume") or 0), c))),
        people=sum(sizes) if sizes else None, segments=tuple(segments))


#: A list in a headline names at most this many items; a longer one ends "and N more".
LISTED = 5


def and_list(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'; past ``LISTED`` items, 'A, B, C, D and 6 more' (a
    headline of a large estate must stay a headline)."""
    if len(items) > LISTED:
        return join_words([*items[:LISTED - 1], f"{len(items) - LISTED + 1} more"])
    return join_words(items)


def headline_fields(lead: Finding, group: Sequence[Finding], reach: Reach | None,
                    graph: nx.MultiDiGraph) -> dict[str, str]:
    """The words a headline template may use, for this lead finding; absent when unknown."""
    nodes = graph.nodes
    # One pass over the lead's evidence, bucketed by kind (evidence lists can be long).
    kinds: dict[str, list[str]] = {}
    for n in dict.fromkeys((lead.subject, *lead.evidence.nodes)):
        if n in nodes:
            kinds.setdefault(str(nodes[n].get("kind")), []).append(n)
        elif n and _is(graph, f"skill:{n}", "skill", ""):
            kinds.setdefault("skill", []).append(n)

    def of_kind(kind: str) -> list[str]:
        return kinds.get(kind, [])

    fields: dict[str, str] = {"title": lead.title, "findings": str(len(group))}
    if lead.subject:
        fields["subject"] = display_name(graph, lead.subject)
    subjects = list(dict.fromkeys(f.subject for f in (lead, *group) if f.subject))
    if subjects:
        fields["subjects"] = and_list([display_name(graph, s) for s in subjects])
    # The subjects of the lead rule's own hits: a group may also hold findings about other
    # kinds of things (the consent data itself beside the systems that send without it).
    same_rule = list(dict.fromkeys(f.subject for f in (lead, *group)
                                   if f.subject and f.rule == lead.rule))
    if same_rule:
        fields["rule_subjects"] = and_list([display_name(graph, s) for s in same_rule])
    for kind, single, plural in (("system", "system", "systems"), ("channel", "channel", None),
                                 ("touchpoint", "touchpoint", None), ("data", "data", None),
                                 ("policy", "policy", None), ("need", "need", None),
                                 ("segment", "segment", None), ("capability", "capability", None),
                                 ("team", "team", "teams"), ("skill", "skill", None),
                                 ("journey", "journey", None)):
        found = of_kind(kind)
        if found:
            fields[single] = display_name(graph, found[0])
            if plural:
                fields[plural] = and_list([display_name(graph, n) for n in found])
            if kind == "system":
                fields["system_count"] = str(len(found))
    data = set(of_kind("data"))
    masters = [n for n in of_kind("system")
               if any(graph.has_edge(n, d) and any(e.get("type") == "masters"
                                                   for e in graph[n][d].values()) for d in data)]
    if masters:
        fields["masters"] = and_list([display_name(graph, n) for n in masters])
    if reach is not None:
        if reach.channels:
            fields["channels"] = and_list([display_name(graph, c) for c in reach.channels])
        lead_channel = of_kind("channel") or [
            nodes[t]["channel"] for t in of_kind("touchpoint") if nodes[t].get("channel") in nodes]
        volume = (nodes[lead_channel[0]].get("volume") if lead_channel
                  else reach.interactions_per_year)
        if volume:
            fields["interactions"] = f"{volume:,}"
        if reach.people:
            fields["people"] = f"{reach.people:,}"
    return fields


def headline(lead: Finding, fields: dict[str, str], settings: RootCauseSettings) -> str:
    """The lead rule's template filled from the case (``fields``: the client's terms and
    ``headline_fields``); the default one when it cannot be. The first letter is upper-cased
    (a headline is a sentence), the rest kept as written."""
    for template in (settings.entry(lead.rule).headline, settings.default_headline, "{title}"):
        text = _filled(template, fields) if template else None
        if text:
            return text
    return lead.title  # unreachable: '{title}' is always fillable


def _filled(template: str, fields: dict[str, str]) -> str | None:
    """``template`` filled from ``fields``, its first letter upper-cased; None when the case
    cannot fill it."""
    if not _fillable(template, fields):
        return None
    text = template.format(**fields)
    return text[:1].upper() + text[1:]


def _fillable(template: str, fields: dict[str, Any]) -> bool:
    return all(name in fields for _, name, _, _ in Formatter().parse(template) if name)
