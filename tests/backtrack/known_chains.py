"""A synthetic ecosystem whose backtracking answers are known, at any size.

The timing of backtracking lives in benchmarks/run.py (its "backtracking" stage); this builder
serves the tests, which check answers. The synthetic ecosystem has K capabilities, each with its own provider and its own datum
mastered by its own source system, and a ring of relay systems (a cycle in the flow graph)
carrying every datum. Capability j is built so its chain has a known outcome:

- j % 5 == 4: no system provides it (missing-capability);
- j % 3 == 0: source → three hops round the relay ring → provider, daily at worst (ok);
- j % 3 == 1: the source sends nothing (missing-flow);
- j % 3 == 2: a weekly manual export straight to the provider (too-slow for a daily need).
"""

from __future__ import annotations

from typing import Any

from auditor.schema.audit import Audit


def expected_status(j: int) -> str:
    """The chain status capability ``cap-j`` must get (see the module docstring)."""
    if j % 5 == 4:
        return "missing"
    return {0: "ok", 1: "missing", 2: "partial"}[j % 3]


def synthetic_audit(segments: int, needs_per_segment: int, capabilities: int = 30,
                    relays: int = 20) -> Audit:
    systems: list[dict[str, Any]] = [{"id": "hub", "name": "Hub", "roles": ["system-of-record"]}]
    flows: list[dict[str, Any]] = []
    data = [{"id": f"d-{j}", "name": f"Datum {j}", "class": "profile"}
            for j in range(capabilities)]
    caps = [{"id": f"cap-{j}", "name": f"Capability {j}", "requires": [f"d-{j}"]}
            for j in range(capabilities)]
    # Capability j's datum enters the ring at relay j % relays and leaves three hops later, so
    # ring flow r carries the data entering at r, r-1 and r-2 (input size stays linear).
    carried: dict[int, list[str]] = {r: [] for r in range(relays)}
    for j in range(0, capabilities, 3):
        for step in range(3):
            carried[(j + step) % relays].append(f"d-{j}")
    for r in range(relays):
        systems.append({"id": f"relay-{r}", "name": f"Relay {r}", "roles": ["integration"]})
        flows.append({"id": f"ring-{r}", "source": f"relay-{r}",
                      "target": f"relay-{(r + 1) % relays}", "data": sorted(set(carried[r])),
                      "mode": "batch", "frequency": "hourly"})
    for j in range(capabilities):
        provides = [] if j % 5 == 4 else [f"cap-{j}"]
        systems.append({"id": f"prov-{j}", "name": f"Provider {j}", "roles": ["service-desk"],
                        "capabilities": provides})
        systems.append({"id": f"src-{j}", "name": f"Source {j}", "roles": ["commerce"],
                        "masters": [f"d-{j}"]})
        if j % 3 == 0:
            flows.append({"id": f"in-{j}", "source": f"src-{j}", "target": f"relay-{j % relays}",
                          "data": [f"d-{j}"], "mode": "batch", "frequency": "daily"})
            flows.append({"id": f"out-{j}", "source": f"relay-{(j + 3) % relays}",
                          "target": f"prov-{j}", "data": [f"d-{j}"], "mode": "real-time"})
        elif j % 3 == 2:
            flows.append({"id": f"export-{j}", "source": f"src-{j}", "target": f"prov-{j}",
                          "data": [f"d-{j}"], "mode": "manual", "frequency": "weekly"})
    segs = [{"id": f"seg-{s}", "name": f"Segment {s}", "kind": "community", "size": 100 + s}
            for s in range(segments)]
    needs = [{"id": f"need-{s}-{i}", "name": f"Need {i} of segment {s}", "segment": f"seg-{s}",
              "max_latency": "daily", "capabilities": [f"cap-{(s * 7 + i) % capabilities}"]}
             for s in range(segments) for i in range(needs_per_segment)]
    return Audit.model_validate({
        "client": {"name": "Synthetic"},
        "inventory": {"systems": systems, "flows": flows, "data": data, "capabilities": caps},
        "vision": {"segments": segs, "needs": needs},
    })
