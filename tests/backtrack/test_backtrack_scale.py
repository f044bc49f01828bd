"""Fifty segments with twenty needs each over an ecosystem with a cycle: every chain gets the
outcome the synthetic ecosystem was built for, and the to-build list is deduplicated.
Timing lives in benchmarks/run.py; this test checks answers only."""

from __future__ import annotations

from collections import defaultdict
from types import ModuleType

from auditor.backtracking import backtrack
from auditor.catalogue.settings import BacktrackSettings

CAPS = 30


def test_fifty_segments_many_needs(scaling: ModuleType, settings: BacktrackSettings) -> None:
    audit = scaling.synthetic_audit(50, 20, capabilities=CAPS, relays=20)
    result = backtrack(audit, settings=settings)
    assert len(result.chains) == 1000
    used: dict[int, set[str]] = defaultdict(set)
    for chain in result.chains:
        j = int(chain.capability.removeprefix("cap-"))
        used[j].add(chain.need)
        assert chain.status == scaling.expected_status(j), (chain.need, chain.capability)
        if chain.status == "ok":
            (link,) = chain.links[1:]
            # source → ring entry → three ring hops → provider
            assert link.path[0] == f"src-{j}" and link.path[-1] == f"prov-{j}"
            assert len(link.path) == 6 and link.latency == 2
    # One item per distinct gap, naming every need it unblocks.
    items = {(i.kind, i.target): i for i in result.to_build}
    expected = set()
    for j in used:
        if j % 5 == 4:
            expected.add(("new-capability", f"cap-{j}"))
        elif j % 3 == 1:
            expected.add(("new-flow", f"src-{j}->prov-{j}"))
        elif j % 3 == 2:
            expected.add(("faster-flow", f"export-{j}"))
    assert set(items) == expected
    for (kind, target), item in items.items():
        j = int(target.split("-")[-1])
        assert set(item.unblocks) == used[j]


def test_results_are_deterministic(scaling: ModuleType, settings: BacktrackSettings) -> None:
    first = backtrack(scaling.synthetic_audit(50, 20), settings=settings).model_dump_json()
    second = backtrack(scaling.synthetic_audit(50, 20), settings=settings).model_dump_json()
    assert first == second
