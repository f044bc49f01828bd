"""Does the gap analysis grow linearly with the ecosystem? Prints seconds per size and ratios.

Run: .venv/bin/python benchmarks/analysis_scaling.py [--sizes 1000,5000,20000] [--per-rule]

A synthetic ecosystem of about N graph nodes is built from a fixed seed: systems in domains of
ten (each domain with a system of record, an engagement system, a service desk, commerce, back
office, a communications platform, advertising, analytics and, every fifth domain, a CDP),
each system feeding two others in its domain and one in the next domain, so the flow graph is
one connected, cyclic web, as in a real estate of systems. Data, touchpoints, journeys,
teams, metrics, engagement rules and capabilities scale with it; channels and skills stay few.

What is timed: building the graph and running every registered rule (content files are loaded
once beforehand, as in a long-running session). With linear cost, time / nodes stays roughly
flat as N grows; the "ratio" column compares it with the smallest size.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.schema.audit import Audit  # noqa: E402

ROLES = [
    ["system-of-record"], ["system-of-engagement", "marketing-automation"], ["service-desk"],
    ["commerce"], ["erp"], ["communications-platform"], ["advertising"], ["other"],
    ["analytics"], ["other"],
]
CLASSES = ["identity", "contact-point", "profile", "consent", "interaction", "transaction",
           "case", "status", "product"]
STYLES = ["broadcast", "one-way-in", "two-way", "participation", "broadcast", "two-way"]
PURPOSES = ["marketing", "fundraising", "commerce", "service", "transactional"]
CHANNEL_KINDS = ["web", "email", "sms", "messaging", "phone", "in-person", "social", "community",
                 "video", "mail", "paid-media", "app"]
SKILLS = ["platform-admin", "data-modelling", "identity-resolution", "journey-design",
          "decisioning", "campaign-ops", "workflow-admin", "integration", "community-management",
          "commerce-ops", "erp-admin", "paid-media"]
MODES = [("batch", "daily"), ("real-time", None), ("batch", "hourly"), ("manual", None),
         ("batch", "weekly")]


def synthetic_audit(n: int, seed: int = 7) -> Audit:
    """An audit whose graph has roughly ``n`` nodes."""
    rnd = random.Random(seed)
    n_sys = max(10, n // 10 // 10 * 10)
    n_data, n_tp = int(n * 0.35), int(n * 0.25)
    n_journeys, n_teams, n_metrics = max(1, n // 100), max(1, n // 20), max(1, n // 20)
    n_policies, n_caps = max(1, n * 3 // 100), max(1, n * 3 // 100)
    domains = n_sys // 10

    data = [{"id": f"d{i}", "name": f"Datum {i}", "class": CLASSES[i % len(CLASSES)],
             **({"subtype": "donation"} if i % 97 == 5 else {})} for i in range(n_data)]
    masters: dict[int, list[str]] = {s: [] for s in range(n_sys)}
    for i in range(n_data):
        owner = rnd.randrange(n_sys)
        masters[owner].append(f"d{i}")
        if i % 11 == 0:  # some data has a second master
            masters[rnd.randrange(n_sys)].append(f"d{i}")
    caps = [{"id": f"cap{i}", "name": f"Capability {i}", "requires": [f"d{rnd.randrange(n_data)}"],
             "shared_ok": i % 4 == 0} for i in range(n_caps)]
    systems = []
    for s in range(n_sys):
        domain, slot = divmod(s, 10)
        roles = ["cdp"] if slot == 9 and domain % 5 == 0 else ROLES[slot]
        systems.append({
            "id": f"s{s}", "name": f"System {s}", "roles": roles,
            "owners": [f"t{s // 2 % n_teams}"] if s % 13 else [],
            "masters": sorted(set(masters[s])),
            "capabilities": [f"cap{rnd.randrange(n_caps)}"] if s % 3 == 0 else [],
        })
    flows = []
    for s in range(n_sys):
        domain = s // 10
        targets = {domain * 10 + rnd.randrange(10) for _ in range(2)}
        targets.add((domain + 1) % domains * 10 + rnd.randrange(10))
        for t in sorted(targets - {s}):
            mode, freq = MODES[(s + t) % len(MODES)]
            carried = masters[s][:2] + [f"d{rnd.randrange(n_data)}"]
            flows.append({"id": f"f{s}-{t}", "source": f"s{s}", "target": f"s{t}",
                          "data": sorted(set(carried)), "mode": mode,
                          **({"frequency": freq} if freq else {})})
    channels = [{"id": f"ch{i}", "name": f"Channel {i}", "kind": kind,
                 "interactions_per_year": 1000 * (len(CHANNEL_KINDS) - i) ** 2}
                for i, kind in enumerate(CHANNEL_KINDS)]
    journeys = [{"id": f"j{j}", "name": f"Journey {j}",
                 **({"owner": f"t{j % n_teams}"} if j % 2 else {}),
                 "stages": [{"id": f"j{j}-st{k}", "name": f"Stage {k}",
                             "owner": f"t{(j + k) % n_teams}"} for k in range(5)]}
                for j in range(n_journeys)]
    touchpoints = []
    for i in range(n_tp):
        j = rnd.randrange(n_journeys)
        touchpoints.append({
            "id": f"tp{i}", "name": f"Touchpoint {i}", "style": STYLES[i % len(STYLES)],
            "purpose": PURPOSES[i % len(PURPOSES)], "channel": f"ch{rnd.randrange(len(channels))}",
            "systems": [] if i % 29 == 0 else [f"s{rnd.randrange(n_sys)}"],
            "stage": f"j{j}-st{rnd.randrange(5)}"})
    teams = [{"id": f"t{i}", "name": f"Team {i}", "executive": i == 0, "external": i % 17 == 3,
              "skills": [{"skill": SKILLS[(i + k) % len(SKILLS)], "level": 1 + k % 3,
                          "people": 1 + (i + k) % 3} for k in range(3)]} for i in range(n_teams)]
    skills = [{"id": s, "name": s.replace("-", " ")} for s in SKILLS]
    metrics = [{"id": f"m{i}", "name": f"Metric {i}",
                "type": ["activity", "outcome", "responsiveness", "financial"][i % 4],
                "owner": f"t{i % n_teams}", "measures": [f"ch{i % len(channels)}"]}
               for i in range(n_metrics)]
    policies = [{"id": f"p{i}", "name": f"Rule {i}", "trigger": [f"d{rnd.randrange(n_data)}"],
                 "action": "pause", "target": "promotion", "executors": [f"s{rnd.randrange(n_sys)}"],
                 "max_latency": "daily"} for i in range(n_policies)]
    segments = [{"id": f"seg{i}", "name": f"Segment {i}"} for i in range(max(1, n // 200))]
    needs = [{"id": f"need{i}", "name": f"Need {i}", "segment": f"seg{i % len(segments)}",
              "capabilities": [f"cap{rnd.randrange(n_caps)}"], "max_latency": "daily"}
             for i in range(max(1, n // 100))]
    respondents = [{"id": r, "name": r.upper()} for r in ("cmo", "cio", "coo")]
    questions = ["q1.1", "q2.1", "q3.2", "q3.4", "q4.1", "q5.3", "q6.3", "q7.1", "q8.1", "q9.3",
                 "q9.4"]
    answers = [{"question": q, "respondent": r["id"], "value": rnd.randrange(5),
                **({"note": "Email is our main channel."} if q == "q3.2" else {})}
               for q in questions for r in respondents]
    return Audit.model_validate({
        "client": {"name": f"Synthetic {n}"}, "respondents": respondents, "answers": answers,
        "inventory": {"systems": systems, "channels": channels, "touchpoints": touchpoints,
                      "flows": flows, "data": data, "journeys": journeys, "teams": teams,
                      "skills": skills, "metrics": metrics, "policies": policies,
                      "capabilities": caps},
        "vision": {"segments": segments, "needs": needs},
    })


def measure(audit: Audit, repeat: int) -> tuple[int, int, float, float, int]:
    from auditor.graph.build import build_graph
    from auditor.rules.engine import run_rules

    best_build = best_rules = float("inf")
    findings = nodes = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        g = build_graph(audit)
        t1 = time.perf_counter()
        result = run_rules(audit, graph=g)
        t2 = time.perf_counter()
        best_build, best_rules = min(best_build, t1 - t0), min(best_rules, t2 - t1)
        findings, nodes = len(result.findings), g.number_of_nodes()
    return nodes, g.number_of_edges(), best_build, best_rules, findings


def per_rule(audit: Audit) -> list[tuple[str, float]]:
    from auditor.graph.build import build_graph
    from auditor.rules.engine import load_catalogue, run_rules

    g = build_graph(audit)
    out = []
    for meta in load_catalogue():
        t0 = time.perf_counter()
        run_rules(audit, graph=g, only={meta.id})
        out.append((meta.id, time.perf_counter() - t0))
    return sorted(out, key=lambda r: -r[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--per-rule", action="store_true", help="Also time each rule alone.")
    args = parser.parse_args()
    from auditor.rules.engine import load_catalogue

    load_catalogue()  # content parsing is not part of the analysis cost
    base = None
    print(f"{'target':>7} {'nodes':>7} {'edges':>7} {'graph s':>8} {'rules s':>8} "
          f"{'total s':>8} {'µs/node':>8} {'ratio':>6} {'findings':>8}")
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sizes:
        audit = synthetic_audit(n)
        nodes, edges, build, rules, findings = measure(audit, args.repeat)
        total = build + rules
        per_node = total / nodes * 1e6
        base = base or per_node
        print(f"{n:>7} {nodes:>7} {edges:>7} {build:>8.3f} {rules:>8.3f} {total:>8.3f} "
              f"{per_node:>8.1f} {per_node / base:>6.2f} {findings:>8}")
    if args.per_rule:
        print(f"\nslowest rules at {sizes[-1]} nodes (each run alone, projections not shared):")
        for rule_id, seconds in per_rule(synthetic_audit(sizes[-1]))[:10]:
            print(f"  {rule_id:<24} {seconds:.3f} s")


if __name__ == "__main__":
    main()
