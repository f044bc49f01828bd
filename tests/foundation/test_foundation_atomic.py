"""Kill a process while it saves, many times: the file is always the whole old or new version."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from auditor.store.audit_file import load_audit, open_audit, save_audit

WRITER = r"""
import sys
from pathlib import Path
from auditor.schema.audit import System
from auditor.store.audit_file import open_audit, save_audit

path = Path(sys.argv[1])
i = 0
while True:
    doc = open_audit(path)
    # Alternate between a small and a large version so a torn write would show.
    n = 400 if i % 2 else 3
    doc.audit.inventory.systems = [System(id=f"s-{k}", name=f"System {k} " + "x" * 50) for k in range(n)]
    doc.audit.client.name = f"version {i}"
    save_audit(doc)
    i += 1
    print(i, flush=True)
"""


def test_kill_during_save_never_leaves_a_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "victim.audit.yaml"
    path.write_text("client:\n  name: start\n")
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(20261123)
    kills = 0
    for _ in range(25):
        proc = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        proc.stdout.readline()  # at least one save done: now kill it at a random moment
        time.sleep(rng.uniform(0, 0.15))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        audit = load_audit(path)  # complete and valid, whichever version
        assert audit.client.name.startswith(("version", "start"))
        assert len(audit.inventory.systems) in (0, 3, 400)
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            assert len(load_audit(backup).inventory.systems) in (0, 3, 400)
    assert kills == 25


def test_backup_holds_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "a.audit.yaml"
    path.write_text("client:\n  name: first\n")
    doc = open_audit(path)
    doc.audit.client.name = "second"
    save_audit(doc)
    assert load_audit(path).client.name == "second"
    assert load_audit(path.with_name("a.audit.yaml.bak")).client.name == "first"
    # no temporary files left behind after a normal save
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.audit.yaml", "a.audit.yaml.bak"]


def test_file_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.audit.yaml"
    path.write_text("client:\n  name: first\n")
    path.chmod(0o640)
    doc = open_audit(path)
    doc.audit.client.name = "second"
    save_audit(doc)
    assert path.stat().st_mode & 0o777 == 0o640
