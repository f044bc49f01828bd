"""Opening an audit with its answers held to the question banks.

The store checks an audit's structure and references; it knows no question banks (they are
content, a layer above it). These are the store's ``validate_file``, ``open_audit`` and
``load_audit`` with one more check: every answer is checked against the loaded banks, as
``auditor.interview.answer_checks`` describes. The command line and the public API use these,
so a hand-edited answer meets the same bar as one typed in the interview.
"""

from __future__ import annotations

from pathlib import Path

from auditor.catalogue import load_catalogue
from auditor.interview.answer_checks import check_answers
from auditor.problems import Problem
from auditor.schema.audit import Audit
from auditor.store import audit_file
from auditor.store.audit_file import AuditDocument, ValidationReport


def answers_fit_banks(audit: Audit) -> list[Problem]:
    """Answers whose question is unknown or whose value does not fit its question."""
    return check_answers(audit, load_catalogue().questions)


def validate_file(path: Path | str) -> ValidationReport:
    """Structure, references and answers of ``path``: every problem at once."""
    return audit_file.validate_file(path, answers_fit_banks)


def open_audit(path: Path | str) -> AuditDocument:
    """A valid audit for reading and saving (answers checked on every save too)."""
    return audit_file.open_audit(path, answers_fit_banks)


def load_audit(path: Path | str) -> Audit:
    """The valid audit in ``path``, read only."""
    return audit_file.load_audit(path, answers_fit_banks)
