"""Do the roadmap and the blueprint grow linearly with the ecosystem? Seconds per size.

Run: .venv/bin/python benchmarks/plan_scaling.py [--sizes 1000,5000,20000]

Uses the synthetic ecosystems of ``analysis_scaling.py``. What is timed: the whole
``analyse()`` (graph, backtracking, rules, scores, roadmap, blueprint), then the roadmap and
the blueprint alone on its results, so their share of the analysis shows. With linear cost,
the µs per node of each stays roughly flat as N grows.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis_scaling import synthetic_audit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    args = parser.parse_args()
    from auditor.analysis.assess import analyse
    from auditor.analysis.blueprint import build_blueprint
    from auditor.analysis.roadmap import plan_roadmap
    from auditor.catalogue import load_catalogue

    catalogue = load_catalogue()
    catalogue.remedies, catalogue.target_states  # noqa: B018 - content is not analysis cost
    print(f"{'target':>7} {'nodes':>7} {'analyse s':>10} {'roadmap s':>10} {'blueprint s':>12} "
          f"{'µs/node':>8} {'items':>6}")
    for n in (int(s) for s in args.sizes.split(",")):
        audit = synthetic_audit(n)
        t0 = time.perf_counter()
        result = analyse(audit, catalogue)
        t1 = time.perf_counter()
        a = result.assessment
        plan = plan_roadmap(audit, result.graph, catalogue, a.findings, a.rules, a.backtracking,
                            a.scores)
        t2 = time.perf_counter()
        build_blueprint(audit, result.graph, catalogue, a.findings, a.scores, plan)
        t3 = time.perf_counter()
        nodes = result.graph.number_of_nodes()
        print(f"{n:>7} {nodes:>7} {t1 - t0:>10.3f} {t2 - t1:>10.3f} {t3 - t2:>12.3f} "
              f"{(t2 - t1 + t3 - t2) / nodes * 1e6:>8.1f} {len(plan.items):>6}")


if __name__ == "__main__":
    main()
