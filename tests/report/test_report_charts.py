"""Chart geometry: values land where the 0-4 scale says, whatever the labels."""

from __future__ import annotations

import math

from auditor.render.report import charts


def _points(text: str) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in text.split()]  # type: ignore[misc]


def test_radar_puts_each_value_on_its_axis_at_its_level():
    r = charts.radar(["A", "B", "C", "D"], {"score": [4, 2, 0, None]}, size=400, radius=100)
    (a, b, c, d) = _points(r.series[0].points)
    assert (round(a[0]), round(a[1])) == (200, 100)  # level 4 straight up, full radius
    assert (round(b[0]), round(b[1])) == (250, 200)  # level 2 to the right, half radius
    assert (round(c[0]), round(c[1])) == (200, 200) == (round(d[0]), round(d[1]))
    assert len(r.series[0].dots) == 3  # no dot for the unanswered axis
    assert [lvl for lvl, _ in r.rings] == [1, 2, 3, 4]
    assert [axis.anchor for axis in r.axes] == ["middle", "start", "middle", "end"]


def test_bars_are_proportional_and_unscored_rows_are_empty():
    b = charts.bars([("Person", 2.0), ("Skills", None), ("Technologies", 4.0)])
    assert b.bars[0].width * 2 == b.bars[2].width
    assert b.bars[1].width == 0 and b.bars[1].value is None
    assert math.isclose(b.ticks[-1][1] - b.ticks[0][1], b.bars[2].width)


def test_strip_shows_range_median_and_separates_equal_answers():
    s = charts.strip([("q1.1", "How?", 2.0, [("Ann", 1.0), ("Bo", 3.0), ("Cy", 3.0)])],
                     ["Ann", "Bo", "Cy"])
    row = s.rows[0]
    assert row.spread == 2.0 and row.low_x < row.median_x < row.high_x
    bo, cy = row.dots[1], row.dots[2]
    assert bo.level == cy.level and bo.x != cy.x  # side by side, not on top of each other
    assert [d.shade for d in row.dots] == [0, 1, 2]


def test_person_matrix_marks_masters_and_copies():
    from report_helpers import REPO

    from auditor.analysis.assess import analyse
    from auditor.render.report.names import names_of
    from auditor.render.report.registers import person_matrix
    from auditor.store.audit_file import load_audit

    audit = load_audit(REPO / "examples" / "demo.audit.yaml")
    blueprint = analyse(audit).assessment.blueprint
    assert blueprint is not None
    person = blueprint.component("person")
    assert person is not None and person.person is not None
    matrix = person_matrix(person.person, names_of(audit))
    cells = {row.name: dict(zip(matrix.systems, row.cells)) for row in matrix.rows}
    # Salesforce masters email addresses; Marketo receives them through a flow.
    assert cells["Email address"]["Salesforce Sales Cloud"] == "master"
    assert cells["Email address"]["Marketo Engage"] == "copy"
    rows = {row.name: row for row in matrix.rows}
    # several masters and no survivorship rule is a conflict; a rule settles it
    assert rows["Email address"].conflict and rows["Email address"].survivorship is None
    phone = rows["Phone number"]
    assert not phone.conflict and phone.survivorship and "Salesforce" in phone.survivorship
    assert rows["Email marketing consent"].steward == "Marketing & Digital"
    # columns: only systems holding person data, those holding the most first
    held = [sum(1 for row in matrix.rows if row.cells[i]) for i in range(len(matrix.systems))]
    assert all(held) and held == sorted(held, reverse=True)
    assert person_matrix(None, names_of(audit)).rows == ()
