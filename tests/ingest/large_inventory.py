"""A large inventory for the import tests: any number of rows, all cross-referenced.

(Import timings are in benchmarks/run.py.)
"""

from __future__ import annotations

from auditor.schema.audit import Audit


def synthetic(rows: int) -> Audit:
    """``rows`` items spread over systems, flows, data and touchpoints, all cross-referenced."""
    systems = rows // 4
    data = rows // 4
    flows = rows // 4
    touchpoints = rows - systems - data - flows
    return Audit.model_validate({
        "client": {"name": "Benchmark"},
        "inventory": {
            "systems": [{"id": f"sys-{i}", "name": f"System {i}", "roles": ["other"],
                         "masters": [f"data-{i % data}"]} for i in range(systems)],
            "data": [{"id": f"data-{i}", "name": f"Data {i}", "class": "profile"}
                     for i in range(data)],
            "flows": [{"id": f"flow-{i}", "source": f"sys-{i % systems}",
                       "target": f"sys-{(i + 1) % systems}", "data": [f"data-{i % data}"],
                       "mode": "batch", "frequency": "daily"} for i in range(flows)],
            "channels": [{"id": "web", "name": "Web", "kind": "web"}],
            "touchpoints": [{"id": f"tp-{i}", "name": f"Touchpoint {i}", "style": "two-way",
                             "channel": "web", "systems": [f"sys-{i % systems}"]}
                            for i in range(touchpoints)],
        },
    })
