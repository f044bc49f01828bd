"""The report's own content files (``reports/*.yaml``): its sections, labels and glossary.

Loaded through ``auditor.content`` like every other content folder, so a consultant's
``--content DIR`` can reorder sections, reword labels or translate the glossary, and a bad
file is refused with located errors.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from auditor.content import content_path, load_model


class ReportContent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionSpec(ReportContent):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=1, max_length=120)
    requires: str | None = Field(default=None, description="Report data the section needs.")
    appendix: bool = False
    page: Literal["portrait", "landscape"] = "portrait"

    @property
    def html(self) -> str:
        return f"sections/{self.id}.html.j2"

    @property
    def markdown(self) -> str:
        return f"markdown/{self.id}.md.j2"


class SectionList(ReportContent):
    sections: tuple[SectionSpec, ...] = Field(min_length=1)
    pdf_table_rows: int | None = Field(default=None, ge=1, description=(
        "Rows an appendix table keeps in the PDF; the PDF says how many more there are. "
        "Left out: every row."))
    pdf_matrix_columns: int | None = Field(default=None, ge=1, description=(
        "Systems the person data matrix keeps in the PDF, those holding the most person data "
        "first. Left out: every system."))
    pdf_cause_findings: int | None = Field(default=None, ge=1, description=(
        "Findings listed under each root cause in the PDF: the one its headline is about, "
        "then the most severe. Left out: every finding."))
    matrix_columns: int | None = Field(default=None, ge=1, description=(
        "Systems the person data matrix keeps in the HTML and Markdown reports, those holding "
        "the most person data first. Left out: every system."))


class Labels(ReportContent):
    """Display words for enumerated values; a value with no label shows as itself."""

    severities: dict[str, str]
    roles: dict[str, str]
    lifecycles: dict[str, str]
    channel_kinds: dict[str, str]
    touchpoint_styles: dict[str, str]
    flow_modes: dict[str, str]
    frequencies: dict[str, str]
    data_classes: dict[str, str]
    chain_statuses: dict[str, str]
    gap_kinds: dict[str, str]
    build_kinds: dict[str, str]
    policy_actions: dict[str, str]
    policy_targets: dict[str, str]
    policy_statuses: dict[str, str]
    latencies: tuple[str, ...] = Field(min_length=5, max_length=5)
    efforts: dict[str, str]


class Term(ReportContent):
    term: str
    definition: str


class Glossary(ReportContent):
    terms: tuple[Term, ...]


def load_sections() -> tuple[SectionSpec, ...]:
    return load_model(content_path("reports/report.yaml"), SectionList).sections


def load_matrix_columns() -> int | None:
    """How many system columns the person data matrix keeps in the HTML and Markdown reports
    (None: all of them)."""
    return load_model(content_path("reports/report.yaml"), SectionList).matrix_columns


def load_pdf_limits() -> tuple[int | None, int | None, int | None]:
    """How many rows a long appendix table, how many system columns the person data matrix
    and how many findings each root cause list keep in the PDF (None: all of them)."""
    layout = load_model(content_path("reports/report.yaml"), SectionList)
    return layout.pdf_table_rows, layout.pdf_matrix_columns, layout.pdf_cause_findings


def load_labels() -> Labels:
    return load_model(content_path("reports/labels.yaml"), Labels)


def load_glossary() -> Glossary:
    return load_model(content_path("reports/glossary.yaml"), Glossary)
