"""How long does the report take? Times each stage of `auditor report` on the bundled demo.

Run: .venv/bin/python benchmarks/report_time.py [AUDIT] [--runs N]

Prints the median wall-clock and CPU seconds of: the assessment, the report data, the
ecosystem diagram (the real `dot`), the HTML, the PDF (WeasyPrint layout and writing), and the
Markdown, plus the PDF's page count. CPU time is the steadier figure on a busy machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def measure(label: str, func: Callable[[], Any], runs: int) -> Any:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"{label:<28} {statistics.median(walls):6.2f} s wall {statistics.median(cpus):6.2f} s cpu")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("audit", nargs="?", default=str(REPO / "examples" / "demo.audit.yaml"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import weasyprint  # imported up front: its import (about 0.7 s) is not the report's cost

    from auditor.analysis.assess import analyse
    from auditor.render.report.ecosystem import draw_ecosystem
    from auditor.render.report.html import render_html
    from auditor.render.report.markdown import render_markdown
    from auditor.render.report.pdf import write_pdf
    from auditor.render.report.theme import default_theme
    from auditor.render.report.view import build_view
    from auditor.store.audit_file import load_audit

    audit = load_audit(Path(args.audit))
    runs = args.runs
    analysis = measure("analysis (graph, rules, scores)", lambda: analyse(audit), runs)
    view = measure("report data", lambda: build_view(analysis, default_theme(),
                                                     dt.date(2026, 11, 27)), runs)
    ecosystem = measure("ecosystem diagram (dot)", lambda: draw_ecosystem(analysis), runs)
    view = view.with_ecosystem(ecosystem)
    measure("HTML", lambda: render_html(view, "html"), runs)
    document = render_html(view, "pdf")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "report.pdf"
        assets = (REPO / "reports",)
        measure("PDF (WeasyPrint)", lambda: write_pdf(document, target, assets, ()), runs)
        pages = len(weasyprint.HTML(string=document, base_url=assets[0].as_uri() + "/").render()
                    .pages)
    measure("Markdown", lambda: render_markdown(view, "ecosystem.svg"), runs)
    print(f"PDF pages: {pages}; python {sys.version.split()[0]}, WeasyPrint {weasyprint.__version__}")


if __name__ == "__main__":
    main()
