"""The reverse traversal of DOMAIN.md §5 on small ecosystems built for one behaviour each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from auditor.backtracking import backtrack
from auditor.catalogue.settings import BacktrackSettings
from auditor.errors import UserError
from auditor.schema.audit import Audit
from auditor.schema.backtrack import Chain, Link

MakeAudit = Callable[..., Audit]


def _sys(sid: str, *roles: str, **extra: Any) -> dict[str, Any]:
    return {"id": sid, "name": sid.title(), "roles": list(roles), **extra}


def _flow(fid: str, src: str, dst: str, data: list[str], mode: str = "real-time",
          frequency: str | None = None, **extra: Any) -> dict[str, Any]:
    flow = {"id": fid, "source": src, "target": dst, "data": data, "mode": mode, **extra}
    if frequency:
        flow["frequency"] = frequency
    return flow


def _one_need(capability: str = "cap", requires: tuple[str, ...] = ("d",),
              max_latency: str | None = "daily", channel: str | None = None) -> dict[str, Any]:
    need: dict[str, Any] = {"id": "need", "name": "The need", "segment": "seg",
                            "capabilities": [capability]}
    if max_latency:
        need["max_latency"] = max_latency
    if channel:
        need["channel"] = channel
    return {
        "capabilities": [{"id": capability, "name": "Cap", "requires": list(requires)}],
        "segments": [{"id": "seg", "name": "Segment", "kind": "advocate", "size": 10}],
        "needs": [need],
    }


def _data(*ids: str, cls: str = "profile") -> list[dict[str, Any]]:
    return [{"id": d, "name": d, "class": cls} for d in ids]


def _only_chain(audit: Audit, settings: BacktrackSettings) -> Chain:
    result = backtrack(audit, settings=settings)
    assert len(result.chains) == 1
    return result.chains[0]


def _data_links(chain: Chain) -> list[Link]:
    return [link for link in chain.links if link.kind in ("data", "flow")]


# --- cycles -------------------------------------------------------------------------------
def test_path_through_a_cycle(make_audit: MakeAudit, settings: BacktrackSettings) -> None:
    """a → b → c → a is a cycle; the datum leaves it at c for the provider p."""
    audit = make_audit(
        systems=[_sys("a", "system-of-record", masters=["d"]), _sys("b", "integration"),
                 _sys("c", "integration"), _sys("p", "service-desk", capabilities=["cap"])],
        flows=[_flow("a-b", "a", "b", ["d"]), _flow("b-c", "b", "c", ["d"]),
               _flow("c-a", "c", "a", ["d"]), _flow("c-b", "c", "b", ["d"]),
               _flow("c-p", "c", "p", ["d"], "batch", "hourly")],
        data=_data("d"), **_one_need())
    chain = _only_chain(audit, settings)
    (link,) = _data_links(chain)
    assert (link.status, link.source, link.path, link.latency) == (
        "ok", "a", ("a", "b", "c", "p"), 1)
    assert link.flows == ("a-b", "b-c", "c-p")
    assert chain.status == "ok"


def test_cycle_that_never_reaches_the_provider(make_audit: MakeAudit,
                                                settings: BacktrackSettings) -> None:
    audit = make_audit(
        systems=[_sys("a", "system-of-record", masters=["d"]), _sys("b", "integration"),
                 _sys("p", "service-desk", capabilities=["cap"])],
        flows=[_flow("a-b", "a", "b", ["d"]), _flow("b-a", "b", "a", ["d"]),
               _flow("p-a", "p", "a", ["d"])],
        data=_data("d"), **_one_need())
    (link,) = _data_links(_only_chain(audit, settings))
    assert (link.status, link.gap, link.source, link.path) == ("missing", "missing-flow", "a", ())


def test_slowest_hop_decides_and_the_fastest_route_wins(make_audit: MakeAudit,
                                                        settings: BacktrackSettings) -> None:
    """A direct weekly export loses to a two-hop hourly route: latency is the slowest hop."""
    audit = make_audit(
        systems=[_sys("m", "system-of-record", masters=["d"]), _sys("hop", "integration"),
                 _sys("p", "service-desk", capabilities=["cap"])],
        flows=[_flow("direct", "m", "p", ["d"], "batch", "weekly"),
               _flow("m-hop", "m", "hop", ["d"], "batch", "hourly"),
               _flow("hop-p", "hop", "p", ["d"])],
        data=_data("d"), **_one_need())
    (link,) = _data_links(_only_chain(audit, settings))
    assert (link.status, link.path, link.latency, link.flows) == (
        "ok", ("m", "hop", "p"), 1, ("m-hop", "hop-p"))


def test_flow_must_carry_the_datum(make_audit: MakeAudit, settings: BacktrackSettings) -> None:
    """A flow between the right systems carrying other data does not count."""
    audit = make_audit(
        systems=[_sys("m", "system-of-record", masters=["d", "other"]),
                 _sys("p", "service-desk", capabilities=["cap"])],
        flows=[_flow("m-p", "m", "p", ["other"])],
        data=_data("d", "other"), **_one_need())
    (link,) = _data_links(_only_chain(audit, settings))
    assert link.gap == "missing-flow"


def test_entity_flow_carries_its_attribute(make_audit: MakeAudit,
                                           settings: BacktrackSettings) -> None:
    """A need for one attribute is served by a flow of the whole entity, and by its master."""
    audit = make_audit(
        systems=[_sys("m", "system-of-record", masters=["customer"]),
                 _sys("p", "service-desk", capabilities=["cap"])],
        flows=[_flow("m-p", "m", "p", ["customer"], "batch", "daily")],
        data=[{"id": "customer", "name": "Customer", "class": "identity",
               "attributes": [{"id": "vip-tier", "name": "VIP tier", "class": "profile"}]}],
        **_one_need(requires=("vip-tier",)))
    (link,) = _data_links(_only_chain(audit, settings))
    assert (link.status, link.source, link.path) == ("ok", "m", ("m", "p"))


# --- partial coverage and latency -------------------------------------------------------
def test_two_masters_one_reachable_is_partial(make_audit: MakeAudit,
                                               settings: BacktrackSettings) -> None:
    audit = make_audit(
        systems=[_sys("shop", "system-of-record", "commerce", masters=["customer"]),
                 _sys("till", "commerce", masters=["customer"]),
                 _sys("desk", "service-desk", capabilities=["cap"])],
        flows=[_flow("shop-desk", "shop", "desk", ["customer"])],
        data=_data("customer", cls="identity"), **_one_need(requires=("customer",)))
    chain = _only_chain(audit, settings)
    ok, gap = _data_links(chain)
    assert (ok.status, ok.source, ok.path) == ("ok", "shop", ("shop", "desk"))
    assert (gap.status, gap.gap, gap.source, gap.system) == (
        "partial", "missing-flow", "till", "desk")
    assert chain.status == "partial"
    result = backtrack(audit, settings=settings)
    assert [(i.kind, i.target, i.data) for i in result.to_build] == [
        ("new-flow", "till->desk", ("customer",))]


def test_provider_that_masters_the_datum_still_misses_the_other_master(
        make_audit: MakeAudit, settings: BacktrackSettings) -> None:
    audit = make_audit(
        systems=[_sys("desk", "service-desk", capabilities=["cap"], masters=["customer"]),
                 _sys("till", "commerce", masters=["customer"])],
        data=_data("customer", cls="identity"), **_one_need(requires=("customer",)))
    local, gap = _data_links(_only_chain(audit, settings))
    assert (local.kind, local.status, local.path) == ("data", "ok", ("desk",))
    assert (gap.status, gap.source) == ("partial", "till")


def test_too_slow(make_audit: MakeAudit, settings: BacktrackSettings) -> None:
    audit = make_audit(
        systems=[_sys("pos", "commerce", masters=["sale"]), _sys("esp", "marketing-automation"),
                 _sys("ads", "advertising", capabilities=["cap"])],
        flows=[_flow("pos-esp", "pos", "esp", ["sale"], "manual", "weekly"),
               _flow("esp-ads", "esp", "ads", ["sale"])],
        data=_data("sale", cls="transaction"), **_one_need(requires=("sale",)))
    chain = _only_chain(audit, settings)
    (link,) = _data_links(chain)
    assert (link.status, link.gap, link.latency, link.path) == (
        "partial", "too-slow", 4, ("pos", "esp", "ads"))
    assert "daily" in link.detail
    (item,) = backtrack(audit, settings=settings).to_build
    assert (item.kind, item.target, item.flows, item.latency) == (
        "faster-flow", "pos-esp", ("pos-esp",), 2)
    assert item.remedy == "R07"


def test_no_latency_limit_means_never_too_slow(make_audit: MakeAudit,
                                               settings: BacktrackSettings) -> None:
    audit = make_audit(
        systems=[_sys("pos", "commerce", masters=["sale"]),
                 _sys("ads", "advertising", capabilities=["cap"])],
        flows=[_flow("pos-ads", "pos", "ads", ["sale"], "manual")],
        data=_data("sale", cls="transaction"), **_one_need(requires=("sale",), max_latency=None))
    assert _only_chain(audit, settings).status == "ok"


# --- capability, data, touchpoint, skill --------------------------------------------------
def test_missing_data_proposes_a_hub_master(make_audit: MakeAudit,
                                            settings: BacktrackSettings) -> None:
    audit = make_audit(
        systems=[_sys("crm", "system-of-record"),
                 _sys("desk", "service-desk", capabilities=["cap"])],
        data=_data("tier"), **_one_need(requires=("tier",)))
    (link,) = _data_links(_only_chain(audit, settings))
    assert (link.kind, link.status, link.gap) == ("data", "missing", "missing-data")
    items = [(i.kind, i.target, i.system, i.after)
             for i in backtrack(audit, settings=settings).to_build]
    assert items == [("new-master", "tier", "crm", ()),
                     ("new-flow", "crm->desk", "desk", ("new-master:tier",))]


def test_planned_capability_is_missing_today(make_audit: MakeAudit,
                                             settings: BacktrackSettings) -> None:
    sections = _one_need(requires=())
    sections["capabilities"][0]["status"] = "planned"
    audit = make_audit(systems=[_sys("kb", "community", capabilities=["cap"], status="planned")],
                       **sections)
    chain = _only_chain(audit, settings)
    assert chain.provider is None and chain.links[0].gap == "missing-capability"
    assert "planned" in chain.links[0].detail
    assert backtrack(audit, include_planned=True, settings=settings).chains[0].status == "ok"


def test_channel_reached_through_a_fed_system(make_audit: MakeAudit,
                                              settings: BacktrackSettings) -> None:
    """The provider feeds the chat tool that runs WhatsApp: ok. Reversed flow: missing."""
    def audit_with(flow: dict[str, Any]) -> Audit:
        return make_audit(
            systems=[_sys("desk", "service-desk", capabilities=["cap"]),
                     _sys("chat", "communications-platform")],
            channels=[{"id": "whatsapp", "name": "WhatsApp", "kind": "messaging"}],
            touchpoints=[{"id": "wa", "name": "WA", "style": "two-way", "channel": "whatsapp",
                          "systems": ["chat"]}],
            flows=[flow], **_one_need(requires=(), channel="whatsapp"))

    (ok,) = _only_chain(audit_with(_flow("d-c", "desk", "chat", [])), settings).links[1:]
    assert (ok.kind, ok.status, ok.system, ok.touchpoint, ok.path) == (
        "touchpoint", "ok", "chat", "wa", ("desk", "chat"))
    (gap,) = _only_chain(audit_with(_flow("c-d", "chat", "desk", [])), settings).links[1:]
    assert (gap.status, gap.gap, gap.channel) == ("missing", "missing-touchpoint", "whatsapp")
    (item,) = backtrack(audit_with(_flow("c-d", "chat", "desk", [])), settings=settings).to_build
    assert (item.kind, item.target) == ("new-touchpoint", "whatsapp@desk")


def test_missing_skill_follows_role_defaults(make_audit: MakeAudit,
                                             settings: BacktrackSettings) -> None:
    assert "workflow-admin" in settings.role_skills["service-desk"]
    audit = make_audit(
        systems=[_sys("desk", "service-desk", capabilities=["cap"], owners=["service"],
                      requires_skills=["macros"])],
        teams=[{"id": "service", "name": "Service",
                "skills": [{"skill": "macros", "level": 2, "people": 2}]}],
        skills=[{"id": "macros", "name": "Macros"}, {"id": "workflow-admin", "name": "WA"}],
        **_one_need(requires=()))
    (skill,) = _only_chain(audit, settings).links[1:]
    assert (skill.gap, skill.skills) == ("missing-skill", ("workflow-admin",))
    (item,) = backtrack(audit, settings=settings).to_build
    assert (item.kind, item.target, item.skills, item.remedy) == (
        "new-skill", "desk", ("workflow-admin",), "R03")


# --- choice of provider -------------------------------------------------------------------
def _two_providers(make_audit: MakeAudit, a_roles: tuple[str, ...], b_roles: tuple[str, ...],
                   feed_b: bool) -> Audit:
    flows = [_flow("m-b", "m", "b", ["d"])] if feed_b else []
    return make_audit(
        systems=[_sys("m", "commerce", masters=["d"]),
                 _sys("a", *a_roles, capabilities=["cap"]),
                 _sys("b", *b_roles, capabilities=["cap"])],
        flows=flows, data=_data("d"), **_one_need())


def test_provider_with_fewest_open_links_wins(make_audit: MakeAudit,
                                              settings: BacktrackSettings) -> None:
    chain = _only_chain(_two_providers(make_audit, ("other",), ("other",), feed_b=True), settings)
    assert chain.provider == "b" and chain.status == "ok"
    assert [(c.system, c.gaps) for c in chain.candidates] == [("b", 0), ("a", 1)]


def test_tie_goes_to_a_hub_then_to_the_smaller_id(make_audit: MakeAudit,
                                                  settings: BacktrackSettings) -> None:
    hub_b = _only_chain(_two_providers(make_audit, ("other",), ("cdp",), feed_b=False), settings)
    assert hub_b.provider == "b"
    plain = _only_chain(_two_providers(make_audit, ("other",), ("other",), feed_b=False), settings)
    assert plain.provider == "a"


# --- vision edge cases and errors ---------------------------------------------------------
def test_need_without_capability_is_listed_not_traced(make_audit: MakeAudit,
                                                      settings: BacktrackSettings) -> None:
    audit = make_audit(segments=[{"id": "seg", "name": "Seg"}],
                       needs=[{"id": "vague", "name": "Something nice", "segment": "seg"}])
    result = backtrack(audit, settings=settings)
    assert result.chains == () and result.unspecified_needs == ("vague",)


def test_unknown_segment_suggests_the_closest(make_audit: MakeAudit,
                                              settings: BacktrackSettings) -> None:
    audit = make_audit(systems=[_sys("x", "other", capabilities=["cap"])], **_one_need(requires=()))
    with pytest.raises(UserError) as caught:
        backtrack(audit, segment="sag", settings=settings)
    assert "did you mean 'seg'" in caught.value.message
    assert "seg" in (caught.value.hint or "")


def test_planned_segment_needs_what_if(make_audit: MakeAudit, settings: BacktrackSettings) -> None:
    sections = _one_need(requires=())
    sections["segments"][0]["status"] = "planned"
    audit = make_audit(systems=[_sys("x", "other", capabilities=["cap"])], **sections)
    assert backtrack(audit, settings=settings).chains == ()
    with pytest.raises(UserError, match="planned"):
        backtrack(audit, segment="seg", settings=settings)
    assert len(backtrack(audit, segment="seg", include_planned=True, settings=settings).chains) == 1


def test_two_masters_both_reaching_is_ok(make_audit: MakeAudit,
                                         settings: BacktrackSettings) -> None:
    """Only masters that cannot reach the provider leave a hole; the first one found is named."""
    audit = make_audit(
        systems=[_sys("shop", "commerce", masters=["customer"]),
                 _sys("till", "commerce", masters=["customer"]),
                 _sys("desk", "service-desk", capabilities=["cap"])],
        flows=[_flow("till-desk", "till", "desk", ["customer"]),
               _flow("shop-till", "shop", "till", ["customer"], "batch", "hourly")],
        data=_data("customer", cls="identity"), **_one_need(requires=("customer",)))
    chain = _only_chain(audit, settings)
    (link,) = _data_links(chain)
    assert (link.status, link.source, link.path) == ("ok", "till", ("till", "desk"))
    assert chain.status == "ok"


# --- what the to-build list proposes --------------------------------------------------------
def test_existing_flow_from_a_holder_is_extended(make_audit: MakeAudit,
                                                 settings: BacktrackSettings) -> None:
    """Visits already reach the CRM, and the CRM already feeds the helpdesk with other data:
    add visits to that flow rather than build a new integration."""
    audit = make_audit(
        systems=[_sys("field", "other", masters=["visit"]),
                 _sys("crm", "system-of-record", masters=["plan"]),
                 _sys("desk", "service-desk", capabilities=["cap"])],
        flows=[_flow("field-crm", "field", "crm", ["visit"], "batch", "hourly"),
               _flow("crm-desk", "crm", "desk", ["plan"], "real-time")],
        data=_data("visit", "plan"), **_one_need(requires=("visit",), max_latency="hourly"))
    (item,) = backtrack(audit, settings=settings).to_build
    assert (item.kind, item.target, item.source, item.system, item.data) == (
        "extend-flow", "crm-desk", "crm", "desk", ("visit",))
    assert "add 'visit' to 'crm-desk'" in item.summary


def test_too_slow_holder_is_not_extended(make_audit: MakeAudit,
                                         settings: BacktrackSettings) -> None:
    audit = make_audit(
        systems=[_sys("field", "commerce", masters=["visit"]),
                 _sys("crm", "system-of-record"),
                 _sys("desk", "service-desk", capabilities=["cap"])],
        flows=[_flow("field-crm", "field", "crm", ["visit"], "batch", "daily"),
               _flow("crm-desk", "crm", "desk", [], "real-time")],
        data=_data("visit"), **_one_need(requires=("visit",), max_latency="hourly"))
    (item,) = backtrack(audit, settings=settings).to_build
    assert (item.kind, item.target) == ("new-flow", "field->desk")


def test_side_tool_that_sends_data_on_is_fed_from_not_replaced(
        make_audit: MakeAudit, settings: BacktrackSettings) -> None:
    """Role 'other' alone does not make a spreadsheet: an automated outbound flow shows an
    operational system, so the proposal is a feed from it, not moving its data into the SOR."""
    def audit_with(mode: str) -> Audit:
        return make_audit(
            systems=[_sys("crm", "system-of-record"), _sys("tool", "other", masters=["flag"]),
                     _sys("desk", "service-desk", capabilities=["cap"])],
            flows=[_flow("tool-crm", "tool", "crm", [], mode)],
            data=_data("flag"), **_one_need(requires=("flag",)))

    automated = backtrack(audit_with("real-time"), settings=settings).to_build
    assert [(i.kind, i.target) for i in automated] == [("new-flow", "tool->desk")]
    by_hand = backtrack(audit_with("manual"), settings=settings).to_build
    assert [(i.kind, i.target, i.system) for i in by_hand] == [
        ("new-master", "flag", "crm"), ("new-flow", "crm->desk", "desk")]
