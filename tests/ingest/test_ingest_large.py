"""A 5,000-row import is correct (timings are in benchmarks/run.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from auditor.ingest.export import write_workbook
from auditor.ingest.importer import import_file
from auditor.schema.audit import Audit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_inventory import synthetic  # noqa: E402


def test_five_thousand_rows(tmp_path: Path) -> None:
    source = synthetic(5000)
    path = tmp_path / "big.xlsx"
    write_workbook(path, source)
    empty = Audit.model_validate({"client": {"name": "Big"}})
    result = import_file(path, empty)
    added = sum(c.added for c in result.changes.values())
    assert added == 5001  # 5,000 rows plus the channel they use
    assert result.audit.inventory.model_dump() == source.inventory.model_dump()
    again = import_file(path, result.audit)
    assert not again.changed
