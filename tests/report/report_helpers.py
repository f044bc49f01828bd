"""Helpers shared by the report tests: render an audit through the library entry point (so
the PDF fetch log is visible), read a PDF's text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from auditor.analysis.assess import analyse
from auditor.render.report import ReportResult, render_report
from auditor.schema.assessment import Assessment
from auditor.schema.audit import Audit

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
REPORT_DATE = dt.date(2026, 11, 27)


@dataclass
class Rendered:
    audit: Audit
    assessment: Assessment
    folder: Path
    result: ReportResult

    def path(self, fmt: str) -> Path:
        return next(f.path for f in self.result.files if f.format == fmt)

    def text(self, fmt: str) -> str:
        return self.path(fmt).read_text(encoding="utf-8")

    @cached_property
    def pages(self) -> list[str]:
        """The PDF's text, page by page (extracted once: pypdf takes seconds on a long PDF)."""
        return pdf_text(self.path("pdf"))


def render(audit: Audit, folder: Path, formats: tuple[str, ...] = ("pdf", "html", "md", "json"),
           theme=None) -> Rendered:
    analysis = analyse(audit)
    result = render_report(analysis, folder, formats, theme, REPORT_DATE)
    return Rendered(audit, analysis.assessment, folder, result)



def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    # On pages that mix the body font with a fallback font (Arabic, Hebrew, emoji), pypdf
    # decodes some runs of the body font as UTF-16 read byte by byte: every character comes
    # out preceded by a NUL. The PDF itself is right (pdftotext reads it cleanly); dropping the
    # NULs gives the text a reader sees.
    return [(page.extract_text() or "").replace("\x00", "") for page in PdfReader(str(path)).pages]


CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
    # Network off: every host resolves to nothing and any proxy lookup goes nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
)


def chromium(page: Path, profile: Path, *args: str, timeout: float = 120) -> str:
    """Run Debian's headless Chromium on ``page`` with a fresh profile; its stdout."""
    import shutil
    import subprocess

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "Chromium is missing: run `make setup` (the Makefile installs it)"
    proc = subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args,
                           page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout
