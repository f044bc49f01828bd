"""Every --json of the plan commands is byte-identical across processes (hash seeds differ)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
AUDITOR = Path(sys.executable).with_name("auditor")
DEMO = str(REPO / "examples" / "demo.audit.yaml")
E3 = str(REPO / "examples" / "e3-riverbend-food-bank.audit.yaml")


def _run(args: list[str], seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    proc = subprocess.run([str(AUDITOR), *args], capture_output=True, env=env, cwd=REPO,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


@pytest.mark.parametrize("args", [
    ["roadmap", DEMO, "--json"],
    ["blueprint", DEMO, "--json"],
], ids=["roadmap", "blueprint"])
def test_json_is_byte_identical_across_processes(args: list[str]) -> None:
    first, second = _run(args, "1"), _run(args, "2024")
    assert first == second
    assert len(first) > 1000
