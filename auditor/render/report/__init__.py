"""Reports: Assessment + Audit -> PDF, HTML, Markdown and JSON, from templates in reports/.

``render_report`` is the library entry point; ``auditor report`` is a thin shell over it. The
assessment is computed by the caller, once, and every format is rendered from it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from auditor.errors import RenderError, UserError

if TYPE_CHECKING:
    from auditor.analysis.assess import Analysis
    from auditor.render.report.theme import Theme

Format = Literal["pdf", "html", "md", "json"]
FORMATS: tuple[Format, ...] = ("pdf", "html", "md", "json")
FILE_NAMES: dict[str, str] = {"pdf": "report.pdf", "html": "report.html", "md": "report.md",
                              "json": "assessment.json"}
DIAGRAM_FILE = "ecosystem.svg"
TARGET_DIAGRAM_FILE = "ecosystem-target.svg"


@dataclass(frozen=True)
class WrittenFile:
    format: str
    path: Path
    seconds: float


@dataclass
class ReportResult:
    files: list[WrittenFile] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)  # URLs the PDF renderer asked for
    refused: list[str] = field(default_factory=list)  # ... and was refused

    def seconds(self, fmt: str) -> float | None:
        return next((f.seconds for f in self.files if f.format == fmt), None)


def parse_formats(text: str) -> tuple[Format, ...]:
    """'pdf,html' -> ('pdf', 'html'), in the order given, each once."""
    wanted = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [w for w in wanted if w not in FORMATS]
    if unknown or not wanted:
        raise UserError(f"unknown report format '{', '.join(unknown) or text}'",
                        hint=f"choose from {', '.join(FORMATS)}, e.g. --format pdf,html")
    return tuple(dict.fromkeys(wanted))  # type: ignore[arg-type]


def render_report(analysis: Analysis, output: Path, formats: Iterable[str] = FORMATS,
                  theme: Theme | None = None, date: dt.date | None = None,
                  progress: Callable[[str], None] | None = None) -> ReportResult:
    """Write the chosen formats of the report on ``analysis`` (``auditor.analysis.assess.
    analyse``: the audit, its graph, the catalogue and the assessment) into ``output``."""
    from auditor.content import roots
    from auditor.render.report.ecosystem import draw_ecosystem
    from auditor.render.report.json_export import assessment_json
    from auditor.render.report.theme import default_theme
    from auditor.render.report.view import build_view
    from auditor.store.yaml_file import atomic_write

    if not analysis.plans:  # the report shows the roadmap and the blueprint
        raise RenderError("the report needs the analysis with its plans",
                          hint="call analyse(audit) without plans=False")
    assessment = analysis.assessment
    chosen = tuple(dict.fromkeys(formats))
    step = progress or (lambda _message: None)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the output folder {output}: {exc.strerror or exc}") from None
    theme = theme or default_theme()
    result = ReportResult()

    def write(fmt: str, name: str, data: bytes | Iterable[bytes], started: float) -> None:
        path = output / name
        atomic_write(path, data, backup=False, error=RenderError)
        result.files.append(WrittenFile(fmt, path, time.perf_counter() - started))

    if "json" in chosen:
        started = time.perf_counter()
        step("assessment JSON")
        write("json", FILE_NAMES["json"], assessment_json(assessment).encode("utf-8"), started)
    documents = [f for f in chosen if f in ("pdf", "html", "md")]
    if not documents:
        return result
    started = time.perf_counter()
    step("report data and ecosystem diagram")
    view = build_view(analysis, theme, date)
    view = view.with_ecosystem(draw_ecosystem(analysis, view.shown_keys))
    screen = view
    if "html" in documents or "md" in documents:
        from auditor.render.report.catalogue import load_matrix_columns
        from auditor.render.report.print_tables import shorten_tables

        # Every row stays on screen; only the person data matrix keeps its largest holders.
        screen = shorten_tables(view, None, load_matrix_columns())
    prepared = time.perf_counter() - started
    for fmt in documents:
        begun = time.perf_counter() - prepared  # each format's time includes the shared work
        step({"pdf": "PDF", "html": "HTML", "md": "Markdown"}[fmt])
        if fmt == "html":
            from auditor.render.report.html import html_bytes

            # Written piece by piece: a large estate's report is hundreds of megabytes.
            write("html", FILE_NAMES["html"], html_bytes(screen, "html"), begun)
        elif fmt == "md":
            from auditor.render.report.markdown import render_markdown

            diagram = target_diagram = None
            if view.ecosystem:
                diagram = DIAGRAM_FILE
                write("svg", DIAGRAM_FILE, str(view.ecosystem.drawings[0].svg).encode("utf-8"),
                      time.perf_counter())
            if view.ecosystem and view.ecosystem.target:
                target_diagram = TARGET_DIAGRAM_FILE
                write("svg", TARGET_DIAGRAM_FILE,
                      str(view.ecosystem.target[0].svg).encode("utf-8"), time.perf_counter())
            write("md", FILE_NAMES["md"],
                  render_markdown(screen, diagram, target_diagram).encode("utf-8"), begun)
        else:
            from auditor.render.report.catalogue import load_pdf_limits
            from auditor.render.report.html import render_html
            from auditor.render.report.pdf import drawings_as_images, write_pdf
            from auditor.render.report.print_tables import shorten_tables

            assets = tuple(root / "reports" for root in reversed(roots())
                           if (root / "reports").is_dir())
            # A printed appendix stops after its first rows and says where the rest is.
            pdf_view = shorten_tables(view, *load_pdf_limits())
            drawings: dict[str, bytes] = {}
            if view.ecosystem:
                ecosystem, drawings = drawings_as_images(view.ecosystem)
                pdf_view = pdf_view.with_ecosystem(ecosystem)
            log = write_pdf(render_html(pdf_view, "pdf"), output / FILE_NAMES["pdf"], assets,
                            theme.files, drawings)
            result.files.append(WrittenFile("pdf", output / FILE_NAMES["pdf"],
                                            time.perf_counter() - begun))
            result.fetched.extend(log.requested)
            result.refused.extend(log.refused)
    return result


__all__ = ["FORMATS", "ReportResult", "WrittenFile", "parse_formats", "render_report"]
