"""The PDF's appendix tables, shortened to their first rows.

A printed appendix that lists thousands of flows or touchpoints helps no reader, and laying
out its rows was most of the PDF's cost on a 2,000-item estate (7,763 rows, about 100 of its
186 CPU seconds). The PDF therefore shows the first rows of each long appendix table, in the
table's own order, and the template says how many more there are and where all of them are
listed; the HTML and Markdown reports keep every row.

How many rows a printed table keeps is content (``pdf_table_rows`` in ``reports/report.yaml``),
so a consultant can change it with ``--content``. Only selection happens here: the sentence
that names what was left out is the template's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from auditor.analysis.gaps import lead_and_worst
from auditor.render.report.plan import RaciView, RootCauseView
from auditor.render.report.view import ReportView

T = TypeVar("T")

#: The inventory appendix's tables (attributes of ``InventoryView``), shortened one by one.
INVENTORY_TABLES = ("systems", "channels", "touchpoints", "flows", "data", "teams")


def shorten_tables(view: ReportView, rows: int | None, columns: int | None = None,
                   findings: int | None = None) -> ReportView:
    """``view`` with each appendix table cut to its first ``rows`` rows, the person data
    matrix to its first ``columns`` systems (those holding the most person data) and the
    findings under each root cause to ``findings`` (``shorten_findings``), and ``left_out``
    saying how many rows each shortened table lost (by table name: the inventory's tables,
    ``policies``, ``person-data``, ``raci-<kind>``) and how many systems the matrix lost
    (``person-data-systems``). ``None``: nothing is cut."""
    if findings is not None:
        view = replace(view, components=tuple(
            replace(c, root_causes=tuple(shorten_findings(r, findings) for r in c.root_causes))
            for c in view.components))
    left_out: dict[str, int] = {}

    def first(name: str, items: tuple[T, ...], limit: int | None = rows) -> tuple[T, ...]:
        if limit is not None and len(items) > limit:
            left_out[name] = len(items) - limit
            return items[:limit]
        return items

    inventory = replace(view.inventory, **{
        table: first(table, getattr(view.inventory, table)) for table in INVENTORY_TABLES})
    # The RACI appendix shows one table per kind of item (systems, journeys, data, metrics).
    kinds = tuple(dict.fromkeys(r.kind for r in view.raci))
    raci: tuple[RaciView, ...] = tuple(
        row for kind in kinds
        for row in first(f"raci-{kind}", tuple(r for r in view.raci if r.kind == kind)))
    matrix = view.person_data
    systems = first("person-data-systems", matrix.systems, columns)
    person = replace(matrix, systems=systems, rows=tuple(
        replace(row, cells=row.cells[:len(systems)])
        for row in first("person-data", matrix.rows)))
    policies = first("policies", view.policies)
    if not left_out:
        return view
    return replace(view, inventory=inventory, raci=raci, person_data=person, policies=policies,
                   left_out=left_out)


def shorten_findings(cause: RootCauseView, limit: int) -> RootCauseView:
    """``cause`` listing ``limit`` of its findings (``lead_and_worst``) and how many more there
    are."""
    shown = lead_and_worst(cause.findings, limit)
    if len(shown) == len(cause.findings):
        return cause
    return replace(cause, findings=shown, more=cause.more + len(cause.findings) - len(shown))


__all__ = ["INVENTORY_TABLES", "shorten_findings", "shorten_tables"]
