"""One generator of synthetic, realistically shaped ecosystems for every benchmark.

``ecosystem(nodes)`` returns the plain data of an audit (what a YAML file holds) whose graph has
about ``nodes`` nodes and five times as many edges, the ratio of the reference sizes:

    S   200 nodes,   1,000 edges
    M   2,000 nodes,  10,000 edges
    L   20,000 nodes, 100,000 edges

Shape, from the estates the domain notes describe rather than a random graph:

- systems take roles in the proportions of a real estate (a few systems of record, CDPs and
  integration hubs; many marketing, service, commerce, back-office and analytics tools);
- flow degrees are heavy-tailed: each flow picks its ends with weights falling as a power of
  a system's rank, so hubs carry hundreds of flows and most systems a handful;
- every touchpoint sits on a channel and a journey stage and is served by one to three
  systems; data has masters (a few have two), stewards, and is carried by flows;
- teams own systems, journeys and metrics and hold skills; engagement policies are triggered by
  data and enforced by systems; segments have needs that require capabilities;
- three respondents answer every rubric question of the shipped question banks.

Seeded: the same size always gives the same audit. ``archimate_model(elements)`` writes an
Archi model file of a given number of elements for the import benchmark.
"""

from __future__ import annotations

import bisect
import itertools
import random
from typing import Any
from xml.sax.saxutils import quoteattr

SIZES = {"S": 200, "M": 2_000, "L": 20_000}
EDGES_PER_NODE = 5

# (role, share of the systems, name stems)
ROLES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("system-of-record", 0.04, ("Sales Cloud", "Dynamics Customer", "Legacy CRM")),
    ("cdp", 0.02, ("Customer Data Hub", "Segment CDP")),
    ("system-of-engagement", 0.08, ("Customer Portal", "Mobile App", "Partner Portal")),
    ("marketing-automation", 0.10, ("Marketing Engage", "Email Studio", "Campaign Tool")),
    ("orchestration", 0.03, ("Journey Orchestrator", "Next Best Action")),
    ("service-desk", 0.09, ("Support Desk", "Case Manager", "Field Service")),
    ("commerce", 0.08, ("Storefront", "B2B Ordering", "Subscriptions")),
    ("erp", 0.10, ("Finance Ledger", "Warehouse", "Parts Inventory")),
    ("communications-platform", 0.08, ("Contact Centre", "Messaging Gateway", "SMS Relay")),
    ("community", 0.04, ("Community Forum", "Member Hub")),
    ("analytics", 0.12, ("Data Warehouse", "Dashboards", "Attribution")),
    ("advertising", 0.06, ("Search Ads", "Social Ads", "Display Network")),
    ("integration", 0.03, ("Integration Bus", "iPaaS")),
    ("data-quality", 0.03, ("Address Check", "Dedupe Service")),
    ("other", 0.10, ("Shared Spreadsheet", "Intranet", "Office Tool")),
)
HUB_ROLES = {"system-of-record", "cdp", "integration"}
DATA_CLASSES = ("identity", "contact-point", "profile", "consent", "interaction", "transaction",
                "case", "status", "product")
CHANNEL_KINDS = ("web", "email", "sms", "messaging", "phone", "in-person", "social",
                 "community", "video", "mail", "paid-media", "app")
STYLES = ("broadcast", "one-way-in", "two-way", "participation", "broadcast", "two-way")
PURPOSES = ("marketing", "fundraising", "commerce", "service", "transactional")
SKILLS = ("platform-admin", "data-modelling", "identity-resolution", "journey-design",
          "decisioning", "campaign-ops", "workflow-admin", "integration",
          "community-management", "commerce-ops", "erp-admin", "paid-media")
MODES = (("real-time", None), ("batch", "daily"), ("batch", "hourly"), ("real-time", None),
         ("batch", "weekly"), ("manual", "ad-hoc"), ("unknown", None))
LATENCIES = ("real-time", "hourly", "daily", "weekly")
METRIC_TYPES = ("activity", "outcome", "responsiveness", "financial")


def rubric_question_ids() -> list[str]:
    """Every rubric sub-question of the shipped banks (what respondents answer)."""
    from auditor.catalogue import load_catalogue

    return [q for _, ids in load_catalogue().rubric_questions.values() for q in ids]


def ecosystem(nodes: int, seed: int = 7, questions: list[str] | None = None) -> dict[str, Any]:
    """Plain audit data whose graph has about ``nodes`` nodes and 5x as many edges."""
    rnd = random.Random(seed)
    n = max(nodes, 100) * 6 // 5  # the counts below give ~0.83 graph nodes per unit
    n_sys = max(30, n * 10 // 100)
    n_data = n * 22 // 100
    n_tp = n * 24 // 100
    n_journeys = max(2, n // 100)  # five stages each
    n_teams = max(3, n * 4 // 100)
    n_metrics = max(2, n * 4 // 100)
    n_policies = max(2, n * 3 // 100)
    n_caps = max(3, n * 5 // 100)
    n_segments = max(1, n // 100)
    n_needs = max(2, n * 4 // 100)
    channels = [{"id": f"ch-{kind}", "name": kind.replace("-", " ").title(), "kind": kind,
                 "interactions_per_year": 2_000_000 // (i + 1) ** 2}
                for i, kind in enumerate(CHANNEL_KINDS)]

    # --- systems, by role share; hubs first so they get the heaviest flow weights -----------
    roles: list[str] = []
    for role, share, _ in ROLES:
        roles += [role] * max(1, round(share * n_sys))
    roles = sorted(roles[:n_sys] + ["other"] * (n_sys - len(roles)),
                   key=lambda r: (r not in HUB_ROLES, rnd.random()))
    stems = {role: names for role, _, names in ROLES}
    systems: list[dict[str, Any]] = []
    for i, role in enumerate(roles):
        stem = stems[role][i % len(stems[role])]
        systems.append({
            "id": f"sys-{i:05d}", "name": f"{stem} {i}", "roles": [role],
            "vendor": stem.split()[0], "lifecycle": rnd.choice(["invest", "tolerate", "migrate",
                                                                "eliminate", "invest"]),
            "owners": [f"team-{rnd.randrange(n_teams):04d}"] if i % 9 else [],
            "masters": [], "capabilities": [],
            "requires_skills": [SKILLS[i % len(SKILLS)]],
        })
    sys_ids = [s["id"] for s in systems]
    # Weight of the system at rank r ~ 1 / (r + 1)^0.8: a few hubs, a long tail.
    cumulative = list(itertools.accumulate(1 / (r + 1) ** 0.8 for r in range(n_sys)))

    def pick_system() -> int:
        return bisect.bisect_left(cumulative, rnd.random() * cumulative[-1])

    data = [{"id": f"dat-{i:05d}", "name": f"Datum {i}", "class": DATA_CLASSES[i % 9],
             "steward": f"team-{rnd.randrange(n_teams):04d}",
             **({"subtype": "donation"} if i % 97 == 5 else {})} for i in range(n_data)]
    masters: dict[int, list[str]] = {s: [] for s in range(n_sys)}
    for i in range(n_data):
        masters[pick_system()].append(f"dat-{i:05d}")
        if i % 13 == 0:  # a few data have a second master
            masters[rnd.randrange(n_sys)].append(f"dat-{i:05d}")
    for s, system in enumerate(systems):
        system["masters"] = sorted(set(masters[s]))

    caps = [{"id": f"cap-{i:04d}", "name": f"Capability {i}", "shared_ok": i % 5 == 0,
             "requires": sorted({f"dat-{rnd.randrange(n_data):05d}" for _ in range(3)})}
            for i in range(n_caps)]
    for i in range(n_caps * 2):
        provider = systems[pick_system() if i % 2 else rnd.randrange(n_sys)]
        cap = f"cap-{i % n_caps:04d}"
        if cap not in provider["capabilities"]:
            provider["capabilities"].append(cap)

    journeys = [{"id": f"jrn-{j:04d}", "name": f"Journey {j}",
                 **({"owner": f"team-{j % n_teams:04d}"} if j % 3 else {}),
                 "stages": [{"id": f"jrn-{j:04d}-{k}", "name": f"Stage {k + 1}",
                             **({"owner": f"team-{(j + k) % n_teams:04d}"} if k % 2 else {})}
                            for k in range(5)]}
                for j in range(n_journeys)]
    touchpoints = []
    for i in range(n_tp):
        served = {sys_ids[pick_system()] for _ in range(1 + i % 3)} if i % 31 else set()
        touchpoints.append({
            "id": f"tp-{i:05d}", "name": f"Touchpoint {i}", "style": STYLES[i % len(STYLES)],
            "purpose": PURPOSES[i % len(PURPOSES)],
            "channel": channels[min(int(rnd.expovariate(0.5)), len(channels) - 1)]["id"],
            "systems": sorted(served),
            "stage": f"jrn-{rnd.randrange(n_journeys):04d}-{rnd.randrange(5)}",
            "identified": i % 4 != 0})
    teams = [{"id": f"team-{i:04d}", "name": f"Team {i}", "executive": i == 0,
              "external": i % 17 == 3,
              "skills": [{"skill": SKILLS[(i + k) % len(SKILLS)], "level": 1 + (i + k) % 3,
                          "people": 1 + (i * 7 + k) % 4} for k in range(3)]}
             for i in range(n_teams)]
    metrics = [{"id": f"met-{i:04d}", "name": f"Metric {i}", "type": METRIC_TYPES[i % 4],
                **({"owner": f"team-{i % n_teams:04d}"} if i % 5 else {}),
                "measures": [channels[i % len(channels)]["id"], f"jrn-{i % n_journeys:04d}"]}
               for i in range(n_metrics)]
    policies = [{"id": f"pol-{i:04d}", "name": f"Policy {i}",
                 "trigger": sorted({f"dat-{rnd.randrange(n_data):05d}" for _ in range(2)}),
                 "action": "pause", "target": "promotion",
                 "executors": sorted({sys_ids[pick_system()] for _ in range(2)}),
                 "max_latency": LATENCIES[i % len(LATENCIES)]} for i in range(n_policies)]
    segments = [{"id": f"seg-{i:03d}", "name": f"Segment {i}", "size": 1000 * (i + 1)}
                for i in range(n_segments)]
    needs = [{"id": f"need-{i:04d}", "name": f"Need {i}", "segment": f"seg-{i % n_segments:03d}",
              "max_latency": LATENCIES[i % len(LATENCIES)],
              "capabilities": sorted({f"cap-{rnd.randrange(n_caps):04d}" for _ in range(2)})}
             for i in range(n_needs)]

    # --- flows fill the edge budget left by everything else --------------------------------
    other_edges = (sum(len(s["masters"]) + len(s["capabilities"]) + len(s["owners"]) + 1
                       for s in systems)
                   + sum(len(t["systems"]) + 2 for t in touchpoints) + len(data)
                   + sum(1 + 5 + sum(1 for st in j["stages"] if "owner" in st)
                         + ("owner" in j) for j in journeys)
                   + 3 * n_teams + sum(2 + ("owner" in m) for m in metrics)
                   + sum(len(p["trigger"]) + len(p["executors"]) for p in policies)
                   + sum(len(c["requires"]) for c in caps)
                   + sum(1 + len(nd["capabilities"]) for nd in needs))
    graph_nodes = (n_sys + n_data + n_tp + len(channels) + n_journeys * 6 + n_teams
                   + len(SKILLS) + n_metrics + n_policies + n_caps + n_segments + n_needs)
    # A small estate cannot hold 5 edges per node in distinct flows: at most half of the
    # ordered pairs of systems are linked.
    n_flows = min(max(n_sys, EDGES_PER_NODE * graph_nodes - other_edges),
                  n_sys * (n_sys - 1) // 2)
    flows = []
    seen: set[tuple[int, int]] = set()
    while len(flows) < n_flows:
        a = pick_system() if rnd.random() < 0.5 else rnd.randrange(n_sys)
        b = pick_system()
        if rnd.random() < 0.5:
            a, b = b, a
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        mode, freq = MODES[rnd.randrange(len(MODES))]
        carried = masters[a][:2] + [f"dat-{rnd.randrange(n_data):05d}"]
        flows.append({"id": f"flow-{len(flows):06d}", "source": sys_ids[a],
                      "target": sys_ids[b], "data": sorted(set(carried)), "mode": mode,
                      **({"frequency": freq} if freq else {})})

    respondents = [{"id": r, "name": name, "role": role} for r, name, role in (
        ("cmo", "Dana Marsh", "Chief Marketing Officer"),
        ("cio", "Ravi Kapoor", "Chief Information Officer"),
        ("coo", "Lena Fischer", "Chief Operating Officer"))]
    asked = questions if questions is not None else rubric_question_ids()
    answers = [{"question": q, "respondent": r["id"], "value": rnd.randrange(5),
                **({"note": "Mostly email, some SMS."} if k % 7 == 0 else {})}
               for k, q in enumerate(asked) for r in respondents]
    return {
        "client": {"name": f"Synthetic {nodes}"},
        "respondents": respondents, "answers": answers,
        "inventory": {"systems": systems, "channels": channels, "touchpoints": touchpoints,
                      "flows": flows, "data": data, "journeys": journeys, "teams": teams,
                      "skills": [{"id": s, "name": s.replace("-", " ").capitalize()}
                                 for s in SKILLS],
                      "metrics": metrics, "policies": policies, "capabilities": caps},
        "vision": {"segments": segments, "needs": needs},
    }


def systems_for(systems: int) -> int:
    """The ``nodes`` argument that gives about ``systems`` systems (for diagram sizes)."""
    return systems * 10


def archimate_model(elements: int) -> str:
    """An Archi (.archimate) model with ``elements`` elements and ~1.5 relationships each.

    Shaped like the models tried while writing the importer: half the elements are types the
    audit does not map, components repeat names, flows are named and some pass through
    junctions, components carry properties.
    """
    words = ("CRM", "Portal", "Billing", "Data warehouse", "Ticketing", "Webshop", "Gateway",
             "Scheduler", "Archive", "Payments")
    components, data, actors = elements // 4, elements // 10, elements // 10
    junctions = elements // 50
    others = elements - components - data - actors - junctions
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<archimate:model xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xmlns:archimate="http://www.archimatetool.com/archimate" name="Benchmark" '
           'id="m" version="5.0.0">', '<folder name="All" id="f" type="application">']

    def element(kind: str, ident: str, name: str, inner: str = "") -> None:
        out.append(f'<element xsi:type="archimate:{kind}" name={quoteattr(name)} id="{ident}">'
                   f"{inner}</element>")

    for i in range(components):
        props = ('<property key="Owner" value="Team {0}"/><property key="Lifecycle" '
                 'value="Invest"/><property key="Cost centre" value="CC{0}"/>').format(i % 40)
        element("ApplicationComponent", f"c{i}", f"{words[i % 10]} {i % (components // 2)}",
                f"<documentation>Component {i}\r\nsecond line</documentation>{props}")
    for i in range(data):
        element("DataObject", f"d{i}", f"Data object {i}")
    for i in range(actors):
        element("BusinessActor" if i % 2 else "BusinessRole", f"a{i}",
                ("Customer segment " if i % 3 == 0 else "Service team ") + str(i))
    for i in range(junctions):
        out.append(f'<element xsi:type="archimate:Junction" id="j{i}"/>')
    for i in range(others):
        element("BusinessProcess", f"p{i}", f"Process {i}")
    counter = itertools.count(1)

    def relation(kind: str, source: str, target: str, name: str = "", extra: str = "") -> None:
        out.append(f'<element xsi:type="archimate:{kind}Relationship" id="r{next(counter)}" '
                   f'source="{source}" target="{target}" name={quoteattr(name)}{extra}/>')

    for i in range(components):
        relation("Flow", f"c{i}", f"c{(i + 1) % components}", f"Data object {i % data}")
        relation("Serving", f"c{i}", f"c{(i + 7) % components}")
        relation("Access", f"c{i}", f"d{i % data}")
        relation("Access", f"c{(i + 3) % components}", f"d{i % data}", extra=' accessType="1"')
    for i in range(junctions):
        relation("Triggering", f"c{i}", f"j{i}", "Event")
        relation("Triggering", f"j{i}", f"c{(i + 11) % components}")
        relation("Triggering", f"j{i}", f"c{(i + 13) % components}")
    for i in range(others // 2):
        relation("Assignment", f"a{i % actors}", f"p{i}")
    out += ["</folder>", "</archimate:model>"]
    return "\n".join(out)
