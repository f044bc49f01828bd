"""The demo's report, rendered once per session in every format."""

from __future__ import annotations

import pytest
from report_helpers import REPO, Rendered, render

from auditor.store.audit_file import load_audit


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory) -> Rendered:
    audit = load_audit(REPO / "examples" / "demo.audit.yaml")
    return render(audit, tmp_path_factory.mktemp("demo-report"))

