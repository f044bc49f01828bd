"""The look of an inventory workbook: README sheet, headers with help, dropdowns, widths.

Used both for an empty template (``auditor template``) and for an export filled from an audit
(``auditor export``), so the two always have the same layout and the export can be re-imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditor.ingest.columns import SHEETS, Column, Sheet, column_help
from auditor.store.formula_guard import neutralise

TEMPLATE_ROWS = 1000  # rows that get dropdowns in an empty template
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WIDE = {"name": 32, "description": 48, "formula": 36, "defined_by": 32, "scope": 32}


def readme_lines(client: str | None = None, origin: str | None = None) -> list[str]:
    """The README text, shared by the workbook's README sheet and the CSV folder's README.txt."""
    lines = ["Inventory workbook: Engagement Ecosystem Auditor", ""]
    if client:
        lines.append(f"Client: {client}")
    if origin:
        lines.append(f"Exported from: {origin}")
    if client or origin:
        lines.append("")
    lines += [
        "How to fill it in",
        "• One sheet per kind of item, one row per item. Keep the first row (the column names) "
        "as it is.",
        "• Hover over a column name to read what goes in it. Orange columns are required "
        "for a new row.",
        "• id: lower-case words joined by '-', e.g. 'crm-sales'. Leave it empty and one is "
        "made from the name. Rows refer to each other by id (a flow's source is a system id).",
        "• Cells with a dropdown take one of the listed values.",
        "• Several values in one cell (roles, owners, data a flow carries …): separate them "
        "with ';'.",
        "• Yes/no columns take TRUE or FALSE. Numbers go without units.",
        "• An empty cell leaves what the audit already has for that item as it is.",
        "• Columns whose name starts with '#' are notes and are not imported; neither are "
        "this sheet and sheets whose name starts with '#'.",
        "• Text that starts with = + - or @ is shown with a leading apostrophe so that it is "
        "never run as a formula. Leave the apostrophe: the import removes it.",
        "",
        "Sheets",
    ]
    lines += [f"• {sheet.name}: {sheet.help}" for sheet in SHEETS]
    lines += ["", "When it is filled in, the consultant checks it with",
              "auditor import <this file> --into <audit file> --dry-run",
              "and imports it by running the same command without --dry-run."]
    return lines


def new_workbook(client: str | None = None, origin: str | None = None) -> Workbook:
    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = "README"
    for number, line in enumerate(readme_lines(client, origin), start=1):
        cell = readme.cell(row=number, column=1, value=neutralise(line) if line else None)
        if number == 1:
            cell.font = Font(bold=True, size=14)
        elif line in ("How to fill it in", "Sheets"):
            cell.font = Font(bold=True)
    readme.column_dimensions["A"].width = 120
    return book


def add_sheet(book: Workbook, sheet: Sheet, rows: Iterable[Sequence[Any]]) -> Worksheet:
    """A sheet with its header, help comments and dropdowns, filled with ``rows``."""
    ws: Worksheet = book.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = Alignment(vertical="top")
        text = column_help(column)
        if text:
            comment = Comment(text, "auditor")
            comment.width = 320
            comment.height = 60 + 18 * (len(text) // 45)
            cell.comment = comment
        ws.column_dimensions[get_column_letter(index)].width = _width(column)
    count = 0
    for number, row in enumerate(rows, start=2):
        count += 1
        for index, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=number, column=index, value=value)
            if cell.data_type == "f":  # never a formula, whatever the text
                cell.data_type = "s"
    last = max(TEMPLATE_ROWS, count + 500)
    for index, column in enumerate(sheet.columns, start=1):
        validation = _validation(column)
        if validation is not None:
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{count + 1}"
    return ws


def _width(column: Column) -> float:
    if column.header in _WIDE:
        return _WIDE[column.header]
    if column.shape == "enum-list" or column.is_list:
        return 28
    return max(12, len(column.header) + 4)


def _validation(column: Column) -> DataValidation | None:
    if column.is_enum:
        formula = '"' + ",".join(column.choices) + '"'
        if len(formula) > 255:  # Excel's limit for a literal list
            return None
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        if column.shape == "enum-list":
            dv.showErrorMessage = False
            dv.promptTitle = column.header
            dv.prompt = "Pick one, or type several separated by ';'."
            dv.showInputMessage = True
        else:
            dv.showErrorMessage = True
            dv.errorTitle = column.header
            dv.error = "Pick one of the values in the list."
        return dv
    if column.shape == "bool":
        return DataValidation(type="list", formula1='"TRUE,FALSE"', allow_blank=True,
                              showErrorMessage=True, error="TRUE or FALSE.")
    if column.shape == "int" and column.minimum is not None:
        if column.maximum is not None:
            dv = DataValidation(type="whole", operator="between", formula1=str(column.minimum),
                                formula2=str(column.maximum), allow_blank=True)
            dv.error = f"A whole number from {column.minimum} to {column.maximum}."
        else:
            dv = DataValidation(type="whole", operator="greaterThanOrEqual",
                                formula1=str(column.minimum), allow_blank=True)
            dv.error = f"A whole number, {column.minimum} or more."
        dv.showErrorMessage = True
        return dv
    return None
