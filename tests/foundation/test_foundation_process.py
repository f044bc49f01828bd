"""The ``auditor`` process's collector settings stay in that process.

``auditor.process.run`` raises the cyclic collector's thresholds and freezes what the analysis and
the run leave alive (docs: benchmarks/README.md, "Fourth pass"). A library or a test that calls
``main()`` or ``analyse()`` in its own process must keep Python's collection as it was.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.process import GC_THRESHOLDS


def test_main_and_analyse_leave_the_callers_collector_alone(
        demo_audit_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from auditor.analysis.assess import analyse
    from auditor.cli import console, main
    from auditor.store.audit_file import load_audit

    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    analyse(load_audit(demo_audit_path))
    saved = console.out, console.err
    console.refresh()  # consoles on this test's captured streams
    try:
        assert main(["gaps", str(demo_audit_path)]) == 0
    finally:
        console.out, console.err = saved
    assert "root cause" in capsys.readouterr().out
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled()


def test_the_auditor_process_collects_at_its_own_thresholds(demo_audit_path: Path) -> None:
    # Read as the process leaves: after main() and the freeze before sys.exit.
    probe = ("import atexit, gc, sys\n"
             "atexit.register(lambda: print('GC', gc.get_threshold(), gc.get_freeze_count() > 0,"
             " file=sys.stderr))\n"
             f"sys.argv = ['auditor', 'gaps', {str(demo_audit_path)!r}]\n"
             "from auditor.process import run\n"
             "run()\n")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "root cause" in done.stdout
    assert f"GC {GC_THRESHOLDS} True" in done.stderr
