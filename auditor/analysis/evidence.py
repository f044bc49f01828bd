"""Evidenced levels: what the inventory shows, held down by what the analysis found.

The formula (docs/scoring.md), with every number read from ``blueprints/scoring.yaml``:

1. Each stage signature is checked once against the graph (``auditor.analysis.signatures``).
2. A scope (a question, or a component through its questions) *reaches* level L when every one
   of its signatures at levels 1..L holds; it reaches at most its highest signature level, and
   a scope without signatures has no evidenced level.
3. The root causes with findings in the scope's component hold it down: each takes off the
   weight of the severity of its most severe finding there, once however many hits it
   explains (``holders_from_root_causes``), in total at most ``max_penalty``.
4. evidenced = max(0, reached - penalty), rounded half up to one decimal.

The penalty of a component is the heaviest set of its findings of which no two are linked as
the same issue (root causes are the connected components of those links). A new finding only
adds a member and links to that graph, so the heaviest such set never shrinks: the evidenced
level never rises with a new finding, even one that joins two root causes or takes the lead of
one, and never falls when one is closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from auditor.analysis.signatures import SIGNATURES
from auditor.catalogue.wording import in_client_words
from auditor.errors import ContentError
from auditor.graph.index import GraphIndex
from auditor.schema.assessment import (
    SEVERITY_RANK,
    EvidencedLevel,
    Finding,
    RootCause,
    SignatureCheck,
)
from auditor.schema.catalogue import ScoringCatalogue, Signature

if TYPE_CHECKING:
    import networkx as nx

    from auditor.analysis.root_causes import IssueLinks
    from auditor.catalogue import Catalogue


@dataclass(frozen=True)
class Holder:
    """What holds a component down: a root cause, in one of the components its findings fall
    in, counted once per separate issue among them (``issues``, their severities; nearly
    always one)."""

    key: str
    component: str
    severity: str
    message: str
    issues: tuple[str, ...] = ()

    @property
    def counted(self) -> tuple[str, ...]:
        return self.issues or (self.severity,)


def _ranked(holders: Iterable[Holder]) -> list[Holder]:
    """Most severe first, then the one counting more issues, then by key: deterministic."""
    return sorted(holders, key=lambda h: (-SEVERITY_RANK[h.severity], -len(h.counted), h.key,
                                          h.component))


def holders_from(findings: Iterable[Finding]) -> list[Holder]:
    """Each finding as its own holder (for callers with findings but no root causes)."""
    return _ranked(Holder(f.key, f.component, f.severity, f.message) for f in findings)


def holders_from_root_causes(causes: Iterable[RootCause], findings: Sequence[Finding],
                             links: IssueLinks, scoring: ScoringCatalogue) -> list[Holder]:
    """The root causes as holders, most severe first (docs/scoring.md, "Penalty").

    A root cause holds down every component its findings fall in, once, at the severity of its
    most severe finding there: a real issue counts once however many rule hits it explains.
    Only when its findings in that component are separate issues (no two linked; they were
    joined through findings elsewhere) does it count each of them, the heaviest such set. That
    is what keeps the level monotonic: a new finding can join two root causes into one, or
    become a cause's lead and move it to another component, and neither may raise a level."""
    by_key = {f.key: f for f in findings}
    out = []
    for cause in causes:
        parts: dict[str, list[Finding]] = {}
        for key in cause.findings:
            f = by_key[key]
            parts.setdefault(f.component, []).append(f)
        for component, members in parts.items():
            chosen = heaviest_separate(members, links, scoring)
            out.append(Holder(cause.key, component, chosen[0].severity, cause.headline,
                              tuple(f.severity for f in chosen)))
    return _ranked(out)


class Links(Protocol):
    """Which findings are the same issue (``auditor.analysis.root_causes.IssueLinks``)."""

    def linked(self, a: Finding, b: Finding) -> bool: ...

    def all_linked(self, findings: Sequence[Finding]) -> bool: ...


def heaviest_separate(members: Sequence[Finding], links: Links,
                      scoring: ScoringCatalogue) -> list[Finding]:
    """The heaviest set of ``members`` of which no two are linked, most severe first.

    Usually the members are all linked to one another (one thing, one kind of work) and this is
    the most severe of them. Otherwise, once a set found greedily uses up the whole penalty the
    exact answer cannot count for more; below that, an exact search (a greedy choice alone
    could shrink when a finding is added, and the level must never rise with one)."""
    weight = scoring.evidence.weight
    ordered = sorted(members, key=lambda f: (-SEVERITY_RANK[f.severity], f.key))
    if links.all_linked(ordered):
        return ordered[:1]
    enough = scoring.evidence.max_penalty
    greedy: list[Finding] = []
    for f in ordered:
        if not any(links.linked(f, g) for g in greedy):
            greedy.append(f)
            if sum(weight(g.severity) for g in greedy) >= enough:
                return greedy
    n = len(ordered)
    w = [weight(f.severity) for f in ordered]
    near = [{j for j in range(n) if j != i and links.linked(ordered[i], ordered[j])}
            for i in range(n)]
    memo: dict[frozenset[int], tuple[float, tuple[int, ...]]] = {}

    def best(left: frozenset[int]) -> tuple[float, tuple[int, ...]]:
        if not left:
            return 0.0, ()
        if left not in memo:
            # Branch on the first (most severe) member that has a neighbour left; members
            # without one are always taken.
            free = tuple(i for i in sorted(left) if not near[i] & left)
            rest = left - set(free)
            if not rest:
                memo[left] = (sum(w[i] for i in free), free)
            else:
                v = min(rest)
                with_w, with_v = best(rest - near[v] - {v})
                without_w, without_v = best(rest - {v})
                took = (with_w + w[v], (v, *with_v))
                chosen = took if took[0] >= without_w else (without_w, without_v)
                memo[left] = (chosen[0] + sum(w[i] for i in free),
                              tuple(sorted((*free, *chosen[1]))))
        return memo[left]

    _, picked = best(frozenset(range(n)))
    return [ordered[i] for i in sorted(picked)]


def _joined(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _display_names(index: GraphIndex) -> dict[str, str]:
    """Id -> name for nodes, and 'A → B' for flows (blocking items may be either)."""
    shown = {n: str(a.get("name") or n) for n, a in index.graph.nodes(data=True)}
    for f in index.flows:
        if f.flow:
            shown.setdefault(f.flow, f"{shown[f.source]} → {shown[f.target]}")
    return shown


def requirement(sig: Signature, items: Sequence[str], names: dict[str, str],
                terms: dict[str, str] | None = None) -> str:
    """What the client must do for ``sig``, naming ``items`` when there are any, in the
    client's words (``terms``: 'students' for 'customers')."""
    if items and sig.requires:
        text = sig.requires.replace("{items}", _joined([names.get(i, i) for i in items]))
    else:
        text = sig.requires_new
    return in_client_words(text, terms) if terms else text


def check_signatures(graph: nx.MultiDiGraph, scoring: ScoringCatalogue,
                     terms: dict[str, str] | None = None,
                     index: GraphIndex | None = None) -> tuple[SignatureCheck, ...]:
    """Every signature of the catalogue checked once, in level then file order; what an unmet
    one requires is said in the client's ``terms``."""
    unknown = sorted(s.id for s in scoring.signatures if s.id not in SIGNATURES)
    if unknown:
        raise ContentError(
            f"scoring.yaml lists signature(s) with no check: {', '.join(unknown)}",
            hint="Checks: " + ", ".join(sorted(SIGNATURES)))
    # What several checks read (kinds, typed edges, the flows) is indexed once for them all
    # (``index``: the analysis' own index of ``graph``, when it has one).
    index = index if index is not None else GraphIndex(graph)
    names: dict[str, str] | None = None
    out = []
    for sig in sorted(scoring.signatures, key=lambda s: s.level):
        signal = SIGNATURES[sig.id](index)
        requires = ""
        if not signal.held:
            if names is None and signal.blocking:
                names = _display_names(index)
            requires = requirement(sig, signal.blocking, names or {}, terms)
        out.append(SignatureCheck(
            id=sig.id, level=sig.level, held=signal.held, shows=sig.shows,
            requires=requires, items=() if signal.held else signal.blocking))
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


def penalty(holders: Iterable[Holder], scoring: ScoringCatalogue) -> Decimal:
    """The weights of what the holders count, at most ``max_penalty``; in decimals, so that
    0.25 + 0.25 + 0.25 + 0.1 + 0.1 is 0.95 and 1 - 0.95 rounds up to 0.1 as on paper."""
    weight = scoring.evidence.weight
    total = sum((Decimal(str(weight(s))) for h in holders for s in h.counted), Decimal(0))
    return min(Decimal(str(scoring.evidence.max_penalty)), total)


def evidenced(checks: Sequence[SignatureCheck], holders: Sequence[Holder],
              catalogue: Catalogue) -> EvidencedLevel:
    """The evidenced level of a scope from its signature checks and the holders of its component."""
    from auditor.analysis.scoring import one_decimal

    scoring = catalogue.scoring
    reached = reached_level(checks)
    if reached is None:
        return EvidencedLevel()
    taken = penalty(holders, scoring)
    level = one_decimal(float(max(Decimal(0), reached - taken)))
    return EvidencedLevel(
        reached=reached, penalty=float(taken), level=level, stage=catalogue.stage(level),
        signatures=tuple(c.id for c in checks), holding=tuple(h.key for h in holders),
        **next_stage(level, checks, catalogue))


def next_stage(level: float, checks: Sequence[SignatureCheck],
               catalogue: Catalogue) -> dict[str, object]:
    """The stage after ``level`` and the unmet signatures up to it, in the catalogue's words.
    The root causes in the way are ``holding``; renderers name them from the assessment."""
    following = int(level) + 1
    if following > 4:
        return {"next_stage": None, "next_requires": ()}
    needed: list[str] = []
    for c in sorted(checks, key=lambda c: (c.level, c.id)):
        if not c.held and c.level <= following and c.requires not in needed:
            needed.append(c.requires)
    return {"next_stage": catalogue.scoring.stages[following].name,
            "next_requires": tuple(needed)}


__all__ = ["Holder", "check_signatures", "evidenced", "heaviest_separate", "holders_from",
           "holders_from_root_causes", "next_stage", "penalty", "reached_level", "requirement"]
