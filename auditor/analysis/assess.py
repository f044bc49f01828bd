"""The analysis in one call: Audit -> Assessment (scores, findings, root causes, chains,
roadmap and blueprint).

The graph is built once, backtracking is traced once over it, the rules run once (the BKT
rules read that trace), the scores read the findings and the findings are grouped into root
causes. Every command and renderer starts
from here and never recomputes a part.

Pure and deterministic: no timestamps, everything sorted, so the same audit always gives the
same JSON bytes (on the same day: a dismissal with an ``until`` stops counting after it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.analysis.scoring import score_audit
from auditor.schema.assessment import Assessment, AuditStamp
from auditor.schema.audit import Audit
from auditor.store.allocation import collector_paused

if TYPE_CHECKING:
    import networkx as nx

    from auditor.catalogue import Catalogue


@dataclass(frozen=True)
class Analysis:
    """An assessment with what it was computed from, for renderers that also draw the graph."""

    audit: Audit
    graph: nx.MultiDiGraph
    catalogue: Catalogue
    assessment: Assessment
    #: Whether the assessment holds the plans built on the findings (its roadmap and
    #: blueprint); ``analyse(..., plans=False)`` leaves them out (None).
    plans: bool = True


@collector_paused()  # hundreds of thousands of objects on a large estate, no cycles to collect
def analyse(audit: Audit, catalogue: Catalogue | None = None, *,
            include_planned: bool = False, only: set[str] | None = None,
            as_of: dt.date | None = None, plans: bool = True) -> Analysis:
    """Build the graph once, trace the needs once, run every gap rule (or the ids in
    ``only``), score the answers, and plan the roadmap and the blueprint on the findings.

    ``plans=False`` stops before the plans: the assessment's ``roadmap`` and ``blueprint``
    are None and ``Analysis.plans`` says so. For outputs that show only findings, root causes
    and rule statuses (``auditor gaps``, ``auditor rules``); everything else in the
    assessment is the same either way.

    Findings the consultant dismissed (in force on ``as_of``, today by default) stay in
    ``findings`` (the gap list shows them as dismissed) but nothing built on the findings
    counts them: root causes, the roadmap and the blueprint see only the findings that
    stand."""
    from auditor.analysis.dismissals import in_force
    from auditor.analysis.root_causes import IssueLinks, find_root_causes
    from auditor.backtracking import trace
    from auditor.catalogue import load_catalogue
    from auditor.catalogue.wording import terms_for
    from auditor.graph.build import build_graph
    from auditor.graph.index import GraphIndex
    from auditor.rules.engine import PlannedState, relying_on_retiring, run_rules

    catalogue = catalogue if catalogue is not None else load_catalogue()
    graph = build_graph(audit, include_planned=include_planned)
    # One index of today's graph for the trace, the rules, the stage signatures, the roadmap
    # and the blueprint.
    index = GraphIndex(graph)
    chains = trace(audit, graph, catalogue.backtracking, include_planned=include_planned,
                   index=index)
    planned = None
    if not include_planned and has_planned(audit):
        # The same analysis with the plans in place tells which findings a plan closes. A plan
        # that relies on a system on its way out closes nothing: the plans are put in place
        # without it, and once more with it, to say which findings only it would close.
        later = build_graph(audit, include_planned=True)
        everything = PlannedState(later, trace(audit, later, catalogue.backtracking,
                                               include_planned=True))
        relying = relying_on_retiring(audit)
        planned = everything
        if relying:
            sound_audit = without_items(audit, set(relying))
            sound = build_graph(sound_audit, include_planned=True)
            planned = PlannedState(sound, trace(sound_audit, sound, catalogue.backtracking,
                                                include_planned=True),
                                   relying=frozenset(relying), with_relying=everything)
    result = run_rules(audit, graph, catalogue, backtracking=chains,
                       include_planned=include_planned, only=only, planned=planned, index=index)
    set_aside = in_force(audit.dismissals, as_of or dt.date.today())
    standing = [f for f in result.findings if f.key not in set_aside]
    dismissed = [f.key for f in result.findings if f.key in set_aside]
    # Which standing findings are the same issue: the root causes are grouped by these links
    # and the scores weigh what holds a component down by them, so they are made once.
    links = IssueLinks(standing, graph, catalogue)
    causes = find_root_causes(standing, graph, catalogue,
                              terms_for(audit.client, catalogue.wording), links)
    # Evidenced maturity, the roadmap's "why" and the blueprint's blockers are the root
    # causes, not single hits: one real issue holds its component down once. Dismissed
    # findings count in none of them.
    scores = score_audit(audit, standing, catalogue, graph, causes, index, links)
    roadmap = blueprint = None
    if plans:
        from auditor.analysis.blueprint import build_blueprint
        from auditor.analysis.roadmap import causes_from_root_causes, plan_roadmap

        why = causes_from_root_causes(causes, standing)
        roadmap = plan_roadmap(audit, graph, catalogue, standing, result.statuses, chains,
                               scores, why, dismissed, index)
        blueprint = build_blueprint(audit, graph, catalogue, standing, scores, roadmap, why,
                                    index)
    assessment = Assessment(client=audit.client.name, audit=stamp(audit), scores=scores,
                            findings=tuple(result.findings), rules=tuple(result.statuses),
                            root_causes=causes, discussion=tuple(result.discussion),
                            backtracking=chains, roadmap=roadmap, blueprint=blueprint)
    return Analysis(audit=audit, graph=graph, catalogue=catalogue, assessment=assessment,
                    plans=plans)


def assess(audit: Audit, catalogue: Catalogue | None = None, *,
           include_planned: bool = False, only: set[str] | None = None,
           as_of: dt.date | None = None, plans: bool = True) -> Assessment:
    """The assessment of ``audit`` (see ``analyse`` for the graph beside it)."""
    return analyse(audit, catalogue, include_planned=include_planned, only=only,
                   as_of=as_of, plans=plans).assessment


def without_items(audit: Audit, ids: set[str]) -> Audit:
    """A copy of ``audit`` whose inventory leaves out the planned items in ``ids``."""
    inv = audit.inventory
    kept = {section: [i for i in getattr(inv, section)
                      if not (getattr(i, "id", None) in ids
                              and getattr(i, "status", "current") == "planned")]
            for section in type(inv).model_fields}
    return audit.model_copy(update={"inventory": inv.model_copy(update=kept)})


def has_planned(audit: Audit) -> bool:
    """Whether any inventory item is only planned."""
    inv = audit.inventory
    return any(getattr(item, "status", "current") == "planned"
               for section in type(inv).model_fields for item in getattr(inv, section))


def stamp(audit: Audit) -> AuditStamp:
    """Engagement, date and fingerprint: which audit, as of when, byte for byte."""
    answered = [a.at.date() for a in audit.answers if a.at is not None]
    date = max(answered) if answered else audit.engagement.started
    digest = hashlib.sha256(audit.model_dump_json().encode("utf-8")).hexdigest()
    return AuditStamp(engagement=audit.engagement.title, date=date, fingerprint=digest)
