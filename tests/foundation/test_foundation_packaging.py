"""`pip install .` (not editable) gives an `auditor` that works from any folder, content included."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (found,) = out.glob("*.whl")
    return found


def test_wheel_holds_only_the_auditor_package(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"auditor"}
    for content_file in ("auditor/_content/examples/new.audit.yaml",
                         "auditor/_content/examples/demo.audit.yaml"):
        assert content_file in names
    assert any(n.startswith("auditor/_content/questionnaires/") for n in names)
    assert any(n.startswith("auditor/_content/blueprints/") for n in names)
    for content_file in ("auditor/_content/reports/templates/report.html.j2",
                         "auditor/_content/reports/css/print.css",
                         "auditor/_content/reports/themes/default.yaml"):
        assert content_file in names


def test_installed_wheel_runs_from_another_folder(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    auditor = str(venv / "bin" / "auditor")
    r = subprocess.run([auditor, "--help"], cwd=elsewhere, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "validate" in r.stdout
    r = subprocess.run([auditor, "new", "Acme", "-o", "a.audit.yaml"], cwd=elsewhere,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([auditor, "validate", "a.audit.yaml"], cwd=elsewhere, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    # the packaged content comes from the wheel, not from this checkout
    r = subprocess.run([str(venv / "bin" / "python"), "-c",
                        "from auditor.content import packaged_root; print(packaged_root())"],
                       cwd=elsewhere, capture_output=True, text=True, timeout=60)
    assert "_content" in r.stdout and str(REPO) not in r.stdout
    r = subprocess.run([auditor, "demo", "-o", "out"], cwd=elsewhere, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    # the report's templates, styles and theme come from the wheel too
    for name in ("report.pdf", "report.html", "report.md", "assessment.json"):
        assert (elsewhere / "out" / name).stat().st_size > 0, name
