"""``analyse(audit, plans=False)``: the assessment without its roadmap and blueprint, for the
commands that show only findings, root causes and rule statuses (``gaps``, ``rules``). All
the rest is the same as the full analysis, and the report refuses such an analysis."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditor.analysis.assess import analyse
from auditor.errors import RenderError
from auditor.render.report import render_report
from auditor.store.audit_file import load_audit

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.audit.yaml"
TODAY = dt.date(2026, 11, 27)


def test_without_plans_everything_else_is_the_same():
    audit = load_audit(DEMO)
    full = analyse(audit, as_of=TODAY)
    lean = analyse(audit, as_of=TODAY, plans=False)
    assert full.plans and not lean.plans
    assert full.assessment.roadmap is not None and full.assessment.blueprint is not None
    assert lean.assessment.roadmap is None and lean.assessment.blueprint is None
    keep = {"roadmap", "blueprint"}
    assert (lean.assessment.model_dump_json(exclude=keep)
            == full.assessment.model_dump_json(exclude=keep))


def test_the_report_needs_the_plans(tmp_path):
    lean = analyse(load_audit(DEMO), as_of=TODAY, plans=False)
    with pytest.raises(RenderError, match="plans"):
        render_report(lean, tmp_path / "out", ("html",))
    assert not (tmp_path / "out").exists()
