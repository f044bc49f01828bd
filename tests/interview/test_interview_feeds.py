"""Every answer that is asked is used: each `feeds:` names a consumer that reads it."""

from __future__ import annotations

from pathlib import Path

from auditor.catalogue import load_catalogue
from auditor.rules.feeds import feed_problems, report_texts

REPO = Path(__file__).parents[2]


#: Feeds with no consumer yet, named so the debt is visible. The test fails when one of them gains its
#: reader (take it off this list then) and on any other feed nothing reads. Empty: q2.3 (the
#: share of customers holding several products), the last one, is now quoted by JRN-10 when
#: purchases never reach the marketing system (tests/rules/test_rules_answer_readers.py).
AWAITING: dict[str, str] = {}


def test_every_feed_names_a_consumer_that_reads_the_question() -> None:
    problems = feed_problems(load_catalogue(), report_texts(REPO / "reports"))
    unread = {p.path[0]: p.message.split(": ", 1)[0] for p in problems}
    assert unread == AWAITING, [str(p) for p in problems]


def test_a_feed_nothing_reads_is_reported(tmp_path: Path) -> None:
    from auditor.content import set_overrides

    bank = REPO / "questionnaires" / "nine-questions.yaml"
    text = bank.read_text(encoding="utf-8")
    # q1.3 is read by CON-01; claiming that GOV-06 and the report read it, that scoring does
    # and that the audit has a field it lacks are all false.
    assert "        feeds: [rule:CON-01]\n" in text
    broken = text.replace("        feeds: [rule:CON-01]\n",
                          "        feeds: [rule:GOV-06, report, score, inventory:systems.colour]\n", 1)
    folder = tmp_path / "mine" / "questionnaires"
    folder.mkdir(parents=True)
    (folder / "nine-questions.yaml").write_text(broken, encoding="utf-8")
    set_overrides([tmp_path / "mine"])
    try:
        problems = [str(p) for p in feed_problems(load_catalogue(), [])]
    finally:
        set_overrides([])
    joined = "\n".join(problems)
    for expected in ("rule GOV-06 does not read", "no report template quotes",
                     "scoring reads only the rubric", "no field inventory.systems.colour"):
        assert expected in joined, joined
