"""Fixtures for the import/export tests: audits on disk and a helper to build workbooks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from auditor.store.new_audit import create_audit

HERE = Path(__file__).resolve().parent
HARBOUR = HERE / "data" / "harbour.audit.yaml"
ARCHISURANCE = HERE.parent / "data" / "archimate" / "archisurance.xml"


@pytest.fixture
def harbour(tmp_path: Path) -> Path:
    """A private copy of the rich fixture audit (every kind, nested lists, awkward text)."""
    target = tmp_path / "harbour.audit.yaml"
    target.write_bytes(HARBOUR.read_bytes())
    return target


@pytest.fixture
def empty_audit(tmp_path: Path) -> Path:
    path = tmp_path / "acme.audit.yaml"
    create_audit(path, "Acme")
    return path


@pytest.fixture
def archisurance() -> Path:
    assert ARCHISURANCE.is_file(), f"the ArchiMate test model is missing: {ARCHISURANCE}"
    return ARCHISURANCE


Sheets = dict[str, Sequence[Sequence[Any]]]


@pytest.fixture
def make_workbook(tmp_path: Path) -> Callable[..., Path]:
    """Write a workbook from {sheet: rows} with openpyxl, as a client's tool would."""

    def make(sheets: Sheets, name: str = "inventory.xlsx") -> Path:
        from openpyxl import Workbook

        book = Workbook()
        first = True
        for title, rows in sheets.items():
            ws = book.active if first else book.create_sheet(title)
            assert ws is not None
            ws.title = title
            first = False
            for row in rows:
                ws.append(list(row))
        path = tmp_path / name
        book.save(path)
        return path

    return make


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """The real CLI entry point, in this process (cheaper than ``run_cli`` for many cases)."""
    from auditor.cli import console, main

    def run(*args: str) -> Result:
        capsys.readouterr()
        console.refresh()  # bind the consoles to the captured streams
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run
