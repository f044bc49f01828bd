"""auditor compare (two milestones of one client) and auditor benchmark (a portfolio)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.analysis.assess import analyse, assess
from auditor.analysis.benchmark import Entry, benchmark
from auditor.analysis.compare import compare
from auditor.store.audit_file import load_audit, open_audit, save_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BENCH = ["demo", "e1-harbour-pine", "e2-lakeside-university", "e3-riverbend-food-bank"]


def _six_months_later(path: Path) -> None:
    """The demo after a first round of work: WhatsApp Business retired (its touchpoint moved
    to Zendesk), the planned D365 → Zendesk feed live, Marketo also orchestrating, and the
    data-quality answers up to 3."""
    doc = open_audit(path)
    inv = doc.audit.inventory
    inv.systems = [s for s in inv.systems if s.id != "whatsapp-business"]
    for t in inv.touchpoints:
        if "whatsapp-business" in t.systems:
            t.systems = ["zendesk"]
    for f in inv.flows:
        if f.id == "d365-to-zendesk":
            f.status = "current"
    for s in inv.systems:
        if s.id == "marketo":
            s.roles = [*s.roles, "orchestration"]
    for a in doc.audit.answers:
        if a.question == "q8.1":
            a.value = 3
    save_audit(doc)


@pytest.fixture
def after_path(tmp_path: Path) -> Path:
    path = tmp_path / "after.audit.yaml"
    path.write_bytes((EXAMPLES / "demo.audit.yaml").read_bytes())
    _six_months_later(path)
    return path


def test_compare_reports_the_known_changes(after_path: Path) -> None:
    result = compare(analyse(load_audit(EXAMPLES / "demo.audit.yaml")),
                     analyse(load_audit(after_path)))
    systems = next(c for c in result.inventory if c.kind == "systems")
    assert systems.removed == ("whatsapp-business",) and systems.added == ()
    assert systems.removed_names == ("WhatsApp Business app (dispatch phones)",)
    flows = next(c for c in result.inventory if c.kind == "flows")
    assert flows.added == ("d365-to-zendesk",)
    assert flows.added_names == ("Dynamics 365 Finance & Supply Chain → Zendesk Suite",)
    roles = [s for s in result.systems_changed if s.system == "marketo"]
    assert [(s.field, "orchestration" in s.after, "orchestration" in s.before)
            for s in roles] == [("roles", True, False)]
    # The part-arrival chain closes once the status feed is live.
    assert [(c.need, c.before, c.after) for c in result.chains_closed] == [
        ("part-arrival-notice", "missing", "ok")]
    resolved = {f.key.split(":")[0] for f in result.findings_resolved}
    assert {"TEC-03", "TEC-08", "JRN-05", "PER-06"} <= resolved  # orchestration, WhatsApp, status
    assert all(f.key not in {g.key for g in result.findings_persisting}
               for f in result.findings_resolved)
    # Marketo now orchestrates, and its owners lack the skills for that: new findings.
    assert any(f.rule == "SKL-01" and "marketo" in f.key for f in result.findings_new)
    q8 = next(q for q in result.questions if q.id == "q8")
    assert q8.self_before is not None and q8.self_after is not None
    assert q8.self_delta is not None and q8.self_delta > 0
    assert "R11" in result.roadmap.done and "R12" in result.roadmap.done
    assert "R11" not in result.roadmap.remaining


def test_a_renamed_id_is_removed_plus_added_and_flagged(tmp_path: Path) -> None:
    before = load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")
    path = tmp_path / "e1.audit.yaml"
    path.write_bytes((EXAMPLES / "e1-harbour-pine.audit.yaml").read_bytes())
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("vip-sheet", "vip-list"), encoding="utf-8")
    result = compare(analyse(before), analyse(load_audit(path)))
    systems = next(c for c in result.inventory if c.kind == "systems")
    assert (systems.added, systems.removed) == (("vip-list",), ("vip-sheet",))
    assert [(r.removed, r.added) for r in result.possible_renames
            if r.kind == "systems"] == [("vip-sheet", "vip-list")]


def test_compare_cli_text_and_json(after_path: Path, run_cli: Callable) -> None:
    demo = str(EXAMPLES / "demo.audit.yaml")
    result = run_cli("compare", demo, str(after_path))
    assert result.code == 0, result.err
    assert "systems retired: WhatsApp Business app (dispatch phones)" in result.out
    assert "Closed: Be told when a back-ordered part arrives" in result.out
    assert all(len(line) <= 80 for line in result.out.splitlines())
    first = run_cli("compare", demo, str(after_path), "--json")
    second = run_cli("compare", demo, str(after_path), "--json",
                     env={"PYTHONHASHSEED": "77"})
    assert first.out == second.out
    data = json.loads(first.out)
    assert data["chains_closed"][0]["need"] == "part-arrival-notice"


def test_compare_refuses_a_broken_file_with_its_location(tmp_path: Path,
                                                         run_cli: Callable) -> None:
    broken = tmp_path / "broken.audit.yaml"
    broken.write_text("client: {name: X}\ninventory:\n  systems:\n    - id: Bad Id\n",
                      encoding="utf-8")
    result = run_cli("compare", str(EXAMPLES / "demo.audit.yaml"), str(broken))
    assert result.code != 0 and "Traceback" not in result.err
    assert "broken.audit.yaml:4" in result.err


def test_benchmark_across_the_example_audits() -> None:
    entries = [Entry(source=EXAMPLES / f"{n}.audit.yaml", industry=None,
                     assessment=assess(load_audit(EXAMPLES / f"{n}.audit.yaml")))
               for n in BENCH]
    result = benchmark(entries)
    assert [c.label for c in result.clients] == ["Client A", "Client B", "Client C", "Client D"]
    assert all(c.source == "" for c in result.clients)  # anonymised: no file names either
    overall = next(m for m in result.measures if m.kind == "overall")
    values = sorted(e.assessment.scores.overall for e in entries
                    if e.assessment.scores.overall is not None)
    assert overall.all.n == len(values)
    assert overall.all.low == values[0] and overall.all.high == values[-1]
    # Ranks: 1 for the highest; equal scores share a rank.
    by_value = {s.value: s.rank for s in overall.standings if s.value is not None}
    assert by_value[max(values)] == 1
    assert all(s.of == len(values) for s in overall.standings)
    q7 = next(m for m in result.measures if m.id == "q7")
    assert q7.all.median is not None and q7.all.q1 is not None and q7.all.q1 <= q7.all.median
    # Named, the labels are the clients' names.
    named = benchmark(entries, named=True)
    assert {c.label for c in named.clients} == {e.assessment.client for e in entries}


def test_benchmark_groups_an_industry_with_enough_clients(tmp_path: Path) -> None:
    entries = []
    for i, level in enumerate((1, 2, 3)):
        text = (EXAMPLES / "e1-harbour-pine.audit.yaml").read_text(encoding="utf-8")
        path = tmp_path / f"shop{i}.audit.yaml"
        path.write_text(text.replace("name: Harbour & Pine", f"name: Shop {i}", 1)
                        .replace("value: 3", f"value: {level}"), encoding="utf-8")
        audit = load_audit(path)
        entries.append(Entry(source=path, industry=audit.client.industry,
                             assessment=assess(audit)))
    other = load_audit(EXAMPLES / "e2-lakeside-university.audit.yaml")
    entries.append(Entry(source=EXAMPLES / "e2.audit.yaml", industry=other.client.industry,
                         assessment=assess(other)))
    result = benchmark(entries)
    q7 = next(m for m in result.measures if m.id == "q7")
    assert list(q7.by_industry) == ["retail"]  # three shops; one university is too few
    assert q7.by_industry["retail"].n == 3


def test_benchmark_cli_needs_two_audits_and_prints_json(run_cli: Callable) -> None:
    one = run_cli("benchmark", str(EXAMPLES / "demo.audit.yaml"))
    assert one.code != 0 and "at least two audits" in one.err
    paths = [str(EXAMPLES / f"{n}.audit.yaml") for n in BENCH]
    text = run_cli("benchmark", *paths)
    assert text.code == 0, text.err
    assert "Brightwell" not in text.out and "Client A" in text.out
    assert all(len(line) <= 80 for line in text.out.splitlines())
    named = run_cli("benchmark", *paths, "--names")
    assert "Brightwell Home Services" in named.out
    first = run_cli("benchmark", *paths, "--json")
    second = run_cli("benchmark", *reversed(paths), "--json", env={"PYTHONHASHSEED": "5"})
    assert first.out == second.out  # neither file order nor hashing changes the result
    assert json.loads(first.out)["clients"][0]["label"] == "Client A"
