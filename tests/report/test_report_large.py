"""A large ecosystem: the report shows the aggregated diagram (an overview by role and a
detail view for each role that holds what a root cause is about) rather than one unreadable
picture, and the target ecosystem as an overview."""

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
    figures = html.count('<figure class="diagram"')
    roles = {s.id: s.roles[0] for s in audit.inventory.systems}
    a = out.assessment
    concerned = {roles[s] for c in a.root_causes for s in c.subjects if s in roles}
    assert concerned and len(concerned) < len(set(roles.values()))  # some roles left out
    target = 1 if a.roadmap is not None and a.roadmap.additions else 0
    assert figures == 1 + len(concerned) + target
    assert "Overview: one box per role" in html
    for role in concerned:
        assert f'data-diagram-group="{role}"' in html
    assert "200 systems in use" in html
