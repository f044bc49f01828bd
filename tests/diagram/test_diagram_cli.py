"""`auditor graph` as a user runs it: the real executable, the real Graphviz (or none at all)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from auditor.cli.diagram import diagram_demo_step
from auditor.store.audit_file import load_audit


def test_graph_writes_svg_with_findings(run_cli, demo_audit_path: Path, tmp_path: Path) -> None:
    run = run_cli("graph", str(demo_audit_path), "-o", "out/ecosystem.svg")

    assert run.code == 0, run.err
    assert "Wrote" in run.out and "ecosystem.svg" in run.out
    svg = (tmp_path / "out" / "ecosystem.svg").read_text()
    ET.fromstring(svg)
    assert "#f5a3a3" in svg or "#ffc9a3" in svg or "#ffe8a3" in svg  # findings highlighted


def test_graph_json_and_touchpoints(run_cli, demo_audit_path: Path, tmp_path: Path) -> None:
    run = run_cli("graph", str(demo_audit_path), "-o", "eco.png", "--with", "touchpoints",
                  "--json")

    assert run.code == 0, run.err
    payload = json.loads(run.out)
    assert payload["aggregated"] is False
    assert payload["files"][0]["path"] == "eco.png" and payload["files"][0]["engine"] == "dot"
    assert (tmp_path / "eco.png").read_bytes()[:4] == b"\x89PNG"


def test_graph_aggregate_flag(run_cli, demo_audit_path: Path, tmp_path: Path) -> None:
    run = run_cli("graph", str(demo_audit_path), "-o", "eco.svg", "--aggregate", "--json")

    assert run.code == 0, run.err
    files = json.loads(run.out)["files"]
    assert files[0]["view"] == "overview" and len(files) > 2
    assert all((tmp_path / f["path"]).is_file() for f in files)
    assert all(f["shared"] for f in files)  # SVG views are laid out in one Graphviz run

    # Said once for the run, not as a share per view ("0.0 s" beside most of them).
    run = run_cli("graph", str(demo_audit_path), "-o", "eco.svg", "--aggregate")
    assert run.code == 0, run.err
    said = " ".join(run.out.split())  # as read, whatever the terminal's width
    assert re.search(rf"Graphviz laid out {len(files)} of these views together \(\d+\.\d s\)",
                     said)
    assert len(re.findall(r"\d s\)", said)) == 1
    # A single PNG view is its own run: its time is beside it.
    run = run_cli("graph", str(demo_audit_path), "-o", "one.png")
    assert run.code == 0, run.err
    said = " ".join(run.out.split())
    assert "together" not in said and re.search(r"one\.png \(dot, \d+ nodes, \d+\.\d s", said)


def test_missing_graphviz_is_a_clear_error(run_cli, demo_audit_path: Path,
                                           tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    run = run_cli("graph", str(demo_audit_path), "-o", "eco.svg", env={"PATH": str(empty)})

    assert run.code == 2
    assert "'dot' program was not found" in run.err
    assert "install Graphviz" in run.err and "apt-get install graphviz" in run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "eco.svg").exists()
    # DOT source needs no layout, so it still works without Graphviz.
    run = run_cli("graph", str(demo_audit_path), "-o", "eco.dot", env={"PATH": str(empty)})
    assert run.code == 0, run.err
    assert (tmp_path / "eco.dot").read_text().startswith("digraph ecosystem {")


def test_unknown_format_is_a_user_error(run_cli, demo_audit_path: Path) -> None:
    run = run_cli("graph", str(demo_audit_path), "-o", "eco.jpeg")

    assert run.code == 2
    assert "eco.jpeg" in run.err and ".svg, .png or .dot" in run.err


def test_bad_audit_is_a_user_error(run_cli, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("client: [unclosed\n")
    run = run_cli("graph", "bad.yaml", "-o", "eco.svg")

    assert run.code == 2 and "Traceback" not in run.err


def test_demo_step_writes_the_diagram(demo_audit_path: Path, tmp_path: Path) -> None:
    from auditor.analysis.assess import analyse

    diagram_demo_step(analyse(load_audit(demo_audit_path)), tmp_path)

    ET.parse(tmp_path / "ecosystem.svg")
