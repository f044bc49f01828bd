"""Fixtures for interview tests: fresh audits in tmp dirs and real prompts fed by pipe input."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from auditor.content import set_overrides
from auditor.interview.respondents import add_respondent
from auditor.store.audit_file import open_audit, save_audit
from auditor.store.new_audit import create_audit


@pytest.fixture(autouse=True)
def _no_content_overrides() -> Iterator[None]:
    # --content is process-wide state; a test that sets it must not leak into the next one.
    yield
    set_overrides([])


@pytest.fixture
def audit_path(tmp_path: Path) -> Path:
    """A new audit with two respondents, written by the real `new` code path."""
    path = tmp_path / "acme.audit.yaml"
    create_audit(path, "Acme Retail")
    doc = open_audit(path)
    add_respondent(doc.audit, "Dana Ortiz", "Head of Service", "Service")
    add_respondent(doc.audit, "Sam Lee", "CIO", "IT")
    save_audit(doc)
    return path


@pytest.fixture
def screen() -> Console:
    """What the interview prints, at 80 columns, without colour codes."""
    return Console(file=io.StringIO(), width=80, color_system=None, highlight=False)
