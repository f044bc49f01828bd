"""Fixtures shared by every test area: the repository, the bundled examples, a CLI runner."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
# A real ArchiMate model written outside this project (MIT, see tests/data/archimate/).
ARCHISURANCE = REPO / "tests" / "data" / "archimate" / "archisurance.xml"
AUDITOR_BIN = Path(sys.executable).with_name("auditor")
_CACHE_KEY = pytest.StashKey[tuple[str, str | None]]()


def pytest_configure(config: pytest.Config) -> None:
    # Compiled content goes to a private folder for this session (the CLI processes the tests
    # start inherit it), never to the user's own cache.
    folder = tempfile.mkdtemp(prefix="auditor-test-cache-")
    config.stash[_CACHE_KEY] = (folder, os.environ.get("AUDITOR_CACHE_DIR"))
    os.environ["AUDITOR_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder, before = config.stash.get(_CACHE_KEY, (None, None))
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        if before is None:
            os.environ.pop("AUDITOR_CACHE_DIR", None)
        else:
            os.environ["AUDITOR_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def synthetic() -> ModuleType:
    """The benchmarks' generator of synthetic estates (``benchmarks/synthetic.py``)."""
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def demo_audit_path() -> Path:
    return EXAMPLES / "demo.audit.yaml"


@pytest.fixture
def demo_copy(tmp_path: Path, demo_audit_path: Path) -> Path:
    """A private copy of the demo audit that a test may change."""
    target = tmp_path / "demo.audit.yaml"
    target.write_bytes(demo_audit_path.read_bytes())
    return target


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., Run]:
    """Run the real installed ``auditor`` executable (a fresh process, like a user would)."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            cwd: Path | None = None, timeout: float = 120) -> Run:
        full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", **(env or {})}
        full_env.pop("FORCE_COLOR", None)
        proc = subprocess.run([str(AUDITOR_BIN), *args], input=input, capture_output=True,
                              text=True, env=full_env, cwd=cwd or tmp_path, timeout=timeout)
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run
