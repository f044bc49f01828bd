"""Id namespaces: graph nodes share one, skills have their own; duplicates are located."""

from __future__ import annotations

from pathlib import Path

from auditor.graph.build import build_graph
from auditor.graph.keys import skill_key
from auditor.store.audit_file import load_audit, validate_file

SHARED_NAME = """\
client: {name: NS}
inventory:
  systems:
    - {id: cdp, name: CDP, roles: [cdp], owners: [data], capabilities: [identity-resolution]}
  channels:
    - {id: paid-media, name: Paid media, kind: paid-media}
  teams:
    - id: data
      name: Data
      skills: [{skill: identity-resolution, level: 2}, {skill: paid-media, level: 1}]
  skills:
    - {id: identity-resolution, name: Identity resolution}
    - {id: paid-media, name: Buying paid media}
  capabilities:
    - {id: identity-resolution, name: Identity resolution}
"""


def test_a_skill_may_share_its_id_with_a_capability_or_channel(tmp_path: Path) -> None:
    path = tmp_path / "ns.audit.yaml"
    path.write_text(SHARED_NAME)
    assert validate_file(path).ok
    g = build_graph(load_audit(path))
    assert g.nodes["identity-resolution"]["kind"] == "capability"
    assert g.nodes[skill_key("identity-resolution")]["kind"] == "skill"
    assert g.nodes["paid-media"]["kind"] == "channel"
    staffed = {v for _, v, t in g.out_edges("data", data="type") if t == "staffed_by"}
    assert staffed == {skill_key("identity-resolution"), skill_key("paid-media")}


def test_duplicate_ids_are_reported_where_they_repeat(tmp_path: Path) -> None:
    path = tmp_path / "dup.audit.yaml"
    path.write_text(SHARED_NAME.replace("    - {id: paid-media, name: Buying paid media}",
                                        "    - {id: identity-resolution, name: Again}")
                    .replace("kind: paid-media}", "kind: paid-media}\n    - {id: cdp, name: Dup, kind: web}"))
    report = validate_file(path)
    assert any(p.dotted_path == "inventory.skills[1].id" and "duplicate skill id" in p.message
               and p.line > 1 for p in report.problems), report.problems
    assert any(p.dotted_path == "inventory.channels[1].id" and "duplicate id 'cdp'" in p.message
               for p in report.problems), report.problems
