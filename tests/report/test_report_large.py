"""A large ecosystem: the report shows the aggregated diagram (an overview by role and one
detail view per role) rather than one unreadable picture."""

from __future__ import annotations

import sys
from pathlib import Path

from report_helpers import render

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "diagram"))
from diagram_synthetic import synthetic_ecosystem  # noqa: E402


def test_large_ecosystem_gets_an_overview_and_a_view_per_role(tmp_path):
    audit = synthetic_ecosystem(200)
    out = render(audit, tmp_path, ("html",))
    html = out.text("html")
    figures = html.count("data-diagram>")
    roles = {s.roles[0] for s in audit.inventory.systems}
    assert figures == 1 + len(roles)
    assert "Overview: one box per role" in html
    assert "Customer data platform in detail" in html
    assert "200 systems in use" in html
