"""Model -> YAML -> model is the identity; hand-written comments and order survive rewrites."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.schema.audit import (
    SYSTEM_ROLES,
    Answer,
    Audit,
    Channel,
    Client,
    DataAttribute,
    DataEntity,
    Flow,
    Inventory,
    Respondent,
    System,
)
from auditor.store.audit_file import AuditDocument, open_audit, save_audit

ids = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}\Z")
# Any printable text a consultant might type, including quotes, colons, '#', unicode, newlines.
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"),
               min_size=1, max_size=40).filter(lambda s: s.strip() == s and s != "")
opt_text = st.none() | text


@st.composite
def audits(draw: st.DrawFn) -> Audit:
    system_ids = draw(st.lists(ids, min_size=0, max_size=5, unique=True))
    data_ids = [f"d-{i}" for i in range(draw(st.integers(0, 3)))]
    systems = [
        System(id=s, name=draw(text), roles=draw(st.lists(st.sampled_from(SYSTEM_ROLES), max_size=3, unique=True)),
               vendor=draw(opt_text), masters=draw(st.lists(st.sampled_from(data_ids), unique=True)) if data_ids else [],
               standalone=draw(st.booleans()), status=draw(st.sampled_from(["current", "planned"])))
        for s in system_ids
    ]
    flows = []
    if len(system_ids) >= 2:
        for i in range(draw(st.integers(0, 4))):
            a, b = draw(st.permutations(system_ids))[:2]
            flows.append(Flow(id=f"f-{i}", source=a, target=b, mode=draw(st.sampled_from(["real-time", "batch", "manual", "unknown"])),
                              frequency=draw(st.none() | st.sampled_from(["hourly", "daily"])),
                              data=draw(st.lists(st.sampled_from(data_ids), unique=True)) if data_ids else []))
    data = [DataEntity(id=d, name=draw(text), data_class=draw(st.sampled_from(["identity", "consent", "case"])),
                       attributes=[DataAttribute(id=f"{d}-a", name=draw(text))] if draw(st.booleans()) else [])
            for d in data_ids]
    channels = [Channel(id=f"ch-{i}", name=draw(text), kind="web",
                        interactions_per_year=draw(st.none() | st.integers(0, 10**9)))
                for i in range(draw(st.integers(0, 2)))]
    respondents = [Respondent(id=f"r-{i}", name=draw(text), role=draw(opt_text)) for i in range(draw(st.integers(0, 2)))]
    # Values must fit their question (the store checks them against the banks): a rubric
    # level, free text, options of a multi-choice question, a percentage.
    by_question = {"q1.1": st.integers(0, 4), "q7.4": text,
                   "q1.2": st.lists(st.sampled_from(["buyers", "users", "families"]), min_size=1,
                                    max_size=3, unique=True).map(sorted_options),
                   "q2.3": st.floats(0, 100, allow_nan=False).filter(lambda x: not x.is_integer())}
    answers = [Answer(question=q, respondent=r.id,
                      value=draw(st.none() | by_question[q]), note=draw(opt_text))
               for r in respondents
               for q in draw(st.lists(st.sampled_from(sorted(by_question)), unique=True, max_size=3))]
    return Audit(client=Client(name=draw(text), industry=draw(opt_text)), respondents=respondents, answers=answers,
                 inventory=Inventory(systems=systems, flows=flows, data=data, channels=channels))


def sorted_options(values: list[str]) -> list[str]:
    order = ["buyers", "users", "families"]
    return sorted(values, key=order.index)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(audit=audits())
def test_model_yaml_model_is_identity(tmp_path_factory, audit: Audit) -> None:
    path = tmp_path_factory.mktemp("rt") / "a.audit.yaml"
    save_audit(AuditDocument(path, audit))
    assert open_audit(path).audit == audit
    # and a second save of the unchanged model rewrites nothing
    before = path.read_bytes()
    doc = open_audit(path)
    save_audit(doc)
    assert path.read_bytes() == before


HAND_WRITTEN = """\
# Acme audit -- started in the kick-off workshop
schema_version: 1
client:
  name: "Acme Retail"   # legal name is Acme Retail Ltd
  industry: retail
inventory:
  # Listed in the order the CIO walked us through them
  systems:
    - name: Zendesk        # id generated from the name
      roles: [service-desk]
    - id: crm
      name: Salesforce
      roles: [system-of-record]
respondents: []
answers: []
"""


def test_rewrite_keeps_comments_order_and_quoting(tmp_path: Path) -> None:
    path = tmp_path / "acme.audit.yaml"
    path.write_text(HAND_WRITTEN)
    doc = open_audit(path)
    assert [s.id for s in doc.audit.inventory.systems] == ["zendesk", "crm"]
    doc.audit.inventory.systems[1].vendor = "Salesforce"
    doc.audit.respondents.append(Respondent(id="cio", name="Pat Lee", role="CIO"))
    save_audit(doc)
    text = path.read_text()
    for kept in ("# Acme audit -- started in the kick-off workshop", '"Acme Retail"   # legal name',
                 "# Listed in the order the CIO", "# id generated from the name"):
        assert kept in text
    # key order as written: client before inventory before respondents
    assert text.index("client:") < text.index("inventory:") < text.index("respondents:")
    assert "id: zendesk" in text  # generated ids are written back, so they stay stable
    assert "vendor: Salesforce" in text and "name: Pat Lee" in text
    assert (tmp_path / "acme.audit.yaml.bak").read_text() == HAND_WRITTEN


def test_invalid_file_is_never_overwritten(tmp_path: Path) -> None:
    import pytest

    from auditor.errors import AuditFileError

    path = tmp_path / "broken.audit.yaml"
    path.write_text("client:\n  name: X\ninventory:\n  systems: [{id: A B}]\n")
    before = path.read_bytes()
    with pytest.raises(AuditFileError):
        open_audit(path)
    assert path.read_bytes() == before and not (tmp_path / "broken.audit.yaml.bak").exists()


def test_save_refuses_when_file_changed_on_disk(tmp_path: Path) -> None:
    import pytest

    from auditor.errors import AuditFileError

    path = tmp_path / "a.audit.yaml"
    path.write_text("client:\n  name: X\n")
    doc = open_audit(path)
    path.write_text("client:\n  name: Edited by hand\n")
    doc.audit.client.name = "Y"
    with pytest.raises(AuditFileError, match="changed"):
        save_audit(doc)
    assert "Edited by hand" in path.read_text()
