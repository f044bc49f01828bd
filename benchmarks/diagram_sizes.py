"""How long the ecosystem diagram takes by size, and which layout it chose.

    .venv/bin/python benchmarks/diagram_sizes.py              # 20 60 150 300 1000 systems, SVG
    .venv/bin/python benchmarks/diagram_sizes.py 60 300 --format png --no-aggregate

Synthetic ecosystems (``tests/diagram/diagram_synthetic.py``: hubs, satellites, point-to-point
links, mixed modes) drawn with the real Graphviz into a temporary folder. One line per size:
views written, engine(s), nodes in the largest view, fallbacks used, wall-clock seconds
(build graph + DOT + Graphviz; the rule engine is left out so only drawing is measured).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "diagram"))

from diagram_synthetic import synthetic_ecosystem  # noqa: E402

from auditor.graph.build import build_graph  # noqa: E402
from auditor.render.diagram import DiagramOptions, render_diagram  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20, 60, 150, 300, 1000])
    parser.add_argument("--format", choices=["svg", "png", "dot"], default="svg")
    parser.add_argument("--touchpoints", action="store_true")
    parser.add_argument("--no-aggregate", action="store_true",
                        help="force one diagram whatever the size (shows why aggregation exists)")
    args = parser.parse_args()
    options = DiagramOptions(touchpoints=args.touchpoints,
                             aggregate=False if args.no_aggregate else None)
    print(f"{'systems':>7}  {'views':>5}  {'engine':<10} {'max nodes':>9}  {'seconds':>7}  notes")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            audit = synthetic_ecosystem(size)
            start = time.perf_counter()
            graph = build_graph(audit)
            result = render_diagram(graph, Path(tmp) / f"eco-{size}.{args.format}", options)
            seconds = time.perf_counter() - start
            engines = "+".join(sorted({f.engine for f in result.files}))
            notes = sorted({f.note for f in result.files if f.note})
            slowest = max(result.files, key=lambda f: f.seconds)
            detail = f"slowest view {slowest.path.name} {slowest.seconds:.2f} s"
            print(f"{size:>7}  {len(result.files):>5}  {engines:<10} "
                  f"{max(f.nodes for f in result.files):>9}  {seconds:>7.2f}  "
                  f"{'aggregated; ' if result.aggregated else ''}{detail}"
                  f"{'; ' + ', '.join(notes) if notes else ''}", flush=True)


if __name__ == "__main__":
    main()
