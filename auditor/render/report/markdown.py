"""The report as Markdown, for wikis and e-mail: the same sections, text only."""

from __future__ import annotations

from auditor.render.report.environment import markdown_environment, render_template
from auditor.render.report.view import ReportView


def render_markdown(view: ReportView, diagram: str | None = None,
                    target_diagram: str | None = None) -> str:
    """``diagram``, ``target_diagram``: the file names of the current and target ecosystem
    SVGs written beside the Markdown, if any."""
    return render_template(markdown_environment(), "report.md.j2", view=view, diagram=diagram,
                           target_diagram=target_diagram)
