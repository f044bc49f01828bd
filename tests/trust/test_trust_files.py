"""Saves respect the file: read-only audits are refused; -o creates a missing folder."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditor.errors import AuditFileError
from auditor.store.audit_file import open_audit, save_audit

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demo.audit.yaml"


def test_a_read_only_audit_is_refused_with_a_hint(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "acme.audit.yaml"
    assert run_cli("new", "Acme Retail", "-o", str(path)).code == 0
    assert run_cli("respondent", "add", str(path), "Dana Ortiz").code == 0
    path.chmod(0o444)
    before = path.read_bytes()
    for args in (("answer", str(path), "q1.1", "2", "-r", "dana"),
                 ("respondent", "add", str(path), "Sam Lee"),
                 ("new", "Other", "-o", str(path), "--force")):
        run = run_cli(*args)
        assert run.code == 2, args
        assert f"{path} is read-only" in run.err and "chmod u+w" in run.err, args
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_read_only_is_refused_in_the_library_too(tmp_path: Path) -> None:
    # Root may write any file; the tool still treats a file without write bits as read-only.
    path = tmp_path / "a.audit.yaml"
    path.write_text("client: {name: X}\n", encoding="utf-8")
    doc = open_audit(path)
    path.chmod(0o444)
    with pytest.raises(AuditFileError, match="read-only"):
        save_audit(doc)


@pytest.mark.parametrize("command", ["new", "export", "graph", "template"])
def test_output_into_a_missing_folder_creates_it(tmp_path: Path, run_cli, command: str) -> None:
    target = tmp_path / "out" / "deeper"
    if command == "new":
        run = run_cli("new", "Acme", "-o", str(target / "acme.audit.yaml"))
        made = target / "acme.audit.yaml"
    elif command == "export":
        run = run_cli("export", str(EXAMPLE), "-o", str(target / "inventory.xlsx"))
        made = target / "inventory.xlsx"
    elif command == "graph":
        run = run_cli("graph", str(EXAMPLE), "-o", str(target / "ecosystem.dot"))
        made = target / "ecosystem.dot"
    else:
        run = run_cli("template", str(target / "inventory.xlsx"))
        made = target / "inventory.xlsx"
    assert run.code == 0, run.err
    assert made.is_file()
    if made.suffix == ".xlsx":
        load_workbook(made).close()


def test_output_under_a_file_is_a_clear_error(tmp_path: Path, run_cli) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    run = run_cli("new", "Acme", "-o", str(blocker / "acme.audit.yaml"))
    assert run.code == 2 and "Traceback" not in run.err
