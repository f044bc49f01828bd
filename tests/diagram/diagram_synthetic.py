"""Synthetic ecosystems of any size for the diagram tests (benchmarks use benchmarks/synthetic.py).

Shaped like real estates rather than random graphs: a few hubs (systems of record, a CDP, an
integration layer) that most flows go through, satellites per role that feed them, some
point-to-point links between satellites, a mix of real-time, batch and manual flows, and
names of realistic, uneven length. Seeded, so the same size always gives the same audit.
"""

from __future__ import annotations

import random
from typing import Any

from auditor.schema.audit import Audit

# (role, share of the estate, name stems): the share decides how many systems get the role.
_ROLES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("system-of-record", 0.04, ("Salesforce Sales Cloud", "Dynamics 365 Customer", "Legacy CRM")),
    ("cdp", 0.02, ("Segment CDP", "Customer Data Hub")),
    ("system-of-engagement", 0.08, ("Customer Portal", "Mobile App", "Partner Portal")),
    ("marketing-automation", 0.10, ("Marketo Engage", "HubSpot Marketing", "Braze", "Mailchimp")),
    ("orchestration", 0.03, ("Journey Orchestrator", "Next Best Action")),
    ("service-desk", 0.09, ("Zendesk Support", "ServiceNow CSM", "Field Service Scheduler")),
    ("commerce", 0.08, ("Shopify Plus Storefront", "B2B Ordering", "Subscriptions Billing")),
    ("erp", 0.10, ("SAP S/4HANA Finance", "Warehouse Management", "Parts Inventory")),
    ("communications-platform", 0.08, ("Twilio Flex", "WhatsApp Business", "Genesys Cloud")),
    ("community", 0.04, ("Khoros Community", "Discourse Forum")),
    ("analytics", 0.12, ("Snowflake Warehouse", "Tableau Dashboards", "Looker")),
    ("advertising", 0.06, ("Google Ads", "Meta Ads Manager", "LinkedIn Campaign Manager")),
    ("integration", 0.03, ("MuleSoft Anypoint", "Boomi")),
    ("data-quality", 0.03, ("Address Validation", "Dedupe Service")),
)
_DATA = (
    ("individual", "Individual", "identity"), ("email-address", "Email address", "contact-point"),
    ("consent", "Consent", "consent"), ("order", "Order", "transaction"),
    ("case", "Service case", "case"), ("interaction", "Interaction", "interaction"),
    ("product", "Product", "product"), ("order-status", "Order status", "status"),
    ("loyalty-tier", "Loyalty tier", "profile"),
)
_MODES = ("real-time", "real-time", "batch", "batch", "manual", "unknown")
_FREQ = {"real-time": "real-time", "batch": "daily", "manual": "ad-hoc", "unknown": None}
_HUB_ROLES = ("system-of-record", "cdp", "integration")


def synthetic_ecosystem(systems: int, *, seed: int = 7, touchpoints: int | None = None,
                        name_prefix: str = "") -> Audit:
    """An audit with ``systems`` systems, about 1.6 flows per system, and touchpoints/channels."""
    rng = random.Random(seed)
    counts = _role_counts(systems)
    items: list[dict[str, Any]] = []
    by_role: dict[str, list[str]] = {}
    for role, n in counts.items():
        stems = next(s for r, _, s in _ROLES if r == role)
        for i in range(n):
            stem = stems[i % len(stems)]
            sid = f"{role}-{i + 1:03d}"
            extra = rng.choice([[], [], [], ["analytics"], ["system-of-engagement"]])
            roles = [role, *(r for r in extra if r != role)]
            name = stem if i < len(stems) else f"{stem} {i // len(stems) + 1}"
            items.append({"id": sid, "name": f"{name_prefix}{name}", "roles": roles,
                          "vendor": stem.split()[0]})
            by_role.setdefault(role, []).append(sid)
    hubs = [s for r in _HUB_ROLES for s in by_role.get(r, [])] or [items[0]["id"]]
    all_ids = [s["id"] for s in items]
    flows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add_flow(src: str, dst: str) -> None:
        if src == dst or (src, dst) in seen:
            return
        seen.add((src, dst))
        mode = rng.choice(_MODES)
        data = rng.sample([d[0] for d in _DATA], rng.choice([1, 1, 2, 3, 5]))
        flow: dict[str, Any] = {"id": f"f-{len(flows) + 1:04d}", "source": src, "target": dst,
                                "data": data, "mode": mode}
        if _FREQ[mode]:
            flow["frequency"] = _FREQ[mode]
        flows.append(flow)

    for sid in all_ids:
        if sid in hubs:
            continue
        hub = rng.choice(hubs)
        add_flow(sid, hub) if rng.random() < 0.6 else add_flow(hub, sid)
        if rng.random() < 0.35:  # point-to-point link to another satellite
            add_flow(sid, rng.choice(all_ids))
    for a, b in zip(hubs, hubs[1:]):
        add_flow(a, b)

    n_tp = touchpoints if touchpoints is not None else max(3, systems // 4)
    channels = [{"id": c, "name": c.replace("-", " ").title(), "kind": c}
                for c in ("web", "email", "phone", "sms", "social")]
    tps = [{"id": f"tp-{i + 1:03d}", "name": f"Touchpoint {i + 1}",
            "style": rng.choice(["broadcast", "two-way", "one-way-in", "participation"]),
            "channel": channels[i % len(channels)]["id"],
            "systems": [rng.choice(all_ids)]} for i in range(n_tp)]
    return Audit.model_validate({
        "client": {"name": f"Synthetic {systems}"},
        "inventory": {
            "systems": items, "flows": flows, "channels": channels, "touchpoints": tps,
            "data": [{"id": i, "name": n, "class": c} for i, n, c in _DATA],
        },
    })


def _role_counts(systems: int) -> dict[str, int]:
    """Spread ``systems`` over the roles by share, at least one each once there is room."""
    counts = {role: max(1, int(share * systems)) for role, share, _ in _ROLES}
    roles = [r for r, _, _ in _ROLES]
    i = 0
    while sum(counts.values()) < systems:
        counts[roles[i % len(roles)]] += 1
        i += 1
    while sum(counts.values()) > systems:
        biggest = max(roles, key=lambda r: (counts[r], r))
        counts[biggest] -= 1
        if counts[biggest] == 0:
            del counts[biggest]
            roles.remove(biggest)
    return counts
