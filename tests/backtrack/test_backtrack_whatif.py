"""What-if: planned flows and systems close chains without touching the current state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.backtracking import backtrack
from auditor.catalogue.settings import BacktrackSettings
from auditor.schema.audit import Audit
from auditor.schema.backtrack import ChainChange
from auditor.store.audit_file import load_audit

E1 = Path(__file__).parent / "e1-backtrack.audit.yaml"


def _with_planned(**additions: list[dict[str, Any]]) -> Audit:
    """E1 plus planned inventory items (systems=…, flows=…)."""
    data = load_audit(E1).model_dump(by_alias=True, exclude_none=True)
    for section, items in additions.items():
        data["inventory"][section].extend({**item, "status": "planned"} for item in items)
    return Audit.model_validate(data)


POS_TO_ADS = {"id": "pos-to-ads", "source": "pos", "target": "ads", "data": ["pos-sale"],
              "mode": "batch", "frequency": "daily"}
FORUM = {"id": "forum", "name": "Fan forum", "roles": ["community"],
         "capabilities": ["community-forum"]}
ORDERS_TO_DESK = {"id": "shop-to-helpdesk", "source": "shop", "target": "helpdesk",
                  "data": ["order"], "mode": "real-time"}


def test_planned_items_are_ignored_by_default(settings: BacktrackSettings) -> None:
    plain = backtrack(load_audit(E1), settings=settings)
    planned = backtrack(_with_planned(flows=[POS_TO_ADS], systems=[FORUM]), settings=settings)
    assert planned == plain
    assert not planned.what_if and planned.changes == ()


def test_what_if_closes_chains(settings: BacktrackSettings) -> None:
    audit = _with_planned(flows=[POS_TO_ADS, ORDERS_TO_DESK], systems=[FORUM])
    result = backtrack(audit, include_planned=True, settings=settings)
    assert result.what_if
    status = {c.need: c.status for c in result.chains}
    assert status == {"no-repeat-ads": "ok", "peer-answers": "ok",
                      # orders now arrive, but the VIP flag still does not: still open
                      "priority-feedback": "missing"}
    assert result.changes == (
        ChainChange(segment="recent-buyers", need="no-repeat-ads", capability="ad-suppression",
                    before="missing", after="ok"),
        ChainChange(segment="super-fans", need="peer-answers", capability="community-forum",
                    before="missing", after="ok"),
    )
    ads = next(c for c in result.chains if c.need == "no-repeat-ads")
    pos_sale = next(link for link in ads.links if link.datum == "pos-sale")
    assert (pos_sale.path, pos_sale.flows, pos_sale.latency) == (("pos", "ads"), ("pos-to-ads",), 2)
    # What is left to build no longer lists what the plan already covers.
    targets = {(i.kind, i.target) for i in result.to_build}
    assert targets == {("new-master", "vip-flag"), ("new-flow", "shop->helpdesk")}
    feed = next(i for i in result.to_build if i.target == "shop->helpdesk")
    assert feed.data == ("vip-flag",)


def test_what_if_with_a_planned_need(settings: BacktrackSettings) -> None:
    data = load_audit(E1).model_dump(by_alias=True, exclude_none=True)
    data["vision"]["needs"].append({"id": "early-access", "name": "Early access",
                                    "segment": "super-fans", "status": "planned",
                                    "capabilities": ["segmentation"]})
    audit = Audit.model_validate(data)
    assert "early-access" not in {c.need for c in backtrack(audit, settings=settings).chains}
    result = backtrack(audit, include_planned=True, settings=settings)
    (change,) = [c for c in result.changes if c.need == "early-access"]
    assert change.before is None and change.after == "ok"
