"""Evidenced levels: what the inventory shows, held down by what the analysis found.

The formula (docs/scoring.md), with every number read from ``blueprints/scoring.yaml``:

1. Each stage signature is checked once against the graph (``auditor.analysis.signatures``).
2. A scope (a question, or a component through its questions) *reaches* level L when every one
   of its signatures at levels 1..L holds; it reaches at most its highest signature level, and
   a scope without signatures has no evidenced level.
3. The findings of the scope's component hold it down: each takes off the weight of its
   severity, in total at most ``max_penalty``.
4. evidenced = max(0, reached - penalty), rounded half up to one decimal.

Adding a finding can only add to the penalty and closing one can only take from it, so the
evidenced level never rises with a new finding and never falls when one is closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.analysis.signatures import SIGNATURES
from auditor.errors import ContentError
from auditor.schema.assessment import SEVERITY_RANK, EvidencedLevel, Finding, SignatureCheck
from auditor.schema.catalogue import ScoringCatalogue, Signature

if TYPE_CHECKING:
    import networkx as nx

    from auditor.catalogue import Catalogue

#: How many of the findings holding a scope down its next-stage advice names.
HOLDING_NAMED = 3


@dataclass(frozen=True)
class Holder:
    """Something the analysis found that holds a component down (a finding, for now)."""

    key: str
    component: str
    severity: str
    message: str


def holders_from(findings: Iterable[Finding]) -> list[Holder]:
    """The findings as holders, most severe first (then by key: deterministic)."""
    listed = [Holder(f.key, f.component, f.severity, f.message) for f in findings]
    return sorted(listed, key=lambda h: (-SEVERITY_RANK[h.severity], h.key))


def holders_from_root_causes(causes: Iterable[Any]) -> list[Holder]:
    """Root causes (key, component, severity, headline) as holders, most severe first: each
    real issue holds its component down once, however many rule hits it explains."""
    listed = [Holder(c.key, c.component, c.severity, c.headline) for c in causes]
    return sorted(listed, key=lambda h: (-SEVERITY_RANK[h.severity], h.key))


def _joined(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _display_names(g: nx.MultiDiGraph) -> dict[str, str]:
    """Id -> name for nodes, and 'A → B' for flows (blocking items may be either)."""
    shown = {n: str(a.get("name") or n) for n, a in g.nodes(data=True)}
    for u, v, a in g.edges(data=True):
        if a.get("type") == "flows_to" and a.get("flow"):
            shown.setdefault(a["flow"], f"{shown[u]} → {shown[v]}")
    return shown


def requirement(sig: Signature, items: Sequence[str], names: dict[str, str]) -> str:
    """What the client must do for ``sig``, naming ``items`` when there are any."""
    if items and sig.requires:
        return sig.requires.replace("{items}", _joined([names.get(i, i) for i in items]))
    return sig.requires_new


def check_signatures(graph: nx.MultiDiGraph, scoring: ScoringCatalogue) -> tuple[SignatureCheck, ...]:
    """Every signature of the catalogue checked once, in level then file order."""
    unknown = sorted(s.id for s in scoring.signatures if s.id not in SIGNATURES)
    if unknown:
        raise ContentError(
            f"scoring.yaml lists signature(s) with no check: {', '.join(unknown)}",
            hint="Checks: " + ", ".join(sorted(SIGNATURES)))
    names = _display_names(graph)
    out = []
    for sig in sorted(scoring.signatures, key=lambda s: s.level):
        signal = SIGNATURES[sig.id](graph)
        out.append(SignatureCheck(
            id=sig.id, level=sig.level, held=signal.held, shows=sig.shows,
            requires="" if signal.held else requirement(sig, signal.blocking, names),
            items=() if signal.held else signal.blocking))
    return tuple(out)


def reached_level(checks: Sequence[SignatureCheck]) -> int | None:
    """The highest level L such that every check at levels 1..L holds (None without checks)."""
    if not checks:
        return None
    reached = 0
    for level in range(1, max(c.level for c in checks) + 1):
        if not all(c.held for c in checks if c.level == level):
            break
        reached = level
    return reached


def penalty(holders: Iterable[Holder], scoring: ScoringCatalogue) -> float:
    total = sum(scoring.evidence.weight(h.severity) for h in holders)
    return min(scoring.evidence.max_penalty, total)


def evidenced(checks: Sequence[SignatureCheck], holders: Sequence[Holder],
              catalogue: Catalogue) -> EvidencedLevel:
    """The evidenced level of a scope from its signature checks and the holders of its component."""
    from auditor.analysis.scoring import one_decimal

    scoring = catalogue.scoring
    reached = reached_level(checks)
    if reached is None:
        return EvidencedLevel()
    taken = penalty(holders, scoring)
    level = one_decimal(max(0.0, reached - taken))
    return EvidencedLevel(
        reached=reached, penalty=one_decimal(taken), level=level, stage=catalogue.stage(level),
        signatures=tuple(c.id for c in checks), holding=tuple(h.key for h in holders),
        **next_stage(level, checks, holders, catalogue))


def next_stage(level: float, checks: Sequence[SignatureCheck], holders: Sequence[Holder],
               catalogue: Catalogue) -> dict[str, object]:
    """The stage after ``level`` and what it takes: unmet signatures up to it, then the most
    severe findings in the way."""
    following = int(level) + 1
    if following > 4:
        return {"next_stage": None, "next_requires": ()}
    needed: list[str] = []
    for c in sorted(checks, key=lambda c: (c.level, c.id)):
        if not c.held and c.level <= following and c.requires not in needed:
            needed.append(c.requires)
    for h in holders[:HOLDING_NAMED]:
        text = f"Resolve: {h.message}"
        if text not in needed:
            needed.append(text)
    return {"next_stage": catalogue.scoring.stages[following].name,
            "next_requires": tuple(needed)}


__all__ = ["Holder", "check_signatures", "evidenced", "holders_from", "holders_from_root_causes",
           "next_stage",
           "penalty", "reached_level", "requirement"]
