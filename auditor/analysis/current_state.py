"""The current state of each blueprint component, as facts read from the graph and answers.

Person: the attribute × system matrix (masters, copies, conflicts, survivorship, steward),
whether identity is resolved, where consent travels. Journeys: stages with their touchpoints,
channels, systems, metrics and owners, and the gaps. Skills: required against held skills
per owned system, and single-person skills. People & governance: sponsor, executives and a
RACI derived from the inventory. Technologies: systems by role and TIME lifecycle, duplicate
capabilities, integration density and manual feeds.

Each builder returns typed rows (ids) and facts (sentences with names).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from auditor.graph.keys import skill_id, skill_key
from auditor.graph.names import display_name, join_words
from auditor.graph.traverse import HUB_ROLES, PERSON_CLASSES, in_typed
from auditor.rules.queries import sources_reaching
from auditor.schema.assessment import Scores
from auditor.schema.blueprint import (
    AttributeRow,
    ConsentReach,
    Duplicate,
    Fact,
    GovernanceState,
    JourneysState,
    KeyPersonRisk,
    LifecycleSystems,
    PersonState,
    RaciRow,
    RoleSystems,
    SkillHeld,
    SkillsState,
    StageRow,
    SystemSkills,
    TechnologiesState,
)

if TYPE_CHECKING:
    import networkx as nx

    from auditor.graph.index import GraphIndex

OUTBOUND_CHANNELS = frozenset({"email", "sms", "messaging", "phone", "mail"})


def name(g: nx.MultiDiGraph, node: str) -> str:
    """The name a sentence uses: data, capabilities and skills as common nouns ('customer
    data modelling'), as the findings say them."""
    return display_name(g, node)


def label(g: nx.MultiDiGraph, node: str) -> str:
    """The name a table row or heading shows: as the audit writes it ('Email address')."""
    return str(g.nodes[node].get("name") or node) if node in g else node


def names(g: nx.MultiDiGraph, nodes: Iterable[str]) -> str:
    """'A, B and C' with display names."""
    return join_words([name(g, n) for n in nodes])


def skill_name(g: nx.MultiDiGraph, skill: str) -> str:
    """A skill's display name; role-default skills that the inventory does not list keep
    their catalogue id ('data-modelling')."""
    return name(g, skill_key(skill)) if skill_key(skill) in g else skill


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def owners(g: nx.MultiDiGraph, node: str, index: GraphIndex | None = None) -> list[str]:
    if index is not None:
        return [t for t in index.in_typed(node, "owns") if index.kinds[t] == "team"]
    return [t for t in in_typed(g, node, "owns") if g.nodes[t].get("kind") == "team"]


def _index(g: nx.MultiDiGraph, index: GraphIndex | None) -> GraphIndex:
    """The analysis' index of ``g``, or one made for a caller that has none."""
    from auditor.graph.index import GraphIndex

    return index if index is not None else GraphIndex(g)


# --- Person ---------------------------------------------------------------------------------
def person_state(g: nx.MultiDiGraph,
                 index: GraphIndex | None = None) -> tuple[PersonState, list[Fact]]:
    import networkx as nx

    e = _index(g, index)
    person_data = [d for d in e.nodes_of("data")
                   if g.nodes[d].get("data_class") in PERSON_CLASSES]
    rows = []
    for d in person_data:
        attrs = g.nodes[d]
        masters = e.masters_of(d)
        copies = sorted(e.receivers(d) - set(masters))
        stewards = owners(g, d, e) or (owners(g, attrs["entity"], e) if attrs.get("entity") else [])
        rows.append(AttributeRow(
            datum=d, name=label(g, d), data_class=str(attrs.get("data_class")), masters=tuple(masters),
            copies=tuple(copies), conflict=len(masters) >= 2 and not attrs.get("survivorship"),
            survivorship=attrs.get("survivorship"), steward=stewards[0] if stewards else None))

    identity = [d for d in person_data if g.nodes[d].get("data_class") == "identity"]
    id_masters = sorted({m for d in identity for m in e.masters_of(d)})
    resolvers = sorted(set(e.with_role("cdp"))
                       | set(e.in_typed("identity-resolution", "provides")))
    # One backward search from the resolvers, not one forward search per master (quadratic on
    # a large estate): a master is resolved when it can reach a resolver.
    reaches_resolver = e.reaching(e.projection({"identity"}), resolvers)
    unresolved = sorted(m for m in id_masters if m not in reaches_resolver)
    resolved = bool(resolvers) and not unresolved

    senders = outbound_senders(g, e)
    consent_data = [(d, e.masters_of(d)) for d in person_data
                    if g.nodes[d].get("data_class") == "consent"]
    # Which masters reach each system along consent flows, as bit masks from one pass over
    # the condensed projection (a large estate has hundreds of consent attributes and
    # hundreds of sets of masters: one search each was quadratic). A datum reaches a sender
    # when one of its masters does.
    sources = sorted({m for _, masters in consent_data for m in masters})
    f_consent: nx.DiGraph = nx.DiGraph()
    f_consent.add_nodes_from(e.nodes_of("system"))
    f_consent.add_edges_from(e.projection({"consent"}))
    reached_by = sources_reaching(f_consent, sources) if sources else {}
    # The senders each master's copy never reaches: on a large estate most masters reach
    # most senders (400 of 420 masters reach an average sender), so the bits a sender's mask
    # lacks are few, and a datum misses the senders none of its masters reaches.
    unreached: dict[str, set[str]] = defaultdict(set)
    everyone = (1 << len(sources)) - 1
    for s in senders:
        lacking = everyone & ~reached_by.get(s, 0)
        while lacking:
            lowest = lacking & -lacking
            unreached[sources[lowest.bit_length() - 1]].add(s)
            lacking ^= lowest
    all_senders = set(senders)
    # Consent data mastered in the same systems reach the same senders: worked out once per
    # set of masters (the senders are sorted, so sorting a subset keeps their order).
    reach_of: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    consent = []
    for d, masters in consent_data:
        key = tuple(masters)
        if key not in reach_of:
            missed = (set.intersection(*(unreached[m] for m in masters)) if masters
                      else all_senders)
            reach_of[key] = (tuple(sorted(all_senders - missed - set(masters))),
                             tuple(sorted(missed)))
        reached, not_reached = reach_of[key]
        consent.append(ConsentReach(
            datum=d, name=label(g, d), masters=key, senders_reached=reached,
            senders_missed=not_reached))
    return _person_facts(g, rows, id_masters, resolvers, unresolved, resolved, senders, consent)


def outbound_senders(g: nx.MultiDiGraph, index: GraphIndex | None = None) -> list[str]:
    """Systems that send broadcasts on channels that reach a person (email, SMS, mail…)."""
    e = _index(g, index)
    return sorted({s for t in e.nodes_of("touchpoint")
                      if g.nodes[t].get("style") == "broadcast"
                      and _channel_kind(g, t, e) in OUTBOUND_CHANNELS
                      for s in e.in_typed(t, "serves")})


def _person_facts(g: nx.MultiDiGraph, rows: list[AttributeRow], id_masters: list[str],
                  resolvers: list[str], unresolved: list[str], resolved: bool,
                  senders: list[str], consent: list[ConsentReach]) -> tuple[PersonState, list[Fact]]:
    facts = []
    conflicts = [r for r in rows if r.conflict]
    if not rows:
        facts.append(Fact(topic="masters", text=(
            "No person data is recorded in the inventory yet, so nothing shows where people "
            "are mastered.")))
    else:
        facts.append(Fact(topic="masters", text=(
            f"{_plural(len(rows), 'person data item')} recorded; "
            + (f"{_plural(len(conflicts), 'has', 'have')} several masters and no survivorship rule "
               f"({names(g, [r.datum for r in conflicts])})." if conflicts
               else "each has one master or a survivorship rule.")),
            items=tuple(r.datum for r in conflicts)))
    if id_masters:
        if resolved:
            text = (f"Person records are created in {names(g, id_masters)} and all reach "
                    f"{names(g, resolvers)}, which resolves identities.")
        elif resolvers:
            text = (f"Person records are created in {names(g, id_masters)}; "
                    f"{names(g, unresolved)} never reach{'es' if len(unresolved) == 1 else ''} "
                    f"{names(g, resolvers)}, so identity is not resolved across them.")
        else:
            text = (f"Person records are created in {names(g, id_masters)} and nothing "
                    f"resolves them into one identity.")
        facts.append(Fact(topic="identity", text=text, items=tuple(id_masters)))
    said: dict[tuple[str, ...], str] = {}  # the same lists of masters and senders recur
    for c in consent:
        if c.senders_missed:
            for group in (c.masters, c.senders_missed):
                if group not in said:
                    said[group] = names(g, group)
            facts.append(Fact(topic="consent", text=(
                f"{c.name} is mastered in {said[c.masters] or 'no system'} and never reaches "
                f"{said[c.senders_missed]}, which "
                f"{'sends' if len(c.senders_missed) == 1 else 'send'} messages to customers."),
                items=(c.datum, *c.senders_missed)))
        elif senders:
            facts.append(Fact(topic="consent", text=(
                f"{c.name} reaches every system that sends broadcasts."), items=(c.datum,)))
    stewarded = [r for r in rows if r.steward]
    if rows:
        facts.append(Fact(topic="stewards", text=(
            f"All {_plural(len(rows), 'person data item')} have a steward."
            if len(stewarded) == len(rows) else
            f"{len(stewarded)} of {_plural(len(rows), 'person data item')} "
            f"{'has' if len(stewarded) == 1 else 'have'} a steward.")))
    return (PersonState(attributes=tuple(rows), identity_masters=tuple(id_masters),
                        resolvers=tuple(resolvers), unresolved=tuple(unresolved),
                        identity_resolved=resolved, consent=tuple(consent)), facts)


def _channel_kind(g: nx.MultiDiGraph, touchpoint: str, e: GraphIndex) -> str | None:
    channels = e.out_typed(touchpoint, "uses_channel")
    return g.nodes[channels[0]].get("ckind") if channels else None


# --- Journeys -------------------------------------------------------------------------------
def journeys_state(g: nx.MultiDiGraph,
                   index: GraphIndex | None = None) -> tuple[JourneysState, list[Fact]]:
    e = _index(g, index)
    rows = []
    staged: set[str] = set()
    for j in e.nodes_of("journey"):
        stages = sorted(e.out_typed(j, "contains"), key=lambda s: g.nodes[s].get("seq", 0))
        for st in stages:
            tps = e.out_typed(st, "contains")
            staged.update(tps)
            channels = sorted({c for t in tps for c in e.out_typed(t, "uses_channel")})
            systems = sorted({s for t in tps for s in e.in_typed(t, "serves")})
            metrics = sorted({m for n in (st, *tps) for m in e.in_typed(n, "measures")})
            owner = owners(g, st, e)
            gaps = tuple(gap for gap, missing in (("no-owner", not owner),
                                                   ("no-measure", not metrics),
                                                   ("no-touchpoint", not tps)) if missing)
            rows.append(StageRow(journey=j, stage=st, name=label(g, st),
                                 owner=owner[0] if owner else None, touchpoints=tuple(tps),
                                 channels=tuple(channels), systems=tuple(systems),
                                 metrics=tuple(metrics), gaps=gaps))
    journeys = e.nodes_of("journey")
    no_owner = [j for j in journeys if not owners(g, j, e)]
    off = [t for t in e.nodes_of("touchpoint") if t not in staged]
    journey_channels = {c for r in rows for c in r.channels}
    journey_systems = {s for r in rows for s in r.systems}
    lonely = []
    for seg in e.nodes_of("segment"):
        needs = e.out_typed(seg, "needs")
        wanted_channels = {g.nodes[n].get("channel") for n in needs} - {None}
        providers = {p for n in needs for cap in e.out_typed(n, "requires")
                     for p in e.in_typed(cap, "provides")}
        if not (wanted_channels & journey_channels or providers & journey_systems):
            lonely.append(seg)
    facts = []
    if journeys:
        facts.append(Fact(topic="journeys", text=(
            f"{_plural(len(journeys), 'journey')} mapped ({names(g, journeys)}) with "
            f"{_plural(len(rows), 'stage')}."), items=tuple(journeys)))
    else:
        facts.append(Fact(topic="journeys", text="No journey or relationship cycle is mapped."))
    for gap, words in (("no-owner", "no owner"), ("no-measure", "no measure")):
        hit = [r for r in rows if gap in r.gaps]
        if hit:
            facts.append(Fact(topic=gap, text=(
                f"{_plural(len(hit), 'stage')} {'has' if len(hit) == 1 else 'have'} {words}: "
                f"{names(g, [r.stage for r in hit])}."), items=tuple(r.stage for r in hit)))
    if no_owner:
        facts.append(Fact(topic="journey-owner", text=(
            f"Nobody owns {names(g, no_owner)} from end to end."), items=tuple(no_owner)))
    if off:
        facts.append(Fact(topic="off-stage", text=(
            f"{_plural(len(off), 'touchpoint')} belong{'s' if len(off) == 1 else ''} to no stage: "
            f"{names(g, off)}."), items=tuple(off)))
    if lonely:
        facts.append(Fact(topic="segments", text=(
            f"No journey serves {names(g, lonely)}: their needs name no channel or system "
            f"that a stage uses."), items=tuple(lonely)))
    return (JourneysState(stages=tuple(rows), journeys_without_owner=tuple(no_owner),
                          touchpoints_off_stage=tuple(off),
                          segments_without_journey=tuple(lonely)), facts)


# --- Skills ---------------------------------------------------------------------------------
def skills_state(g: nx.MultiDiGraph, role_skills: dict[str, tuple[str, ...]],
                 min_level: int, index: GraphIndex | None = None) -> tuple[SkillsState, list[Fact]]:
    e = _index(g, index)
    # Each team's skills, in the order of its edges: read once, not once per system it owns.
    staffed: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for team, skill, a in e.edges("staffed_by"):
        staffed[team].append((skill, a))
    rows = []
    needed_by: dict[str, set[str]] = defaultdict(set)
    for s in e.nodes_of("system"):
        teams = owners(g, s, e)
        if not teams:
            continue
        required = sorted({k for role in g.nodes[s].get("roles", ()) for k in role_skills.get(role, ())}
                          | {skill_id(n) for n in e.out_typed(s, "requires")})
        held = []
        for team in teams:
            for skill, a in staffed.get(team, ()):
                if skill_id(skill) in required:
                    held.append(SkillHeld(skill=skill_id(skill), team=team,
                                          level=int(a.get("level") or 0),
                                          people=a.get("people")))
        # An unknown head-count still holds the skill; only a known zero does not.
        ok = {h.skill for h in held if h.level >= min_level and h.people != 0}
        for k in required:
            needed_by[k].add(s)
        rows.append(SystemSkills(system=s, owners=tuple(teams), required=tuple(required),
                                 held=tuple(sorted(held, key=lambda h: (h.skill, h.team))),
                                 missing=tuple(k for k in required if k not in ok)))
    people: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    for team in e.nodes_of("team"):
        for skill, a in staffed.get(team, ()):
            if int(a.get("level") or 0) >= min_level:
                people[skill_id(skill)].append((team, a.get("people")))
    risks = []
    for skill, holders in sorted(people.items()):
        # A team whose head-count is unknown may hold the skill many times over: no risk
        # is claimed then.
        if any(n is None for _, n in holders):
            continue
        if skill in needed_by and sum(n or 0 for _, n in holders) == 1:
            team = next(t for t, n in holders if n == 1)
            risks.append(KeyPersonRisk(skill=skill, team=team,
                                       systems=tuple(sorted(needed_by[skill]))))
    facts = []
    gaps = [r for r in rows if r.missing]
    if not rows:
        facts.append(Fact(topic="coverage", text=(
            "No system has an owning team in the inventory yet, so skills cannot be matched "
            "to systems.")))
        return SkillsState(), facts
    facts.append(Fact(topic="coverage", text=(
        f"{_plural(len(rows), 'owned system')}; "
        + (f"the owners of {names(g, [r.system for r in gaps])} lack skills "
           f"{'it needs' if len(gaps) == 1 else 'those systems need'}."
           if gaps else "every owner holds the skills its systems need.")),
        items=tuple(r.system for r in gaps)))
    for r in gaps:
        facts.append(Fact(topic="missing", text=(
            f"{name(g, r.system)} needs {', '.join(skill_name(g, k) for k in r.missing)}; "
            f"{names(g, r.owners)} "
            f"{'does' if len(r.owners) == 1 else 'do'} not hold {'it' if len(r.missing) == 1 else 'them'}."),
            items=(r.system, *r.missing)))
    for risk in risks:
        facts.append(Fact(topic="key-person", text=(
            f"Only one person, in {name(g, risk.team)}, holds {skill_name(g, risk.skill)} "
            f"(needed by {names(g, risk.systems)})."), items=(risk.team, *risk.systems)))
    return SkillsState(systems=tuple(rows), key_person_risks=tuple(risks)), facts


# --- People & governance --------------------------------------------------------------------
class _Owners(dict[str, list[str]]):
    """What ``owners`` answers, worked out once per node on first ask: every system a datum
    or a flow reaches is asked again (185,000 times on a large estate)."""

    def __init__(self, g: nx.MultiDiGraph, index: GraphIndex) -> None:
        super().__init__()
        self.g, self.index = g, index

    def __missing__(self, node: str) -> list[str]:
        found = self[node] = owners(self.g, node, self.index)
        return found


def governance_state(g: nx.MultiDiGraph, scores: Scores,
                     index: GraphIndex | None = None) -> tuple[GovernanceState, list[Fact]]:
    e = _index(g, index)
    owned = _Owners(g, e)

    def owned_any(nodes: Iterable[str]) -> set[str]:
        """The teams owning any of ``nodes`` (a datum is copied into hundreds of systems)."""
        return set().union(*map(owned.__getitem__, nodes))

    medians = {s.question: s.median for q in scores.questions for s in q.subquestions}
    sponsor = medians.get("q7.1")
    executives = [t for t in e.nodes_of("team") if g.nodes[t].get("executive")]
    rows = []
    unowned = []
    for s in e.nodes_of("system"):
        acc = owned[s]
        tps = e.out_typed(s, "serves")
        journey_owners = sorted({o for t in tps for st in e.in_typed(t, "contains")
                                 for o in owned[st]} - set(acc))
        receivers = sorted(owned_any(e.out_typed(s, "flows_to")) - set(acc))
        rows.append(RaciRow(kind="system", item=s, name=label(g, s), responsible=tuple(acc),
                            accountable=tuple(acc), consulted=tuple(journey_owners),
                            informed=tuple(receivers)))
        if not acc:
            unowned.append(s)
    for j in e.nodes_of("journey"):
        acc = owned[j]
        stages = e.out_typed(j, "contains")
        stage_owners = sorted({o for st in stages for o in owned[st]})
        system_owners = sorted({o for st in stages for t in e.out_typed(st, "contains")
                                for s in e.in_typed(t, "serves") for o in owned[s]}
                               - set(stage_owners) - set(acc))
        rows.append(RaciRow(kind="journey", item=j, name=label(g, j),
                            responsible=tuple(stage_owners), accountable=tuple(acc),
                            consulted=tuple(system_owners), informed=tuple(executives)))
        if not acc:
            unowned.append(j)
    for d in e.nodes_of("data"):
        if g.nodes[d].get("attribute"):
            continue
        acc = owned[d]
        master_owners = sorted(owned_any(e.masters_of(d)))
        copy_owners = sorted(owned_any(e.receivers(d)) - set(master_owners))
        rows.append(RaciRow(kind="data", item=d, name=label(g, d),
                            responsible=tuple(master_owners), accountable=tuple(acc),
                            consulted=(), informed=tuple(copy_owners)))
        if not acc and g.nodes[d].get("data_class") in PERSON_CLASSES:
            unowned.append(d)
    for m in e.nodes_of("metric"):
        acc = owned[m]
        measured_owners = sorted({o for n in e.out_typed(m, "measures") for o in owned[n]}
                                 - set(acc))
        rows.append(RaciRow(kind="metric", item=m, name=label(g, m),
                            responsible=tuple(measured_owners), accountable=tuple(acc),
                            informed=tuple(executives)))
        if not acc:
            unowned.append(m)
    facts = []
    if sponsor is not None:
        facts.append(Fact(topic="sponsor", text=f"Respondents rate executive sponsorship "
                                                f"{sponsor:g} of 4 (the median answer)."))
    facts.append(Fact(topic="executives", text=(
        f"Executives on the inventory: {names(g, executives)}." if executives
        else "No executive team or role appears in the inventory."), items=tuple(executives)))
    exec_owned = [r.item for r in rows if set(r.accountable) & set(executives)]
    if executives:
        facts.append(Fact(topic="executive-ownership", text=(
            f"Executives are accountable for {names(g, exec_owned)}." if exec_owned
            else "No executive is accountable for any system, journey, data or metric."),
            items=tuple(exec_owned)))
    if unowned:
        facts.append(Fact(topic="unowned", text=(
            f"Nobody is accountable for {names(g, unowned)}."), items=tuple(unowned)))
    return GovernanceState(sponsor_level=sponsor, executives=tuple(executives), raci=tuple(rows),
                           unowned=tuple(unowned)), facts


# --- Technologies ----------------------------------------------------------------------------
def technologies_state(g: nx.MultiDiGraph,
                       index: GraphIndex | None = None) -> tuple[TechnologiesState, list[Fact]]:
    e = _index(g, index)
    systems = e.nodes_of("system")
    by_role: dict[str, list[str]] = defaultdict(list)
    by_life: dict[str, list[str]] = defaultdict(list)
    for s in systems:
        for role in g.nodes[s].get("roles", ()) or ("other",):
            by_role[role].append(s)
        by_life[g.nodes[s].get("lifecycle") or "unset"].append(s)
    dups = []
    for cap in e.nodes_of("capability"):
        providers = e.in_typed(cap, "provides")
        if len(providers) >= 2 and not g.nodes[cap].get("shared_ok"):
            dups.append(Duplicate(capability=cap, name=label(g, cap), providers=tuple(providers)))
    # The connections of ``traverse.undirected_flows`` (pairs of systems, direction and
    # multiplicity ignored, a flow through an integration system linking each end to it),
    # counted as pairs rather than built as a networkx graph.
    is_system = set(systems)
    pairs: set[frozenset[str]] = set()
    for f in e.flows:
        if f.via and f.via in is_system:
            pairs.add(frozenset((f.source, f.via)))
            pairs.add(frozenset((f.via, f.target)))
        else:
            pairs.add(frozenset((f.source, f.target)))
    connected = {s for pair in pairs for s in pair}
    connections = len(pairs)
    density = round(connections / len(systems), 2) if systems else None
    manual = sorted(f.flow for f in e.flows if f.mode == "manual")
    isolated = sorted(s for s in systems if s not in connected
                      and not g.nodes[s].get("standalone"))
    order = ("invest", "tolerate", "migrate", "eliminate", "unset")
    facts = [Fact(topic="systems", text=(
        f"{_plural(len(systems), 'system')} linked by {_plural(connections, 'connection')} "
        f"({density if density is not None else 0:g} per system)."))]
    hubs = e.with_role(*HUB_ROLES)
    facts.append(Fact(topic="hubs", text=(
        f"Systems of record and CDPs: {names(g, hubs)}." if hubs
        else "No system of record or CDP is declared."), items=tuple(hubs)))
    retiring = by_life.get("migrate", []) + by_life.get("eliminate", [])
    if retiring:
        facts.append(Fact(topic="lifecycle", text=(
            f"Marked for migration or retirement: {names(g, sorted(retiring))}."),
            items=tuple(sorted(retiring))))
    for dup in dups:
        facts.append(Fact(topic="duplicates", text=(
            f"{dup.name} is provided by {_plural(len(dup.providers), 'system')}: "
            f"{names(g, dup.providers)}."), items=(dup.capability, *dup.providers)))
    if manual:
        # Thousands of hand-fed flows on a large estate, between far fewer systems.
        called = {n: name(g, n) for n in {end for f in e.flows if f.mode == "manual"
                                          for end in (f.source, f.target)}}
        ends = [f"{called[f.source]} → {called[f.target]}" for f in e.flows
                if f.mode == "manual"]
        facts.append(Fact(topic="manual", text=(
            f"{_plural(len(manual), 'feed')} moved by hand: {', '.join(sorted(ends))}."),
            items=tuple(manual)))
    if isolated:
        facts.append(Fact(topic="isolated", text=(
            f"Connected to nothing: {names(g, isolated)}."), items=tuple(isolated)))
    return (TechnologiesState(
        by_role=tuple(RoleSystems(role=r, systems=tuple(s)) for r, s in sorted(by_role.items())),
        by_lifecycle=tuple(LifecycleSystems(lifecycle=lc, systems=tuple(by_life[lc]))
                           for lc in order if lc in by_life),
        duplicates=tuple(dups), systems=len(systems), connections=connections, density=density,
        manual_feeds=tuple(manual), isolated=tuple(isolated)), facts)
