"""The commands without a terminal: answer, interview --answers / --no-input, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import console, main
from auditor.store.audit_file import load_audit


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    console.refresh()  # bind the rich consoles to pytest's captured streams
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_answer_stores_values_of_every_type(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = str(audit_path)
    assert run(capsys, "answer", a, "q8.1", "2", "--respondent", "CIO", "--note", "Weekly dedupe")[0] == 0
    assert run(capsys, "answer", a, "Q6.4", "none", "-r", "sam-lee")[0] == 0
    assert run(capsys, "answer", a, "q8.3", "12.5%", "-r", "Sam Lee")[0] == 0
    assert run(capsys, "answer", a, "q1.4", "email, Phone number", "-r", "cio")[0] == 0
    code, out, _ = run(capsys, "answer", a, "q2.3", "--na", "Single product", "-r", "cio")
    assert code == 0 and "q2.3 = not applicable for Sam Lee" in out
    audit = load_audit(audit_path)
    got = {x.question: (x.value, x.note, x.reason) for x in audit.answers}
    assert got == {
        "q8.1": (2, "Weekly dedupe", None),
        "q6.4": (["none"], None, None),
        "q8.3": (12.5, None, None),
        "q1.4": (["email", "phone"], None, None),
        "q2.3": (None, None, "Single product"),
    }


@pytest.mark.parametrize(("args", "message"), [
    (("q8.1", "7", "-r", "cio"), "'7' is not a level: use 0–4"),
    (("q6.4", "none,coe", "-r", "cio"), "'none' cannot be combined"),
    (("q8.9", "2", "-r", "cio"), "there is no question 'q8.9'"),
    (("q8.1", "2", "-r", "Chief Marketing Officer"), "is not a respondent of this audit"),
    (("q8.1", "2"), "--respondent is needed"),
    (("q9.1", "crm", "-r", "cio"), "captures inventory items"),
])
def test_answer_rejects_bad_input_and_leaves_the_file_alone(
        audit_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
        message: str) -> None:
    before = audit_path.read_bytes()
    code, _, err = run(capsys, "answer", str(audit_path), *args)
    assert code == 2
    assert message in " ".join(err.split())
    assert "Traceback" not in err
    assert audit_path.read_bytes() == before


def test_unknown_respondent_error_lists_the_known_ones(
        audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "answer", str(audit_path), "q8.1", "2", "-r", "Dana Ortis")
    flat = " ".join(err.split())
    assert "did you mean 'Dana Ortiz'?" in flat
    assert "dana-ortiz (Dana Ortiz, Head of Service)" in flat and "sam-lee (Sam Lee, CIO)" in flat


def test_interview_without_a_terminal_says_what_to_do_instead(
        audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for extra in (["--no-input"], []):  # pytest's stdin is not a terminal either
        code, _, err = run(capsys, "interview", str(audit_path), "-r", "cio", *extra)
        flat = " ".join(err.split())
        assert code == 2
        assert "asks questions in a terminal" in flat and "--answers answers.yaml" in flat


def test_answers_file_is_validated_then_stored(
        audit_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("respondent: cio\nanswers:\n  q8.1: 9\n  q6.4: [coe]\n  q7.9: 1\n"
                   "  q2.3: {not_applicable: true}\n", encoding="utf-8")
    before = audit_path.read_bytes()
    code, _, err = run(capsys, "interview", str(audit_path), "--answers", str(bad))
    flat = " ".join(err.split())
    assert code == 2
    assert "bad.yaml:6:" in flat and "needs a reason" in flat
    assert audit_path.read_bytes() == before

    bad.write_text("respondent: cio\nanswers:\n  q8.1: 9\n  q6.4: [coe]\n  q7.9: 1\n", encoding="utf-8")
    code, _, err = run(capsys, "interview", str(audit_path), "--answers", str(bad))
    flat = " ".join(err.split())
    assert code == 2 and "2 problems" in flat
    assert "bad.yaml:3:9: answers.q8.1: 9 is not a level" in flat
    assert "bad.yaml:5:9: answers.q7.9: unknown question 'q7.9'; did you mean 'q7." in flat
    assert audit_path.read_bytes() == before

    good = tmp_path / "answers.yaml"
    good.write_text(
        "answers:\n"
        "  q7.1: 3\n"
        "  q7.4:\n    value: Two-year budget approved\n    evidence: Board minutes, March\n"
        "  q2.3:\n    not_applicable: true\n    reason: One product only\n",
        encoding="utf-8")
    code, out, _ = run(capsys, "interview", str(audit_path), "--answers", str(good), "-r", "Dana")
    assert code == 0 and "Stored 3 answers" in out
    audit = load_audit(audit_path)
    q74 = audit.answer_for("q7.4", "dana-ortiz")
    assert q74 is not None and q74.evidence == "Board minutes, March"
    q23 = audit.answer_for("q2.3", "dana-ortiz")
    assert q23 is not None and q23.not_applicable and q23.reason == "One product only"


def test_status_shows_progress_gaps_and_disagreement(
        audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = str(audit_path)
    run(capsys, "answer", a, "q3.4", "1", "-r", "dana")
    run(capsys, "answer", a, "q3.4", "3", "-r", "cio")
    run(capsys, "answer", a, "q3.2", "--na", "No channels yet", "-r", "cio")
    code, out, _ = run(capsys, "status", a)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    q3_row = next(line for line in out.splitlines() if line.lstrip().startswith("q3 "))
    assert "1/5" in q3_row and "2/5" in q3_row
    assert "q3.2 Sam Lee: No channels yet" in out
    assert "Respondents disagree by 2 or more levels" in out
    assert "q3.4" in out and "Dana Ortiz 1, Sam Lee 3" in out
    # Unanswered questions by their short titles, the id kept for --section.
    assert ("Dana Ortiz has not answered 53 questions: how records of one person are matched "
            "(q1.1); the kinds of people engaged (q1.2)") in " ".join(out.split())
    assert "and 48 more" in " ".join(out.split())

    code, out, _ = run(capsys, "status", a, "--json")
    data = json.loads(out)
    assert data["disagreements"][0]["question"] == "q3.4"
    assert data["disagreements"][0]["levels"] == {"dana-ortiz": 1, "sam-lee": 3}


def test_status_names_the_audiences_still_missing(
        audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from auditor.store.audit_file import open_audit, save_audit

    doc = open_audit(audit_path)
    doc.audit.respondents[1].audience = "it"  # Sam Lee, the CIO
    save_audit(doc)
    a = str(audit_path)
    run(capsys, "answer", a, "q9.4", "2", "-r", "cio")
    run(capsys, "answer", a, "q9.3", "2", "-r", "dana")  # Dana has no audience: counts for none
    code, out, _ = run(capsys, "status", a)
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 80
    said = " ".join(out.split())
    assert "Audiences still to hear from" in said
    # q9.4 is written for executives and IT, and the CIO answered it; q9.3 still lacks both
    # of its audiences.
    assert "Q9 practitioners (q9.3); IT (q9.3); executives (q9.4)" in said
    code, out, _ = run(capsys, "status", a, "--json")
    gaps = {g["question"]: g["missing"] for g in json.loads(out)["audiences"]}
    assert gaps["q9.4"] == ["executive"] and gaps["q9.3"] == ["practitioner", "it"]
    assert gaps["q7.1"] == ["executive"]


def test_answer_sets_a_target(audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "answer", str(audit_path), "target.person", "3")
    assert code == 0, out
    assert "Saved target for Person: 3 (Conversation)" in out  # no respondent needed
    audit = load_audit(audit_path)
    assert audit.targets == {"person": 3}
    assert audit.answer_for("target.person", "dana-ortiz") is None  # the client's, not Dana's
    code, out, _ = run(capsys, "score", str(audit_path), "--json")
    person = next(c for c in json.loads(out)["scores"]["components"] if c["component"] == "person")
    assert (person["target"], person["target_stage"]) == (3, "Conversation")


def test_answers_file_sets_targets(audit_path: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    given = tmp_path / "answers.yaml"
    given.write_text("respondent: dana\nanswers:\n  q7.1: 3\n  target.person: 3 Conversation\n"
                     "  target.technologies: 2\n", encoding="utf-8")
    code, _, err = run(capsys, "interview", str(audit_path), "--answers", str(given))
    assert code == 0, err
    audit = load_audit(audit_path)
    assert audit.targets == {"person": 3, "technologies": 2}
    assert [a.question for a in audit.answers] == ["q7.1"]
