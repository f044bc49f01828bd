"""The slots a target-state statement can use, filled from one client's audit.

A statement in ``blueprints/target-states.yaml`` such as "{conversation_systems} feed the
{hub} profile" becomes "Zendesk Suite and Five9 contact centre feed the Twilio Segment
profile". Each slot is a list of ids (shown as names, joined with 'and'); an empty slot makes
the statement fall back to its ``otherwise`` text, or drop out. Systems marked ``migrate`` or
``eliminate`` are left out of every slot except ``retiring``: a target never builds on them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from auditor.analysis.current_state import name, outbound_senders
from auditor.catalogue.wording import join_words
from auditor.schema.blueprint import JourneysState, PersonState, SkillsState, TechnologiesState

if TYPE_CHECKING:
    import networkx as nx

    from auditor.graph.index import GraphIndex

RETIRING = ("migrate", "eliminate")
Slots = dict[str, tuple[str, ...]]


class SlotFiller:
    """Computes every slot once for one audit."""

    def __init__(self, g: nx.MultiDiGraph, person: PersonState, journeys: JourneysState,
                 skills: SkillsState, tech: TechnologiesState, busy: list[str],
                 index: GraphIndex | None = None) -> None:
        from auditor.graph.index import GraphIndex

        self.g = g
        self.e = index if index is not None else GraphIndex(g)
        self.person, self.journeys, self.skills, self.tech = person, journeys, skills, tech
        self.busy = busy
        # flow id -> (source, target), to name manual feeds 'A → B'.
        self.flow_ends = {f.flow: (f.source, f.target) for f in self.e.flows if f.flow}

    def live(self, systems: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        return tuple(s for s in sorted(set(systems))
                     if self.g.nodes[s].get("lifecycle") not in RETIRING)

    def role(self, *roles: str) -> tuple[str, ...]:
        return self.live(self.e.with_role(*roles))

    def serving(self, style: str) -> tuple[str, ...]:
        g, e = self.g, self.e
        return self.live([s for t in e.nodes_of("touchpoint") if g.nodes[t].get("style") == style
                          for s in e.in_typed(t, "serves")])

    def hub(self) -> tuple[str, ...]:
        cdp = self.role("cdp")
        if cdp:
            return cdp[:1]
        records = self.role("system-of-record")
        invest = [s for s in records if self.g.nodes[s].get("lifecycle") == "invest"]
        return tuple(invest or records)[:1]

    def fill(self) -> Slots:
        g, e = self.g, self.e
        hub = self.hub()
        consent_masters = {m for c in self.person.consent for m in c.masters}
        fillers: dict[str, Callable[[], tuple[str, ...]]] = {
            "hub": lambda: hub,
            "records": lambda: self.role("system-of-record"),
            "engagement": lambda: tuple(s for s in self.role("system-of-engagement",
                                                             "marketing-automation")
                                        if s not in hub),
            "person_masters": lambda: self.live(self.person.identity_masters),
            "unresolved_masters": lambda: self.live(self.person.unresolved),
            "conflicting_data": lambda: tuple(r.datum for r in self.person.attributes if r.conflict),
            "consent_masters": lambda: self.live([m for c in self.person.consent for m in c.masters]),
            "senders": lambda: tuple(s for s in self.live(outbound_senders(g, e))
                                     if s not in consent_masters),
            "busy_channels": lambda: tuple(self.busy),
            "conversation_systems": lambda: tuple(
                s for s in self.live([*self.serving("two-way"), *self.role(
                    "service-desk", "communications-platform")]) if s not in hub),
            "status_sources": lambda: self.live([m for d in e.nodes_of("data")
                                                 if g.nodes[d].get("data_class") == "status"
                                                 for m in e.in_typed(d, "masters")]),
            "journeys": lambda: tuple(e.nodes_of("journey")),
            "unowned_stages": lambda: tuple(r.stage for r in self.journeys.stages
                                            if "no-owner" in r.gaps),
            "unmeasured_stages": lambda: tuple(r.stage for r in self.journeys.stages
                                               if "no-measure" in r.gaps),
            "participation": lambda: self.live([*self.serving("participation"),
                                                *self.role("community")]),
            "skill_gaps": lambda: self.live([r.system for r in self.skills.systems if r.missing]),
            "key_person_skills": lambda: tuple(sorted({f"skill:{k.skill}"
                                                       for k in self.skills.key_person_risks})),
            "agency_systems": lambda: self.live([
                s for s in e.nodes_of("system")
                if (teams := [t for t in e.in_typed(s, "owns")
                              if g.nodes[t].get("kind") == "team"])
                and all(g.nodes[t].get("external") for t in teams)]),
            "sponsor": lambda: tuple(t for t in e.nodes_of("team") if g.nodes[t].get("executive")),
            "unowned_systems": lambda: self.live([s for s in e.nodes_of("system")
                                                  if not e.in_typed(s, "owns")]),
            "duplicates": lambda: tuple(d.capability for d in self.tech.duplicates),
            # A feed to or from a system being retired goes with it rather than being automated.
            "manual_feeds": lambda: tuple(
                f for f in self.tech.manual_feeds
                if f not in self.flow_ends or len(self.live(self.flow_ends[f])) == 2),
            "integration": lambda: self.role("integration"),
            "orchestrator": lambda: self.role("orchestration"),
            "retiring": lambda: tuple(s for s in e.nodes_of("system")
                                      if g.nodes[s].get("lifecycle") in RETIRING),
            "advertising": lambda: self.role("advertising"),
        }
        return {slot: fill() for slot, fill in fillers.items()}

    def words(self, ids: tuple[str, ...]) -> str:
        """Names joined with commas and 'and'; flows shown as 'A → B'."""
        shown = []
        for i in ids:
            if i in self.g:
                shown.append(name(self.g, i))
                continue
            flow = self.flow_ends.get(i)
            shown.append(f"{name(self.g, flow[0])} → {name(self.g, flow[1])}" if flow else i)
        return join_words(shown)

