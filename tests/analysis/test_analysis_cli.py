"""`auditor gaps`, `auditor score`, `auditor rules` as a user runs them, and their 80-column views."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rich.console import Console

from auditor.analysis.assess import assess
from auditor.analysis.gaps import gap_list
from auditor.catalogue import load_catalogue
from auditor.cli.analysis_view import (
    EVIDENCE_SHOWN,
    render_catalogue,
    render_gaps,
    render_root_causes,
    render_scores,
)
from auditor.cli.console import THEME
from auditor.rules.engine import checked_rules
from auditor.schema.assessment import SEVERITY_RANK
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit

REPO = Path(__file__).parents[2]
E1 = REPO / "examples" / "e1-harbour-pine.audit.yaml"
MEDIUM_ONLY = REPO / "tests" / "rules" / "fixtures" / "JRN-08" / "fire.audit.yaml"

# An engagement system that no system of record feeds (TEC-01) while the CIO rates integration
# at 3: the score must show the cap and the contradiction rule must fire.
CAPPED = """\
schema_version: 1
client: {name: "Capped [bold]Ltd[/bold]"}
respondents:
  - {id: cio, name: CIO}
answers:
  - {question: q9.3, respondent: cio, value: 3}
  - {question: q9.4, respondent: cio, value: 3}
inventory:
  systems:
    - {id: crm, name: CRM, roles: [system-of-record], masters: [person]}
    - {id: esp, name: Email tool, roles: [system-of-engagement]}
    - {id: sheet, name: Spreadsheet, roles: [other]}
  data:
    - {id: person, name: Person, class: identity}
  flows:
    - {source: esp, target: crm, data: [person], mode: manual}
"""


def _console() -> Console:
    return Console(file=StringIO(), width=80, theme=THEME, highlight=False, color_system=None)


def _text(console: Console) -> str:
    return console.file.getvalue()  # type: ignore[attr-defined]


def _fits(text: str) -> None:
    too_wide = [line for line in text.splitlines() if len(line.rstrip()) > 80]
    assert too_wide == []


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch) -> Callable[..., Result]:
    """Run ``auditor`` in this process (fast); the consoles are re-bound to the captured streams."""
    from auditor.cli import console as console_module
    from auditor.cli import main

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str) -> Result:
        capsys.readouterr()
        saved = console_module.out, console_module.err
        console_module.refresh()  # bind to the captured streams for this call only
        try:
            code = main(list(args))
        finally:
            # Later tests must not inherit consoles bound to streams pytest closes.
            console_module.out, console_module.err = saved
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def capped_audit(tmp_path: Path) -> Path:
    path = tmp_path / "capped.audit.yaml"
    path.write_text(CAPPED, encoding="utf-8")
    return path


def test_gaps_leads_with_root_causes(run_cli) -> None:
    result = run_cli("gaps", str(E1))
    assert result.code == 0, result.err
    out = result.out
    _fits(out)
    assert out.startswith("Harbour & Pine: ")
    assessment = assess(load_audit(E1))
    assert f"{len(assessment.root_causes)} root causes behind {len(assessment.findings)} " \
           f"findings" in out
    first = assessment.root_causes[0]
    assert f"1  {first.severity.upper()}" in out
    for text in ("Evidence (", "What to do (Resolve identities in a CDP or matching service)",
                 "Reach: ", "interactions a year", "Not assessed"):
        assert text in out, text
    # Every finding appears once, under its root cause.
    for finding in assessment.findings:
        assert out.count(f"• {finding.rule} ") == sum(
            1 for f in assessment.findings if f.rule == finding.rule)


def test_gaps_by_rule_lists_findings_with_evidence_rationale_and_recommendation(run_cli) -> None:
    result = run_cli("gaps", str(E1), "--by", "rule")
    assert result.code == 0, result.err
    out = result.out
    _fits(out)
    assert out.startswith("Harbour & Pine: ")
    for text in ("Person ─", "Journeys ─", "PER-01 HIGH", "JRN-01 CRITICAL", "Evidence:",
                 "Why it matters:", "Recommendation:",
                 "(remedy: Resolve identities in a CDP or matching service)", "Not assessed"):
        assert text in out, text
    # Most severe component first: Journeys holds the only critical finding.
    assert out.index("Journeys ─") < out.index("Person ─")
    # Each finding shows the key 'auditor dismiss' takes (long keys may wrap: compare squashed).
    squashed = "".join(out.split())
    for finding in assess(load_audit(E1)).findings:
        assert f"Key:{finding.key}" in squashed, finding.key


def test_gaps_json_is_sorted_and_byte_identical(run_cli) -> None:
    first = run_cli("gaps", str(E1), "--json")
    second = run_cli("gaps", str(E1), "--json")
    assert first.code == 0 and first.out == second.out
    data = json.loads(first.out)
    assert data["client"] == "Harbour & Pine"
    assert {"rule", "severity", "evidence", "rationale", "recommendation", "remedy"} <= set(
        data["findings"][0])
    listed = [k for c in data["root_causes"] for k in c["findings"]]
    assert sorted(listed) == sorted(f["key"] for f in data["findings"])  # each exactly once
    assert sum(data["counts"].values()) == len(data["findings"])
    per_01 = next(f for f in data["findings"] if f["rule"] == "PER-01")
    assert set(per_01["evidence"]["nodes"]) >= {"shop", "pos", "helpdesk"}


def test_gaps_filters_by_severity_and_component(cli) -> None:
    high = json.loads(cli("gaps", str(E1), "--json", "--min-severity", "high").out)
    assert high["findings"] and all(SEVERITY_RANK[f["severity"]] >= 2 for f in high["findings"])
    person = json.loads(cli("gaps", str(E1), "--json", "--component", "person").out)
    assert person["findings"] and {f["component"] for f in person["findings"]} == {"person"}
    both = json.loads(cli("gaps", str(E1), "--json", "--component", "person",
                              "--component", "journeys").out)
    assert {f["component"] for f in both["findings"]} == {"person", "journeys"}
    # Root causes follow the same filter: only listed findings beneath them.
    keys = {f["key"] for f in high["findings"]}
    assert high["root_causes"] and all(set(c["findings"]) <= keys for c in high["root_causes"])
    assert {k for c in high["root_causes"] for k in c["findings"]} == keys


def test_fail_on_sets_the_exit_code(cli) -> None:
    assert cli("gaps", str(MEDIUM_ONLY), "--fail-on", "high").code == 0
    assert cli("gaps", str(MEDIUM_ONLY), "--fail-on", "medium").code == 1
    assert cli("gaps", str(E1), "--json", "--fail-on", "critical").code == 1
    # Filtering away the only critical finding also clears the check.
    assert cli("gaps", str(E1), "--component", "person", "--fail-on", "critical").code == 0


def test_bad_option_and_bad_file_are_clean_errors(run_cli, tmp_path: Path) -> None:
    bad = run_cli("gaps", str(E1), "--min-severity", "severe")
    assert bad.code == 2 and "Traceback" not in bad.err
    broken = tmp_path / "broken.audit.yaml"
    broken.write_text("client: {name: X}\ninventory:\n  systems:\n    - {id: a, name: A, "
                      "roles: [crm]}\n", encoding="utf-8")
    result = run_cli("score", str(broken))
    assert result.code == 2 and "Traceback" not in result.err
    assert "broken.audit.yaml:4" in result.err


def test_score_shows_caps_and_levels(cli, capped_audit: Path) -> None:
    result = cli("score", str(capped_audit))
    assert result.code == 0, result.err
    _fits(result.out)
    assert result.out.startswith("Capped [bold]Ltd[/bold]\nSelf-rated 1.0 (Listening) of 4 — ")
    assert ("from 1 of 9 questions (2 of 24 sub-questions), 1 respondent"
            in " ".join(result.out.split()))
    assert "Q9 self-rated 3.0, capped at 1: the systems of record and engagement are" in result.out
    assert "(TEC-01)" in result.out
    data = json.loads(cli("score", str(capped_audit), "--json").out)
    q9 = next(q for q in data["scores"]["questions"] if q["question"] == "q9")
    assert (q9["self_rating"], q9["score"], q9["cap"]["rule"]) == (3.0, 1.0, "TEC-01")
    assert q9["evidenced"]["level"] is not None and q9["stage"] == "Listening"


def test_contradiction_cites_answer_and_graph(cli, capped_audit: Path) -> None:
    data = json.loads(cli("gaps", str(capped_audit), "--json").out)
    con = next(f for f in data["findings"] if f["rule"] == "CON-04")
    assert con["evidence"]["answers"] == ["q9.3/cio"]
    assert "sheet" in con["evidence"]["nodes"] and con["evidence"]["edges"] == ["esp-to-crm"]


def test_rules_lists_the_catalogue_and_what_an_audit_lacks(cli) -> None:
    listing = cli("rules")
    assert listing.code == 0
    _fits(listing.out)
    for rule_id in ("PER-01", "JRN-08", "GOV-05", "SKL-03", "TEC-11", "CON-01"):
        assert rule_id in listing.out
    with_audit = cli("rules", str(E1), "--json")
    rows = {r["id"]: r for r in json.loads(with_audit.out)["rules"]}
    assert rows["CON-04"]["assessed"] is False and (
        "no answer on how integrated the systems are" in rows["CON-04"]["reason"])
    assert rows["PER-01"]["assessed"] is True and rows["PER-01"]["findings"] == 1


def test_not_assessed_is_never_a_silent_pass() -> None:
    audit = Audit.model_validate({"client": {"name": "Empty"}})
    assessment = assess(audit)
    assert assessment.findings == ()
    statuses = {s.rule: s for s in assessment.rules}
    assert len(statuses) == len(checked_rules(load_catalogue()))
    assert not statuses["PER-03"].assessed and statuses["PER-03"].reason.startswith(
        "no answer on keeping person data clean")
    assert not statuses["JRN-07"].assessed
    listed = gap_list(assessment)
    assert {s.rule for s in listed.not_assessed} >= {"PER-03", "JRN-07"}


def test_views_fit_80_columns_and_escape_client_text(capped_audit: Path) -> None:
    assessment = assess(load_audit(capped_audit))
    console = _console()
    render_gaps(gap_list(assessment), console)
    render_root_causes(gap_list(assessment), console)
    render_scores(assessment, console)
    render_catalogue(checked_rules(load_catalogue()), console, {s.rule: s for s in assessment.rules})
    render_catalogue(checked_rules(load_catalogue()), console)
    text = _text(console)
    _fits(text)
    assert "Capped [bold]Ltd[/bold]" in text  # printed literally, not as markup


def test_demo_step_writes_gaps_json(tmp_path: Path, capsys) -> None:
    from auditor.cli import console as console_module
    from auditor.cli.analyse import gaps_demo_step

    saved = console_module.out, console_module.err
    console_module.refresh()
    try:
        from auditor.analysis.assess import analyse

        gaps_demo_step(analyse(load_audit(E1)), tmp_path)
    finally:
        console_module.out, console_module.err = saved
    written = json.loads((tmp_path / "gaps.json").read_text(encoding="utf-8"))
    assert written == gap_list(assess(load_audit(E1))).to_json()
    assert "maturity" in capsys.readouterr().out


def test_score_puts_self_rated_and_evidenced_side_by_side(cli) -> None:
    result = cli("score", str(E1))
    assert result.code == 0, result.err
    _fits(result.out)
    said = " ".join(result.out.split())
    # Confidence on the self-rated line, with the weakest question it rests on.
    assert ("Self-rated 2.0 (Self-service) of 4 — from 3 of 9 questions (3 of 24 "
            "sub-questions), 2 respondents; "
            "weakest: Q8 Data quality") in said
    assert "Evidenced 1.0 (Listening) of 4" in said
    assert ("The next stage, Self-service, requires: • Name a steward for the person data, or "
            "give a system the data-quality role. • Bring In-store sale into a system of record"
            in said)
    # People by name, sub-questions by their short title; a split vote as a tie.
    assert ("Conversations carrying over between channels: Maya Penrose 1, Tom Achebe 3 "
            "(median 2)") in said
    assert "Conversations carrying over between channels: a tie between 1 and 3, shown as 2" in said
    assert "q3.4:" not in said
    # Person: five root causes (three high, two medium) take 0.95 off the 1 the inventory
    # reaches: 0.05, shown as 0.1 (tests/analysis/test_evidence_examples.py works it out).
    assert ("Person: self-rated 1.0 (Listening) — from 1 of 3 questions (1 of 7 sub-questions), "
            "2 respondents; "
            "evidenced 0.1 (Inward-facing record-keeping)") in said
    assert "Held down 0.95 by 5 root causes (evidence alone: 1)" in said


QUESTION_ID = re.compile(r"\bq[0-9]+\.[0-9]+b?\b")


@pytest.mark.parametrize("name", ["e1-harbour-pine", "e2-lakeside-university",
                                  "e3-riverbend-food-bank"])
def test_sentences_name_questions_by_their_short_title(cli: Callable[..., Any], name: str) -> None:
    """Issue 10: ids stay in evidence and JSON; the sentences of gaps and score name a
    question by its short title from the bank. Only the Evidence and Key lines and the score
    table's column of sub-question medians keep ids."""
    audit = str(REPO / "examples" / f"{name}.audit.yaml")
    said = []
    for args in (("gaps", audit), ("gaps", audit, "--by", "rule"), ("score", audit)):
        result = cli(*args)
        assert result.code == 0, result.err
        said += [line for line in result.out.splitlines()
                 if not line.strip().startswith(("Evidence:", "Key:"))]
    table_rows = re.compile(r"^Q[0-9] .*( [0-9]\.[0-9]|–) ")
    with_ids = [line for line in said if QUESTION_ID.search(line) and not table_rows.match(line)]
    assert with_ids == []


def test_every_question_of_the_nine_has_a_short_title() -> None:
    bank = next(b for b in load_catalogue().banks if b.id == "nine-questions")
    for q in bank.questions():
        if q.type == "target":
            continue
        assert q.short and not QUESTION_ID.search(q.short) and "?" not in q.short, q.id
        # Read inside a sentence ("rates executive sponsorship at 1"): starts in lower case.
        assert q.short[0].islower(), q.id
    assert load_catalogue().question_name("q7.1") == "executive sponsorship"
    assert load_catalogue().question_name("nope") == "nope"


def test_an_even_split_of_question_scores_is_a_tie(cli: Callable[..., Any], tmp_path: Path) -> None:
    """Two questions scored 1 and 3: the overall 2.0 is their midpoint, said as a tie."""
    path = tmp_path / "split.audit.yaml"
    path.write_text("schema_version: 1\nclient: {name: Split}\n"
                    "respondents:\n  - {id: cmo, name: CMO}\n"
                    "answers:\n  - {question: q7.1, respondent: cmo, value: 3}\n"
                    "  - {question: q8.1, respondent: cmo, value: 1}\n", encoding="utf-8")
    scores = assess(load_audit(path)).scores
    assert (scores.overall, scores.overall_tie) == (2.0, (1.0, 3.0))
    result = cli("score", str(path))
    said = " ".join(result.out.split())
    assert ("Self-rated 2.0 (Self-service) of 4, a tie between 1 and 3 — from 2 of 9 "
            "questions (2 of 24 sub-questions), 1 respondent; weakest: Q8 Data quality") in said
    # A component nobody rated says so, instead of "self-rated not rated".
    assert "Skills: no self-rating (none of its questions answered)" in said
    odd = assess(load_audit(E1)).scores
    assert odd.overall_tie is None  # three questions: the middle one is a level someone gave


def test_next_stage_is_said_in_the_clients_words(cli: Callable[..., Any]) -> None:
    """A university's next stage asks about what students enter, not customers."""
    result = cli("score", str(REPO / "examples" / "e2-lakeside-university.audit.yaml"))
    said = " ".join(result.out.split())
    assert ("Send what students enter through Course site and Self-service requests to a "
            "system of record.") in said


def test_a_cause_resting_on_many_findings_lists_the_lead_and_the_most_severe(
        synthetic: ModuleType) -> None:
    # The benchmarks' small synthetic estate has causes of a dozen findings and more.
    assessment = assess(Audit.model_validate(synthetic.ecosystem(synthetic.SIZES["S"])))
    by_key = {f.key: f for f in assessment.findings}
    console = _console()
    render_root_causes(gap_list(assessment), console)
    out = console.file.getvalue()  # type: ignore[attr-defined]

    blocks = re.split(r"\n(?=\d+ +(?:LOW|MEDIUM|HIGH|CRITICAL) )", out)[1:]
    assert len(blocks) == len(assessment.root_causes)
    long = 0
    for cause, block in zip(assessment.root_causes, blocks):
        listed = re.findall(r"^    • (\S+) (\w+)  ", block, flags=re.M)
        findings = [by_key[k] for k in cause.findings]
        if len(findings) <= EVIDENCE_SHOWN + 2:
            assert len(listed) == len(findings) and "more; 'auditor gaps" not in block
            continue
        long += 1
        assert len(listed) == EVIDENCE_SHOWN
        assert f"… and {len(findings) - EVIDENCE_SHOWN:,} more; 'auditor gaps --by rule' " \
               "lists every finding" in " ".join(block.split())
        lead, *rest = findings
        assert listed[0] == (lead.rule, lead.severity)  # the finding the headline is about
        worst = sorted((SEVERITY_RANK[f.severity] for f in rest), reverse=True)
        assert sorted((SEVERITY_RANK[s] for _, s in listed[1:]), reverse=True) == \
            worst[:EVIDENCE_SHOWN - 1]
    assert long, "the S estate has causes with more findings than the terminal lists"
