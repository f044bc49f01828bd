"""Every `auditor` example of the README, run as written, in order, on a new audit.

The commands are read from the README's shell blocks, so an example that stops working (or a
new one that never did) fails here. Interactive ones run in a real terminal and are stopped
with Ctrl-C at their first question: they must get that far. The files the examples name
(answers.yaml, model.xml, model.archimate, model-repo/, archi-export/, and the walkthrough's
head-of-service.yaml, alder.yaml theme and earlier northwind-2026-10 milestone) come from
tests/trust/data.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
BIN = Path(sys.executable).parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if line.startswith("auditor "):
                commands.append(line)
    return commands


def _interactive(command: str) -> bool:
    words = command.split()
    if "interview" in words:
        return "--answers" not in words
    return "confirm" in words and "--list" not in words


def test_the_readme_shows_the_answers_file_the_examples_use() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```yaml\n" + (DATA / "answers.yaml").read_text(encoding="utf-8") + "```" in readme


def test_every_readme_example_runs_as_written(tmp_path: Path) -> None:
    commands = readme_commands()
    assert commands[0].startswith("auditor --help")
    assert any(c.startswith("auditor new ") for c in commands)
    for name in ("answers.yaml", "model.xml", "model.archimate", "head-of-service.yaml",
                 "alder.yaml", "northwind-2026-10.audit.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    for folder in ("archi-export", "model-repo"):
        shutil.copytree(DATA / folder, tmp_path / folder)
    home = tmp_path / "home"
    (home / "my-banks").mkdir(parents=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "HOME": str(home), "NO_COLOR": "1", "COLUMNS": "80",
           "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    env.pop("AUDITOR_CONTENT", None)
    failures = []
    for command in commands:
        if _interactive(command):
            child = pexpect.spawn("bash", ["-c", command], cwd=str(tmp_path), env=env,
                                  encoding="utf-8", dimensions=(40, 80), timeout=30)
            try:
                child.expect("›")  # the first question is on screen
                child.send("\x03")
                child.expect(pexpect.EOF)
            except pexpect.ExceptionPexpect:
                failures.append(f"{command}: never asked a question: {child.before!r}")
                continue
            child.close()
            if child.exitstatus != 130:
                failures.append(f"{command}: exit {child.exitstatus} after Ctrl-C")
            continue
        proc = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        # `--fail-on` exits 1 when it finds what it was asked to fail on, as documented.
        allowed = (0, 1) if "--fail-on" in command else (0,)
        if proc.returncode not in allowed:
            failures.append(f"{command}: exit {proc.returncode}: {proc.stderr.strip()}")
    assert not failures, "\n".join(failures)
    audit = tmp_path / "acme.audit.yaml"
    text = audit.read_text(encoding="utf-8")
    assert "Dana Ortiz" in text and "Sam Lee" in text and "crm-system" in text
    # The consultant's day: the workshops' answers and targets are in, the report is written.
    day = (tmp_path / "northwind.audit.yaml").read_text(encoding="utf-8")
    assert "Mark Dunmore" in day and "Tom Okafor" in day and "journeys: 3" in day
    assert (tmp_path / "northwind-report" / "report.pdf").stat().st_size > 10_000
