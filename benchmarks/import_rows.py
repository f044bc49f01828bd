"""How long importing a large inventory takes: a 5,000-row workbook into a new audit.

Prints figures; asserts nothing. Run with:  .venv/bin/python benchmarks/import_rows.py [ROWS]
Stages: writing the workbook (export code), reading + validating + merging it, and saving
the audit file (YAML render, re-validation, atomic write).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from auditor.ingest.export import write_workbook
from auditor.ingest.importer import import_file
from auditor.schema.audit import Audit
from auditor.store.audit_file import open_audit, save_audit
from auditor.store.new_audit import create_audit


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


def main(rows: int = 5000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        workbook = Path(folder) / "inventory.xlsx"
        target = Path(folder) / "bench.audit.yaml"
        started = time.perf_counter()
        write_workbook(workbook, synthetic(rows))
        written = time.perf_counter()
        create_audit(target, "Benchmark")
        doc = open_audit(target)
        before = time.perf_counter()
        result = import_file(workbook, doc.audit)
        imported = time.perf_counter()
        doc.audit = result.audit
        save_audit(doc)
        saved = time.perf_counter()
        added = sum(c.added for c in result.changes.values())
        print(f"rows imported        {added:>8}")
        print(f"write workbook       {written - started:>8.2f} s")
        print(f"read+validate+merge  {imported - before:>8.2f} s")
        print(f"save audit file      {saved - imported:>8.2f} s")
        print(f"import total         {saved - before:>8.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
