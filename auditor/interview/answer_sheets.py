"""Answers collected offline in a spreadsheet: one sheet per respondent.

Clients often prefer to fill a questionnaire in Excel before or after the workshop. The
template has a README sheet, a sheet per respondent (or one blank sheet) and a hidden sheet
with the allowed values behind the dropdowns. Import checks every cell before changing
anything and reports each problem as ``answers.xlsx[Sheet]:row:col``.

Inventory questions are not in the sheets: the inventory has its own spreadsheet route.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.catalogue import load_catalogue
from auditor.errors import ImportFileError
from auditor.interview.record import store_answer, store_target
from auditor.interview.respondents import add_respondent, find_respondent
from auditor.problems import Problem, did_you_mean
from auditor.schema.answer_values import AnswerValueError, allowed_values, coerce
from auditor.schema.audit import AnswerValue, Audit
from auditor.schema.questionnaire import Question
from auditor.store.formula_guard import neutralise, restore

MARKER = "Engagement Ecosystem Auditor: answers workbook"
README = "README"
LISTS = "Lists"
HEADER_ROW = 3
COLUMNS = ("Question id", "Section", "Question", "Type", "Allowed values", "Answer", "Note",
           "Evidence", "Not applicable because")
WIDTHS = (11, 24, 60, 9, 40, 24, 30, 30, 30)
MAX_BYTES = 20 * 1024 * 1024


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return neutralise(value) if isinstance(value, str) else value


def _unsafe(value: Any) -> Any:
    """Undo ``_safe`` when reading back our own cells."""
    return restore(value)[0] if isinstance(value, str) else value


def _questions() -> list[tuple[str, Question]]:
    return [(section.title, q) for bank in load_catalogue().banks for section in bank.sections
            for q in section.questions if q.type != "inventory"]


def _cell_value(q: Question, value: AnswerValue) -> Any:
    """A stored answer as the template shows it, in a form import reads back unchanged."""
    if value is None:
        return None
    if q.type == "rubric" and isinstance(value, int):
        level = q.level(value)
        return f"{value} {level.label}" if level else value
    if isinstance(value, list):
        return ", ".join(value)
    return value


def _sheet_title(text: str, taken: set[str]) -> str:
    cleaned = "".join("-" if ch in '[]:*?/\\' else ch for ch in text).strip("'") or "Respondent"
    title = cleaned[:31]
    n = 2
    while title.lower() in taken:
        suffix = f" {n}"
        title = cleaned[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def write_answers_template(path: Path, audit: Audit | None) -> None:
    """Write the answers workbook: README, a sheet per respondent (or one blank), value lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    questions = _questions()
    wb = Workbook()
    readme = wb.active
    readme.title = README
    for line in _readme_lines(audit):
        readme.append([_safe(line)])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 100

    lists = wb.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    list_ranges: dict[str, str] = {}
    for col, (_, q) in enumerate((x for x in questions if allowed_values(x[1])), start=1):
        letter = get_column_letter(col)
        values = allowed_values(q)
        for r, v in enumerate(values, start=1):
            lists.cell(row=r, column=col, value=_safe(v))
        list_ranges[q.id] = f"{LISTS}!${letter}$1:${letter}${len(values)}"

    respondents = list(audit.respondents) if audit else []
    taken = {README.lower(), LISTS.lower()}
    people: list[tuple[str, str, str, str | None]] = (
        [(_sheet_title(r.id, taken), r.id, r.name, r.role) for r in respondents]
        or [(_sheet_title("Respondent", taken), "", "", None)])
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="305496")
    answer_fill = PatternFill("solid", fgColor="FFF2CC")
    for title, rid, name, role in people:
        ws = wb.create_sheet(title)
        ws["A1"], ws["B1"] = "Respondent", _safe(name) or None
        ws["C1"], ws["D1"] = "Role", _safe(role) if role else None
        ws["A1"].font = ws["C1"].font = Font(bold=True)
        ws["B1"].fill = ws["D1"].fill = answer_fill
        for col, (header, width) in enumerate(zip(COLUMNS, WIDTHS), start=1):
            cell = ws.cell(row=HEADER_ROW, column=col, value=header)
            cell.font, cell.fill = head_font, head_fill
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
        for offset, (section, q) in enumerate(questions):
            row = HEADER_ROW + 1 + offset
            answer = audit.answer_for(q.id, rid) if audit and rid else None
            allowed = ", ".join(o.value for o in q.options) if q.options else ""
            if q.type == "rubric":
                allowed = "\n".join(f"{lv.level} {lv.label}: {lv.description}" for lv in q.levels)
            elif q.type in ("number", "percent"):
                allowed = _range_text(q)
            cells = [q.id, section, q.text, q.type, allowed,
                     _cell_value(q, answer.value) if answer else None,
                     answer.note if answer else None, answer.evidence if answer else None,
                     answer.reason if answer and answer.not_applicable else None]
            for col, value in enumerate(cells, start=1):
                cell = ws.cell(row=row, column=col, value=_safe(value))
                cell.alignment = Alignment(wrap_text=col in (3, 5, 7, 8, 9), vertical="top")
            for col in range(6, 10):
                ws.cell(row=row, column=col).fill = answer_fill
            if q.id in list_ranges:
                dv = DataValidation(type="list", formula1=list_ranges[q.id], allow_blank=True,
                                    showErrorMessage=True, errorTitle="Not an allowed answer",
                                    error="Pick one of the values in the list.")
                ws.add_data_validation(dv)
                dv.add(ws.cell(row=row, column=6))
    wb.active = wb.sheetnames.index(people[0][0])
    try:
        wb.save(path)
    except OSError as exc:
        raise ImportFileError(f"cannot write {path}: {exc.strerror or exc}") from None


def _range_text(q: Question) -> str:
    lo = "" if q.minimum is None else f"{q.minimum:g}"
    hi = "" if q.maximum is None else f"{q.maximum:g}"
    kind = "a whole number" if q.integer else ("a percentage" if q.type == "percent" else "a number")
    if lo and hi:
        return f"{kind} from {lo} to {hi}"
    if lo:
        return f"{kind}, at least {lo}"
    return kind


def _readme_lines(audit: Audit | None) -> list[str]:
    client = f" for {audit.client.name}" if audit else ""
    return [
        MARKER,
        "",
        f"Audit questionnaire{client}. Each respondent fills in their own sheet.",
        "Write your name (and role) at the top of your sheet if it is empty.",
        "Fill the yellow columns: Answer, and optionally Note and Evidence.",
        "Levels (0-4): pick from the dropdown; each level is described in the Allowed values column.",
        "Several options: write their values separated by commas, e.g. email, phone.",
        "If a question does not apply, leave Answer empty and say why in 'Not applicable because'.",
        "Leave a row empty to skip a question. Do not change the Question id column.",
        "",
        "Send the file back to your consultant, who imports it with:",
        "auditor import answers.xlsx --into AUDIT (add --dry-run to check it first)",
    ]


def is_answers_workbook(path: Path) -> bool:
    """Whether ``path`` is an answers workbook written by ``write_answers_template``."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for non-workbooks; any means "no"
        return False
    try:
        if README in wb.sheetnames and wb[README]["A1"].value == MARKER:
            return True
        for ws in wb.worksheets:
            headers = [c.value for c in next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW), ())]
            if [str(h).strip().lower() for h in headers[:2] if h] == ["question id", "section"]:
                return True
        return False
    finally:
        wb.close()


@dataclass
class _Row:
    question: Question
    value: AnswerValue
    note: str | None
    evidence: str | None
    reason: str | None


def import_answers(path: Path, audit: Audit, dry_run: bool) -> list[str]:
    """Read every respondent sheet of ``path`` into ``audit``; summary lines.

    Nothing is changed when any cell is invalid (ImportFileError lists every problem), or when
    ``dry_run`` is set. A sheet whose respondent is not in the audit adds that respondent.
    """
    from openpyxl import load_workbook

    from auditor.ingest.formula_cells import UncachedFormula, formula_book, paired_rows
    from auditor.ingest.records import SourceProblem

    if not path.is_file():
        raise ImportFileError(f"{path} does not exist or is not a file")
    if path.stat().st_size > MAX_BYTES:
        raise ImportFileError(f"{path} is larger than {MAX_BYTES // 1_000_000} MB",
                              hint="Is this the answers workbook? It is usually under 1 MB.")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and format errors all mean "not a workbook we can read"
        raise ImportFileError(f"{path} is not a readable .xlsx workbook ({type(exc).__name__})",
                              hint="Save it from Excel as 'Excel Workbook (.xlsx)'.") from None
    index = {q.id: q for _, q in _questions()}
    all_ids = set(load_catalogue().questions)
    problems: list[Problem] = []
    sheets: list[tuple[str, str, str | None, list[_Row]]] = []
    formulas = formula_book(path)
    try:
        for ws in wb.worksheets:
            if ws.title in (README, LISTS) or ws.sheet_state != "visible":
                continue
            def at(line: int, column: int, message: str, qid: str | None = None,
                   sheet: str = ws.title) -> Problem:
                # The inventory importer's format: answers.xlsx:Dana Ortiz!C7: q1.1: …
                return SourceProblem(workbook=str(path), sheet=sheet, line=line, column=column,
                                     path=(qid,) if qid else (), message=message)

            bounds = {"min_row": 1, "max_row": min(ws.max_row or 0, 5000),
                      "max_col": len(COLUMNS) + 5}
            twin = formulas[ws.title] if formulas is not None else None
            rows = list(paired_rows(ws, twin, **bounds))
            if len(rows) < HEADER_ROW:
                problems.append(at(1, 1, "the sheet is empty; expected the answers layout"))
                continue
            first = rows[0]
            person = _text(first[1] if len(first) > 1 else None)
            role = _text(first[3] if len(first) > 3 else None)
            headers = [str(h).strip().lower() if h is not None else "" for h in rows[HEADER_ROW - 1]]
            cols: dict[str, int] = {}
            for wanted in COLUMNS:
                if wanted.lower() in headers:
                    cols[wanted] = headers.index(wanted.lower())
            missing = [c for c in ("Question id", "Answer") if c not in cols]
            if missing:
                problems.append(at(HEADER_ROW, 1, f"missing column(s): {', '.join(missing)} "
                                                  f"(row {HEADER_ROW} holds the headers)"))
                continue
            parsed: list[_Row] = []
            for r, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
                def get(col: str) -> Any:
                    i = cols.get(col)
                    return _unsafe(row[i]) if i is not None and i < len(row) else None

                qid = _text(get("Question id"))
                answer, note = get("Answer"), _text(get("Note"))
                evidence, reason = _text(get("Evidence")), _text(get("Not applicable because"))
                if not qid:
                    if any(v not in (None, "") for v in (answer, note, evidence, reason)):
                        problems.append(at(r, cols["Question id"] + 1,
                                           "an answer without a question id"))
                    continue
                qid = qid.lower()
                if qid not in index:
                    if qid in all_ids:
                        continue  # an inventory question: captured elsewhere
                    problems.append(at(r, cols["Question id"] + 1,
                                       f"unknown question '{qid}'{did_you_mean(qid, index)}"))
                    continue
                q = index[qid]
                if reason and answer not in (None, ""):
                    problems.append(at(r, cols["Answer"] + 1, "there is both an answer and a "
                                       "reason it does not apply; keep one", qid))
                    continue
                if reason:
                    parsed.append(_Row(q, None, note, evidence, reason))
                    continue
                if answer is None or (isinstance(answer, str) and not answer.strip()):
                    continue
                if isinstance(answer, UncachedFormula):
                    problems.append(at(r, cols["Answer"] + 1, answer.message, qid))
                    continue
                try:
                    value = coerce(q, answer)
                except AnswerValueError as exc:
                    problems.append(at(r, cols["Answer"] + 1, str(exc), qid))
                    continue
                parsed.append(_Row(q, value, note, evidence, None))
            who = person or ws.title
            if not person and find_respondent(audit, ws.title) is None:
                problems.append(at(1, 2, "no respondent: write the name in B1"))
                continue
            sheets.append((ws.title, who, role, parsed))
    finally:
        wb.close()
        if formulas is not None:
            formulas.close()
    if problems:
        raise ImportFileError(f"{path} has {len(problems)} problem{'s' if len(problems) != 1 else ''}"
                              "; nothing was imported", problems=problems,
                              hint="Fix them and run the import again; the audit file is unchanged.")
    summary: list[str] = []
    for title, who, role, parsed in sheets:
        respondent = find_respondent(audit, who)
        added = respondent is None
        if respondent is None and not dry_run:
            respondent = add_respondent(audit, who, role)
        rid = respondent.id if respondent else who
        # Rows the template was pre-filled with come back unchanged; leave those answers (and
        # their timestamps) alone so a re-import only touches what the client changed.
        changed = [p for p in parsed if not _same(audit, rid, p)]
        na = sum(1 for p in changed if p.reason)
        if not dry_run:
            for p in changed:
                if p.question.type == "target" and p.question.component is not None:
                    if not p.reason and isinstance(p.value, int):  # the client's target
                        store_target(audit, p.question.component, p.value)
                    continue
                store_answer(audit, p.question.id, rid, p.value, note=p.note, evidence=p.evidence,
                             not_applicable_reason=p.reason, keep_notes=False)
        verb = "would import" if dry_run else "imported"
        same = len(parsed) - len(changed)
        summary.append(f"{who} (sheet {title}{', new respondent' if added else ''}): {verb} "
                       f"{len(changed) - na} answer{'s' if len(changed) - na != 1 else ''}"
                       f"{f', {na} not applicable' if na else ''}"
                       f"{f'; {same} unchanged' if same else ''}")
    if not sheets:
        summary.append("no respondent sheets found")
    return summary


def _same(audit: Audit, respondent: str, row: _Row) -> bool:
    old = audit.answer_for(row.question.id, respondent)
    if old is None:
        return False
    return (old.value, old.note, old.evidence, old.reason if old.not_applicable else None) == (
        row.value, row.note, row.evidence, row.reason)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
