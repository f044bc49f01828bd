"""`auditor backtrack` as a consultant runs it: 80 columns, escaped client text, stable JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console

from auditor.backtracking import backtrack
from auditor.catalogue.settings import BacktrackSettings
from auditor.cli.backtrack import demo_backtrack, render
from auditor.cli.console import THEME
from auditor.schema.audit import Audit
from auditor.schema.backtrack import BacktrackResult
from auditor.store.audit_file import load_audit

HERE = Path(__file__).parent
RunCli = Callable[..., Any]  # the run_cli fixture of tests/conftest.py
E1 = HERE / "e1-backtrack.audit.yaml"


def _render(result: BacktrackResult, audit: Audit, **kwargs: Any) -> str:
    buffer = StringIO()
    console = Console(file=buffer, width=80, theme=THEME, color_system=None, highlight=False)
    render(result, audit, console, **kwargs)
    return buffer.getvalue()


def _fits(text: str) -> None:
    wide = [line for line in text.splitlines() if cell_len(line.rstrip()) > 80]
    assert not wide, wide


@pytest.mark.parametrize("table", [False, True], ids=["tree", "table"])
def test_output_fits_80_columns(table: bool, settings: BacktrackSettings) -> None:
    audit = load_audit(E1)
    text = _render(backtrack(audit, settings=settings), audit, table=table)
    _fits(text)
    for needle in ("no-repeat-ads", "missing-flow", "missing-capability",
                   "To build", "Ads manager", "3 chains: 0 ok, 0 partial, 3 missing · 4 to build"):
        assert needle in text, needle
    if table:
        assert "recent-buyers › no-repeat-ads › ad-suppression" in text
        assert "pos-sale" in text  # the flat table is the consultant's trace, in ids
        assert "shop→ads" in text
    else:
        # names in the tree, not ids
        assert "✓ channel WhatsApp: WhatsApp support on Helpdesk" in text, text


def test_wide_terminal_gets_the_flat_table(settings: BacktrackSettings) -> None:
    audit = load_audit(E1)
    buffer = StringIO()
    console = Console(file=buffer, width=160, theme=THEME, color_system=None)
    render(backtrack(audit, settings=settings), audit, console, table=True)
    header = next(line for line in buffer.getvalue().splitlines() if "segment" in line)
    assert header.split() == ["segment", "need", "capability", "system", "data", "source",
                              "path", "status"]


def test_client_text_is_escaped(make_audit: Callable[..., Audit],
                                settings: BacktrackSettings) -> None:
    audit = make_audit(
        systems=[{"id": "kb", "name": "KB", "roles": ["community"], "capabilities": ["kb-cap"]}],
        capabilities=[{"id": "kb-cap", "name": "KB"}],
        segments=[{"id": "fans", "name": "[bold red]Fans[/bold red] <b>&", "kind": "community"}],
        needs=[{"id": "answers", "name": "Answers [link=http://x]now[/link]", "segment": "fans",
                "capabilities": ["kb-cap"]}])
    text = _render(backtrack(audit, settings=settings), audit)
    assert "[bold red]Fans[/bold red] <b>&" in text
    assert "Answers [link=http://x]now[/link]" in text


def test_what_if_says_which_chains_close(tmp_path: Path, run_cli: RunCli) -> None:
    text = E1.read_text(encoding="utf-8").replace(
        "  data:\n    - {id: individual",
        "    - {id: pos-to-ads, source: pos, target: ads, data: [pos-sale], mode: batch,\n"
        "       frequency: daily, status: planned}\n\n  data:\n    - {id: individual", 1)
    audit = tmp_path / "plan.audit.yaml"
    audit.write_text(text, encoding="utf-8")
    current = run_cli("backtrack", str(audit))
    assert current.code == 0 and "Ads manager" in current.out
    assert "what-if" not in current.out
    run = run_cli("backtrack", str(audit), "--what-if")
    assert run.code == 0, run.err
    _fits(run.out)
    assert "what-if: planned items count as built" in run.out
    assert "1 chain closes" in run.out
    assert "recent-buyers / no-repeat-ads / ad-suppression: missing → ok" in run.out
    assert "pos → ads" not in run.out


def test_json_is_byte_identical_and_complete(run_cli: RunCli) -> None:
    first = run_cli("backtrack", str(E1), "--json")
    second = run_cli("backtrack", str(E1), "--json")
    assert first.code == 0 and first.out == second.out
    data = json.loads(first.out)
    assert [c["status"] for c in data["chains"]] == ["missing", "missing", "missing"]
    assert [i["target"] for i in data["to_build"]] == [
        "community-forum", "vip-flag", "pos->ads", "shop->helpdesk"]


def test_unknown_segment_is_a_clear_error(run_cli: RunCli) -> None:
    run = run_cli("backtrack", str(E1), "--segment", "superfans")
    assert run.code == 2
    assert "no segment 'superfans'" in run.err and "did you mean 'super-fans'" in run.err
    assert "Traceback" not in run.err + run.out


def test_bad_audit_file_is_a_clear_error(tmp_path: Path, run_cli: RunCli) -> None:
    broken = tmp_path / "broken.audit.yaml"
    broken.write_text("client: {name: X}\nvision:\n  needs:\n"
                      "    - {id: n, name: N, segment: nope}\n", encoding="utf-8")
    run = run_cli("backtrack", str(broken))
    assert run.code == 2 and "nope" in run.err and "Traceback" not in run.err


def test_segment_option_in_the_terminal(run_cli: RunCli) -> None:
    run = run_cli("backtrack", str(E1), "-s", "recent-buyers", "--table")
    assert run.code == 0
    assert "super-fans" not in run.out and "recent-buyers › no-repeat-ads" in run.out


def test_demo_step_writes_json(tmp_path: Path) -> None:
    from auditor.analysis.assess import analyse

    demo_backtrack(analyse(load_audit(E1)), tmp_path)
    data = json.loads((tmp_path / "backtrack.json").read_text(encoding="utf-8"))
    assert len(data["chains"]) == 3 and data["what_if"] is False


@pytest.mark.parametrize("table", [False, True], ids=["tree", "table"])
def test_large_vision_fits_80_columns(table: bool, scaling: Any,
                                      settings: BacktrackSettings) -> None:
    audit = scaling.synthetic_audit(50, 20)
    text = _render(backtrack(audit, settings=settings), audit, table=table)
    _fits(text)
    assert "1000 chains: 266 ok, 266 partial, 468 missing" in text
    if not table:
        # every chain appears once, under its segment
        # (capabilities are shown by name, 'Capability 7', never by id)
        assert sum(1 for line in text.splitlines()
                   if " Capability " in line and "─ " in line) == 1000
        assert " cap-" not in text


def test_what_if_lists_chains_that_only_improve(settings: BacktrackSettings) -> None:
    """Planned items that close one chain and only improve two others: the terminal says so
    and marks each change with the status it reaches."""
    data = load_audit(E1).model_dump(by_alias=True, exclude_none=True)
    data["vision"]["needs"].append({"id": "any-ads", "name": "Ads", "segment": "recent-buyers",
                                    "capabilities": ["ad-suppression"]})
    data["inventory"]["systems"].append({"id": "crm", "name": "CRM", "status": "planned",
                                         "roles": ["cdp"], "masters": ["vip-flag"]})
    data["inventory"]["flows"] += [
        {"id": "pos-to-ads", "source": "pos", "target": "ads", "data": ["pos-sale"],
         "mode": "manual", "status": "planned"},
        {"id": "shop-to-helpdesk", "source": "shop", "target": "helpdesk", "data": ["order"],
         "mode": "real-time", "status": "planned"},
        {"id": "crm-to-helpdesk", "source": "crm", "target": "helpdesk", "data": ["vip-flag"],
         "mode": "real-time", "status": "planned"}]
    audit = Audit.model_validate(data)
    result = backtrack(audit, include_planned=True, settings=settings)
    text = _render(result, audit)
    _fits(text)
    # any-ads has no latency limit: the manual feed closes it; no-repeat-ads (daily) is now
    # too slow instead of missing; priority-feedback gets the VIP flag from the planned CRM
    # too, but the spreadsheet's copy still never arrives: partial.
    assert "With the planned items, 1 chain closes and 2 others change:" in text
    assert "✓ recent-buyers / any-ads / ad-suppression: missing → ok" in text
    assert "◐ recent-buyers / no-repeat-ads / ad-suppression: missing → partial" in text
    assert "◐ super-fans / priority-feedback / feedback-management: missing → partial" in text


def test_narrow_table_breaks_ids_and_paths_where_a_reader_expects(
        demo_audit_path: Path, settings: BacktrackSettings) -> None:
    audit = load_audit(demo_audit_path)
    text = _render(backtrack(audit, settings=settings), audit, table=True)
    _fits(text)
    # statuses are never cut; paths break after an arrow, ids after a hyphen
    assert "missing-capability" in text and "missing-flow (partial)" in text
    assert re.search(r"d365→ +too-slow", text), text
    for cut_word in (r"missing-capabili(?!ty)", r"segme(?!nt)", r"salesforc(?!e)"):
        assert not re.search(cut_word, text), (cut_word, text)


def test_the_to_build_list_reads_in_names_and_remedy_titles(settings: BacktrackSettings) -> None:
    """The list a consultant reads out: systems, data and needs by name, the remedy by title;
    the ids stay in the JSON."""
    audit = load_audit(E1)
    result = backtrack(audit, settings=settings)
    wide = StringIO()
    render(result, audit, Console(file=wide, width=200, theme=THEME, color_system=None,
                                  highlight=False))
    listed = wide.getvalue().split("To build", 1)[1]
    assert "new flow: Point of sale → Ads manager: POS sale, daily" in listed
    assert "new master: master VIP flag in Web shop instead of VIP spreadsheet" in listed
    assert "No ads for what they just bought" in listed
    assert "Define and wire the engagement rules" in listed
    assert "(after #2)" in listed
    # ('ads' is also an English word here: "No ads for what they just bought".)
    for item_id in ("pos", "pos-sale", "no-repeat-ads", "R13", "vip-sheet"):
        assert not re.search(rf"(?<![\w-]){re.escape(item_id)}(?![\w-])", listed), item_id
    # The JSON keeps the ids.
    pos = next(b for b in result.to_build if b.kind == "new-flow" and b.source == "pos")
    assert (pos.system, pos.remedy) == ("ads", "R13")
