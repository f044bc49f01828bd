"""A consultant's portfolio: each client's question and component scores against the others.

For every question, component and the overall level: the median, the quartiles and the range
over the clients that have a score, each client's rank (1 is highest; ties share a rank), and
the same distribution per industry where an industry has at least ``min_industry`` clients
(fewer would let a reader work out who is who). Clients are anonymised as "Client A", "Client
B"… in the order of their audits' fingerprints (not of their names or files), unless
``named`` is set.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from auditor.analysis.scoring import one_decimal
from auditor.schema.assessment import Assessment
from auditor.schema.progress import Benchmark, BenchmarkClient, Distribution, Measure, Standing

MIN_INDUSTRY = 3


@dataclass(frozen=True)
class Entry:
    """One audit of the portfolio: where it was read from, its industry and its assessment."""

    source: Path
    industry: str | None
    assessment: Assessment


def _label(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Client {letters}"


def distribution(values: Sequence[float]) -> Distribution:
    if not values:
        return Distribution(n=0)
    ordered = sorted(values)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    return Distribution(n=len(ordered), median=one_decimal(statistics.median(ordered)),
                        q1=one_decimal(q1), q3=one_decimal(q3), low=ordered[0], high=ordered[-1])


def industry_key(industry: str | None) -> str | None:
    """'Retail (direct to consumer)' and 'retail' are one industry: the words before any
    bracket, in lower case."""
    head = (industry or "").split("(", 1)[0].strip().casefold()
    return head or None


def _ranks(values: dict[str, float | None]) -> dict[str, int]:
    """Competition ranking: 1 for the highest; equal values share the better rank."""
    scored = sorted((v, c) for c, v in values.items() if v is not None)
    out: dict[str, int] = {}
    for client, value in values.items():
        if value is not None:
            out[client] = 1 + sum(1 for v, _ in scored if v > value)
    return out


def benchmark(entries: Sequence[Entry], *, named: bool = False,
              min_industry: int = MIN_INDUSTRY) -> Benchmark:
    ordered = sorted(entries, key=lambda e: (e.assessment.audit.fingerprint, str(e.source)))
    labels = {id(e): (e.assessment.client if named else _label(i)) for i, e in enumerate(ordered)}
    if named and len(set(labels.values())) < len(labels):
        # Two audits of one client (or two clients of one name): the file tells them apart.
        labels = {id(e): f"{e.assessment.client} ({e.source.name})" for e in ordered}
    clients = tuple(BenchmarkClient(label=labels[id(e)], industry=e.industry,
                                    fingerprint=e.assessment.audit.fingerprint,
                                    source=str(e.source) if named else "") for e in ordered)
    measures: list[Measure] = []
    rows: list[tuple[str, str, str, dict[str, float | None]]] = []
    question_ids: dict[str, str] = {}
    for e in ordered:
        for q in e.assessment.scores.questions:
            question_ids.setdefault(q.question, q.title)
    for qid in sorted(question_ids, key=lambda q: (int("".join(c for c in q if c.isdigit()) or 0), q)):
        rows.append((qid, question_ids[qid], "question", {
            labels[id(e)]: next((q.score for q in e.assessment.scores.questions
                                 if q.question == qid), None) for e in ordered}))
    component_ids: dict[str, str] = {}
    for e in ordered:
        for c in e.assessment.scores.components:
            component_ids.setdefault(c.component, c.name)
    for cid, name in component_ids.items():
        rows.append((cid, name, "component", {
            labels[id(e)]: next((c.score for c in e.assessment.scores.components
                                 if c.component == cid), None) for e in ordered}))
    rows.append(("overall", "Overall", "overall",
                 {labels[id(e)]: e.assessment.scores.overall for e in ordered}))
    industry_of = {labels[id(e)]: industry_key(e.industry) for e in ordered}
    for mid, name, kind, values in rows:
        present = [v for v in values.values() if v is not None]
        ranks = _ranks(values)
        by_industry: dict[str, list[float]] = defaultdict(list)
        for client, value in values.items():
            industry = industry_of[client]
            if value is not None and industry:
                by_industry[industry].append(value)
        measures.append(Measure(
            id=mid, name=name, kind=kind,
            all=distribution(present),
            by_industry={ind: distribution(vals) for ind, vals in sorted(by_industry.items())
                         if len(vals) >= min_industry},
            standings=tuple(Standing(client=c, value=v, rank=ranks.get(c), of=len(present))
                            for c, v in values.items())))
    return Benchmark(clients=clients, measures=tuple(measures), named=named,
                     min_industry=min_industry)
