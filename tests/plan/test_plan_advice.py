"""Advice a consultant signs: the roadmap and the blueprint in names, dismissals respected,
retiring systems named only where they are the subject, plans that rely on them not counted."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from auditor.analysis.assess import analyse
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
E_AUDITS = ("e1-harbour-pine", "e2-lakeside-university", "e3-riverbend-food-bank")
REMEDY_ID = re.compile(r"\bR\d{2}\b")


@pytest.mark.parametrize("command", ["roadmap", "blueprint"])
def test_plan_text_names_remedies_by_title_never_by_id(run_cli: Callable, command: str) -> None:
    for name in E_AUDITS:
        result = run_cli(command, str(EXAMPLES / f"{name}.audit.yaml"))
        assert result.code == 0, result.err
        assert not REMEDY_ID.findall(result.out), (name, REMEDY_ID.findall(result.out)[:5])
        assert all(len(line) <= 80 for line in result.out.splitlines())


def test_roadmap_text_leads_with_titles_and_keeps_ids_in_json(run_cli: Callable) -> None:
    path = str(EXAMPLES / "e3-riverbend-food-bank.audit.yaml")
    out = run_cli("roadmap", path).out
    assert "  Appoint an executive sponsor and a steering group high" in out
    assert '"remedy": "R01"' in run_cli("roadmap", path, "--json").out


def test_demo_phase_table_lists_titles() -> None:
    from auditor.cli.plan_view import render_phase_table

    plan = analyse(load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")).assessment.roadmap
    assert plan is not None
    buffer = io.StringIO()
    render_phase_table(plan, Console(file=buffer, width=200, no_color=True))
    text = buffer.getvalue()
    assert not REMEDY_ID.findall(text)
    assert "Name owners for systems, stages and data" in text
