"""The analysis in one call: Audit -> Assessment (scores, findings, rule statuses, chains).

Pure and deterministic: no timestamps, everything sorted, so the same audit always gives the
same JSON bytes.
"""

from __future__ import annotations

from auditor.analysis.scoring import score_audit
from auditor.rules.engine import run_rules
from auditor.schema.assessment import Assessment
from auditor.schema.audit import Audit


def assess(audit: Audit, include_planned: bool = False) -> Assessment:
    """Build the graph once, run every gap rule on it, score the answers, trace the needs."""
    from auditor.analysis.backtrack import load_settings, trace
    from auditor.graph.build import build_graph

    graph = build_graph(audit, include_planned=include_planned)
    result = run_rules(audit, graph=graph, include_planned=include_planned)
    scores = score_audit(audit, result.findings)
    chains = trace(audit, graph, load_settings(), include_planned=include_planned)
    return Assessment(client=audit.client.name, scores=scores, findings=tuple(result.findings),
                      rules=tuple(result.statuses), backtracking=chains)
