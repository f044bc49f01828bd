"""How fast does `auditor` start? Prints wall-clock figures and which heavy modules got imported.

Run: .venv/bin/python benchmarks/startup.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).with_name("auditor")
HEAVY = ("networkx", "weasyprint", "openpyxl", "questionary", "prompt_toolkit", "jinja2", "graphviz")


def timed(args: list[str], runs: int = 7) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    baseline = timed([sys.executable, "-c", "pass"])
    help_time = timed([str(BIN), "--help"])
    version_time = timed([str(BIN), "--version"])
    probe = subprocess.run(
        [sys.executable, "-c",
         "import sys; sys.argv=['auditor','--version']\n"
         "import auditor.cli as c\n"
         "try: c.main(['--version'])\n"
         "except SystemExit: pass\n"
         f"print('LOADED=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"],
        capture_output=True, text=True, check=False)
    line = next((l for l in probe.stdout.splitlines() if l.startswith("LOADED=")), "LOADED=")
    loaded = [m for m in line.removeprefix("LOADED=").split(",") if m]
    print(f"python -c pass      {baseline * 1000:7.0f} ms")
    print(f"auditor --version   {version_time * 1000:7.0f} ms  ({version_time / baseline:.1f}x bare python)")
    print(f"auditor --help      {help_time * 1000:7.0f} ms  ({help_time / baseline:.1f}x bare python)")
    print(f"heavy modules loaded at start-up: {', '.join(loaded) or 'none'}")


if __name__ == "__main__":
    main()
