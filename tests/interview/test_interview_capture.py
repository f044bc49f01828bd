"""Inventory capture loops through the real prompts: products, new references, flows, walks."""

from __future__ import annotations

from pathlib import Path

from pipe_keys import BACKSPACE, CTRL_C, DOWN, ENTER, UP, run_with_keys
from rich.console import Console

from auditor.interview.runner import run_interview
from auditor.store.audit_file import load_audit


def test_systems_and_flows_with_catalogue_prefill_and_new_references(
        audit_path: Path, screen: Console) -> None:
    keys = "".join([
        ENTER,                                  # q9.1: add a system? (yes)
        "Salesforce Sales Cloud" + ENTER,       # a known product
        ENTER,                                  # roles: keep the pre-filled system-of-record
        ENTER,                                  # capabilities: keep the catalogue's
        "CRM team" + ENTER, ENTER,              # owners: a new team, added on the spot
        "y",                                    # add another system
        "Sheet of VIPs" + ENTER,                # not a product
        " " + ENTER,                            # roles: tick system-of-record... then untick below
        "segmentation" + ENTER, ENTER,          # a capability not captured yet
        "crm-team" + ENTER,                     # an existing team by id
        "n",                                    # no more systems
        "evidence: IT asset register" + ENTER,  # a note on the inventory answer
        ENTER,                                  # q9.2: add a flow? (yes)
        "salesforce-sales-cloud" + ENTER,       # source
        "Sheet of VIPs" + ENTER,                # target, by name
        "VIP flag" + ENTER, ENTER, ENTER,       # data: a new data item; its class: identity
        UP * 2 + ENTER,                         # mode: from 'unknown' up to 'batch'
        DOWN * 2 + ENTER,                       # frequency: daily
        ENTER,                                  # via: none
        "n",                                    # no more flows
        ENTER,                                  # no note
        DOWN + ENTER, ENTER,                    # q9.3 = 1, no note
        CTRL_C,
    ])
    outcome = run_with_keys(keys, lambda: run_interview(
        audit_path, "Sam Lee", out=screen, section="q9"))
    assert not outcome.finished
    audit = load_audit(audit_path)
    systems = {s.id: s for s in audit.inventory.systems}
    crm = systems["salesforce-sales-cloud"]
    assert (crm.vendor, crm.product, crm.roles) == (
        "Salesforce", "Salesforce Sales Cloud", ["system-of-record"])
    assert crm.capabilities == ["lead-management", "account-management", "reporting"]
    assert crm.owners == ["crm-team"]
    vips = systems["sheet-of-vips"]
    assert vips.vendor is None and vips.capabilities == ["segmentation"]
    assert [t.id for t in audit.inventory.teams] == ["crm-team"]
    names = {c.id: c.name for c in audit.inventory.capabilities}
    assert names["lead-management"] == "Lead and opportunity management"  # from the catalogue
    (flow,) = audit.inventory.flows
    assert (flow.id, flow.source, flow.target, flow.data) == (
        "salesforce-sales-cloud-to-sheet-of-vips", "salesforce-sales-cloud", "sheet-of-vips",
        ["vip-flag"])
    assert (flow.mode, flow.frequency, flow.via) == ("batch", "daily", None)
    (vip_flag,) = audit.inventory.data
    assert vip_flag.data_class == "identity"
    answers = {a.question: a.value for a in audit.answers if a.respondent == "sam-lee"}
    assert answers["q9.1"] == ["salesforce-sales-cloud", "sheet-of-vips"]
    q91 = audit.answer_for("q9.1", "sam-lee")
    assert q91 is not None and q91.evidence == "IT asset register"
    assert answers["q9.2"] == ["salesforce-sales-cloud-to-sheet-of-vips"]
    assert answers["q9.3"] == 1
    printed = screen.file.getvalue()  # type: ignore[attr-defined]
    assert "Known product: Salesforce Sales Cloud (Salesforce)" in printed
    assert "Added team crm-team" in printed


def test_naming_an_existing_item_changes_it_and_walks_ask_each_item(
        audit_path: Path, screen: Console) -> None:
    first = "".join([
        ENTER, "Customer service" + ENTER, ENTER, ENTER, ENTER, ENTER, "n",   # one team
        CTRL_C,
    ])
    run_with_keys(first, lambda: run_interview(audit_path, "Dana Ortiz", out=screen, section="teams"))
    team = load_audit(audit_path).inventory.teams[0]
    assert (team.id, team.kind, team.executive) == ("customer-service", "team", False)

    # Run the section again: the add loop edits the team named; the walk then asks its skills.
    again = "".join([
        "<",                                        # resumed at inv.skills: back to the teams
        "y",                                        # add or change a team? (default is no now)
        "customer-service" + ENTER,                 # an existing one: change it
        DOWN + DOWN + ENTER,                        # kind: team -> agency
        "Service" + ENTER, ENTER, "y",              # department; executive no; external yes
        "n", ENTER,                                 # no more teams; no note
        ENTER, "Case handling" + ENTER, ENTER, "n",  # inv.skills: one technology skill
        ENTER,                                      # no note
        ENTER,                                      # inv.team-skills: go through the teams
        "case-handling" + ENTER, DOWN + ENTER,      # the skill, level 1 -> 2
        BACKSPACE + "3" + ENTER,                    # people: 1 -> 3
        CTRL_C,
    ])
    run_with_keys(again, lambda: run_interview(audit_path, "Dana", out=screen, section="teams"))
    audit = load_audit(audit_path)
    (team,) = audit.inventory.teams
    assert (team.kind, team.department, team.external) == ("agency", "Service", True)
    assert [s.id for s in audit.inventory.skills] == ["case-handling"]
    assert [(h.skill, h.level, h.people) for h in team.skills] == [("case-handling", 2, 3)]


def test_data_masters_are_asked_on_the_data_item_and_kept_on_the_systems(
        audit_path: Path, screen: Console) -> None:
    keys = "".join([
        ">",                                    # skip q2.1
        ENTER, "Order" + ENTER,                 # q2.2: add a data item called Order
        DOWN * 5 + ENTER,                       # class: transaction
        ENTER,                                  # no subtype
        "Shopify, POS till" + ENTER, ENTER, ENTER,  # masters: a product and a new system
        "n",
        CTRL_C,                                 # stop at q2.3
    ])
    run_with_keys(keys, lambda: run_interview(audit_path, "cio", out=screen, section="q2"))
    audit = load_audit(audit_path)
    (order,) = audit.inventory.data
    assert (order.id, order.data_class) == ("order", "transaction")
    systems = {s.id: s for s in audit.inventory.systems}
    assert systems["shopify"].masters == ["order"] and systems["pos-till"].masters == ["order"]
    assert systems["shopify"].roles == ["commerce"]  # a known product, even when named in passing

    # Changing the answer moves the master: only the till creates orders now. (Resumed at
    # q2.1: skip it, which moves on to q2.3, then back to q2.2.)
    keys = ">" + "<" + "y" + "order" + ENTER + ENTER + ENTER + BACKSPACE * 20 + "pos-till" + ENTER + "n" + CTRL_C
    run_with_keys(keys, lambda: run_interview(audit_path, "cio", out=screen, section="q2"))
    systems = {s.id: s for s in load_audit(audit_path).inventory.systems}
    assert systems["shopify"].masters == [] and systems["pos-till"].masters == ["order"]


def test_vision_needs_take_a_unique_start_and_a_typo_can_be_declined(
        audit_path: Path, screen: Console) -> None:
    keys = "".join([
        ENTER, "Super-fans" + ENTER, DOWN + ENTER,      # a community
        "400" + ENTER, ENTER, "n", ENTER,               # size; no definition; done; no note
        ENTER, "Peer answers" + ENTER,                  # vis.needs: add one
        "Super" + ENTER,                                # taken as super-fans
        ENTER, ENTER,                                   # any channel; no latency
        "comunity forum" + ENTER, "n",                  # a typo: do not add it
        BACKSPACE * 14 + "community forum" + ENTER, ENTER,  # corrected, and added
        "n", ENTER,                                     # no more needs; no note
        "y", "community-forum" + ENTER,                 # vis.capabilities: change that one
        "Forum post" + ENTER, ENTER, DOWN * 4 + ENTER,  # needs new data: an interaction
        ENTER, "n",                                     # not shared; no more
        CTRL_C,
    ])
    run_with_keys(keys, lambda: run_interview(audit_path, "cio", out=screen, bank="vision"))
    audit = load_audit(audit_path)
    assert [(s.id, s.kind, s.size) for s in audit.vision.segments] == [("super-fans", "community", 400)]
    (need,) = audit.vision.needs
    assert (need.segment, need.channel, need.capabilities) == ("super-fans", None, ["community-forum"])
    (capability,) = audit.inventory.capabilities
    assert capability.requires == ["forum-post"]
    assert [(d.id, d.data_class) for d in audit.inventory.data] == [("forum-post", "interaction")]
    assert "'Super' taken as super-fans" in screen.file.getvalue()  # type: ignore[attr-defined]
