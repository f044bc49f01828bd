"""Golden fixtures: every gap rule fires on one minimal ecosystem and stays quiet on another.

Layout, one folder per rule (``tests/rules/fixtures/<RULE-ID>/``):

- ``fire.audit.yaml``   an audit on which the rule must fire;
- ``quiet.audit.yaml``  a near-identical audit on which it must be assessed and stay silent;
- ``unassessed.audit.yaml`` (optional) an audit lacking the rule's inputs: it must be reported
  as not assessed, never as a pass;
- ``expected.yaml``::

      fire:                      # exactly these findings of the rule, in any order
        - subject: vip-sheet
          severity: medium
          nodes: [vip-sheet]     # optional: must all be in the finding's evidence
          edges: [...]           # optional, likewise
          answers: [q8.1/cio]    # optional, likewise
      unassessed: "q8.1"         # optional: text the not-assessed reason must contain
      cases:                     # optional: more audits in the folder, each with exactly
        hole.audit.yaml:         # these findings ([] = assessed and quiet); used for the
          - {subject: x, severity: high}   # logic holes a rule once had

Adding a rule without a fixture folder, or a folder for an unknown rule, fails the suite.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from auditor.analysis.assess import assess
from auditor.catalogue import load_catalogue
from auditor.rules.engine import checked_rules
from auditor.rules.registry import RULES
from auditor.store.audit_file import load_audit

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_DIRS = sorted(p for p in FIXTURES.iterdir() if p.is_dir()) if FIXTURES.is_dir() else []


def _expected(folder: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load((folder / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data.get("fire"), f"{folder}/expected.yaml needs 'fire:'"
    return data


def _check(folder: Path, name: str, expected: list[dict[str, Any]]) -> None:
    findings, status = _run(folder, name)
    assert status.assessed, f"{folder.name}/{name} not assessed: {status.reason}"
    got = Counter((f.subject, f.severity) for f in findings)
    want = Counter((e["subject"], e["severity"]) for e in expected)
    assert got == want, (name, [(f.subject, f.severity, f.message) for f in findings])
    for e in expected:
        match = [f for f in findings if (f.subject, f.severity) == (e["subject"], e["severity"])]
        for key in ("nodes", "edges", "answers"):
            if key in e:
                assert any(set(e[key]) <= set(getattr(f.evidence, key)) for f in match), (
                    f"{folder.name}/{name} {e['subject']}: evidence {key} lacks {e[key]}")
        for text in e.get("says", []):
            assert any(text in f"{f.message} {f.rationale} {f.recommendation}" for f in match), (
                f"{folder.name}/{name} {e['subject']}: no finding says {text!r}: "
                f"{[(f.message, f.rationale, f.recommendation) for f in match]}")


def _run(folder: Path, name: str):
    rule_id = folder.name
    audit = load_audit(folder / name)
    result = assess(audit, only={rule_id})
    status = result.rule_status(rule_id)
    assert status is not None, f"{rule_id} was not run"
    # A rule whose outcome is 'discussion' reports into the assessment's discussion list.
    return [f for f in (*result.findings, *result.discussion) if f.rule == rule_id], status


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_rule_fires(folder: Path) -> None:
    expected = _expected(folder)["fire"]
    findings, status = _run(folder, "fire.audit.yaml")
    assert status.assessed, f"{folder.name} not assessed: {status.reason}"
    got = Counter((f.subject, f.severity) for f in findings)
    want = Counter((e["subject"], e["severity"]) for e in expected)
    assert got == want, [f.message for f in findings]
    _check(folder, "fire.audit.yaml", expected)
    assert all(f.message and f.title and f.rationale and f.recommendation for f in findings)


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_rule_stays_quiet(folder: Path) -> None:
    findings, status = _run(folder, "quiet.audit.yaml")
    # A quiet case that was never assessed would be a silent pass: the fixture must avoid it.
    assert status.assessed, f"{folder.name} quiet case not assessed: {status.reason}"
    assert findings == [], [f.message for f in findings]


CASES = [(p, name) for p in FIXTURE_DIRS
         for name in sorted((_expected(p).get("cases") or {}))]


@pytest.mark.parametrize("folder,name", CASES, ids=[f"{p.name}/{n}" for p, n in CASES])
def test_rule_case(folder: Path, name: str) -> None:
    assert (folder / name).is_file(), f"{folder.name}/expected.yaml names a missing {name}"
    _check(folder, name, _expected(folder)["cases"][name] or [])


UNASSESSED = [p for p in FIXTURE_DIRS if (p / "unassessed.audit.yaml").is_file()]


@pytest.mark.parametrize("folder", UNASSESSED, ids=[p.name for p in UNASSESSED])
def test_rule_reports_not_assessed(folder: Path) -> None:
    findings, status = _run(folder, "unassessed.audit.yaml")
    assert not status.assessed and findings == []
    assert _expected(folder).get("unassessed", "") in status.reason


def test_every_registered_rule_has_a_fixture() -> None:
    catalogue = {m.id for m in checked_rules(load_catalogue())}
    missing = sorted(catalogue - {p.name for p in FIXTURE_DIRS})
    assert missing == [], f"rules without tests/rules/fixtures/<id>/: {missing}"


def test_every_fixture_names_a_registered_rule() -> None:
    checked_rules(load_catalogue())
    unknown = sorted({p.name for p in FIXTURE_DIRS} - set(RULES))
    assert unknown == [], f"fixture folders for unknown rules: {unknown}"


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=[p.name for p in FIXTURE_DIRS])
def test_fixture_folder_is_complete(folder: Path) -> None:
    for name in ("fire.audit.yaml", "quiet.audit.yaml", "expected.yaml"):
        assert (folder / name).is_file(), f"{folder.name} lacks {name}"
