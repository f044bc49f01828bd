"""Dismissals: the consultant's judgement on a finding, recorded in the audit and honoured by
`gaps` (hidden and counted, listed on request, shown again when it runs out, stale when the
finding no longer fires)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from auditor import validate_file
from auditor.store.audit_file import load_audit

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.audit.yaml"


def _demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.audit.yaml"
    shutil.copy(DEMO, path)
    return path


def _gaps(run_cli, path: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    run = run_cli("gaps", str(path), "--json", *extra)
    assert run.code in (0, 1), run.err
    return json.loads(run.out)


def test_dismiss_hides_counts_and_shows_on_request(tmp_path: Path, run_cli) -> None:
    path = _demo(tmp_path)
    before = _gaps(run_cli, path)
    critical = [f for f in before["findings"] if f["severity"] == "critical"]
    assert len(critical) == 1 and before["dismissed"] == []  # so --fail-on critical fails
    key = critical[0]["key"]

    run = run_cli("dismiss", str(path), key, "--reason", "Accepted until the ERP upgrade",
                  "--until", "2099-12-31", "--by", "Dana Ortiz")
    assert run.code == 0, run.err
    assert f"Dismissed until 2099-12-31: {critical[0]['title']}" in " ".join(run.out.split())
    (dismissal,) = load_audit(path).dismissals
    assert (dismissal.finding, dismissal.by, str(dismissal.until)) == (
        key, "Dana Ortiz", "2099-12-31")
    assert dismissal.reason == "Accepted until the ERP upgrade"

    # An accepted risk no longer fails a build.
    run = run_cli("gaps", str(path), "--json", "--fail-on", "critical")
    assert run.code == 0, run.err
    after = json.loads(run.out)
    assert key not in [f["key"] for f in after["findings"]]
    assert [d["finding"]["key"] for d in after["dismissed"]] == [key]
    assert "critical" not in after["counts"]
    text = run_cli("gaps", str(path)).out
    assert "1 dismissed finding not shown (--show-dismissed lists them)." in text
    shown = " ".join(run_cli("gaps", str(path), "--show-dismissed").out.split())
    assert "Dismissed (1)" in shown and "[by Dana Ortiz," in shown
    assert "until 2099-12-31: Accepted until the ERP upgrade]" in shown


def test_expired_and_stale_dismissals(tmp_path: Path, run_cli) -> None:
    path = _demo(tmp_path)
    first = _gaps(run_cli, path)["findings"][0]
    text = path.read_text(encoding="utf-8").rstrip("\n") + f"""
dismissals:
  - finding: {first['key']}
    reason: Until the new portal
    by: Sam Lee
    at: 2026-01-01 10:00:00+00:00
    until: 2026-02-01
  - finding: PER-99:gone
    reason: Fixed in the spring
    by: Sam Lee
    at: 2026-01-01 10:00:00+00:00
"""
    path.write_text(text, encoding="utf-8")
    data = _gaps(run_cli, path)
    assert first["key"] in [f["key"] for f in data["findings"]]  # shown again
    assert [d["finding"]["key"] for d in data["dismissal_expired"]] == [first["key"]]
    assert [d["finding"] for d in data["stale_dismissals"]] == ["PER-99:gone"]
    said = " ".join(run_cli("gaps", str(path)).out.split())
    assert f"Dismissal ran out on 2026-02-01: {first['title']} is shown again." in said
    assert "Stale dismissal: PER-99:gone no longer fires (dismissed by Sam Lee on " \
           "2026-01-01); remove it from the audit's dismissals." in said


def test_dismissals_are_validated_with_locations(tmp_path: Path) -> None:
    path = tmp_path / "a.audit.yaml"
    path.write_text("""\
client: {name: X}
dismissals:
  - {finding: per-06 store, reason: x, by: me, at: 2026-05-01T00:00:00Z}
  - {finding: PER-06:store, reason: '', by: me, at: 2026-05-01T00:00:00Z}
  - {finding: PER-07:store, reason: x, by: me, at: 2026-05-01T00:00:00Z, until: 2026-04-01}
  - {finding: PER-08:web, reason: x, by: me, at: 2026-05-01T00:00:00Z}
  - {finding: PER-08:web, reason: y, by: me, at: 2026-05-02T00:00:00Z}
  - {finding: PER-09, reason: x, at: 2026-05-01T00:00:00Z}
""", encoding="utf-8")
    lines = [f"{p.line}: {p.dotted_path}: {p.message}" for p in validate_file(path).problems]
    assert "3: dismissals[0].finding: 'per-06 store' is not a finding key: write it as " \
           "'auditor gaps --json' shows it, e.g. 'PER-06:store'" in lines
    assert any(line.startswith("4: dismissals[1].reason: ") for line in lines)
    assert any(line.startswith("5: dismissals[2]: ") and "'until'" in line for line in lines)
    assert "7: dismissals[4].finding: 'PER-08:web' is dismissed twice; keep one of the two" \
        in lines
    assert any(line.startswith("8: dismissals[5].by: missing required field") for line in lines)


def test_dismissing_a_finding_that_does_not_fire(tmp_path: Path, run_cli) -> None:
    path = _demo(tmp_path)
    key = _gaps(run_cli, path)["findings"][0]["key"]
    before = path.read_bytes()
    run = run_cli("dismiss", str(path), key + "x", "--reason", "typo")
    assert run.code == 2
    assert f"did you mean '{key}'?" in run.err and "gaps" in run.err
    past = run_cli("dismiss", str(path), key, "--reason", "late", "--until", "2020-01-01")
    assert past.code == 2 and "--until 2020-01-01 is already past" in past.err
    assert path.read_bytes() == before
