"""Content files: validated on load with file:line errors, and layered under --content folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import content
from auditor.errors import ContentError
from auditor.schema.catalogue import RemedyCatalogue


@pytest.fixture(autouse=True)
def _no_overrides(monkeypatch):
    monkeypatch.delenv(content.CONTENT_ENV, raising=False)
    yield
    content.set_overrides([])


def test_packaged_content_is_found_from_the_checkout():
    root = content.packaged_root()
    assert (root / "questionnaires").is_dir() and (root / "examples" / "new.audit.yaml").is_file()


def test_content_file_errors_have_file_line_and_did_you_mean(tmp_path: Path):
    bad = tmp_path / "remedies.yaml"
    bad.write_text("remedies:\n  - id: R01\n    title: Sponsor\n    component: governance\n"
                   "    effort: M\n    depnds_on: []\n")
    with pytest.raises(ContentError) as info:
        content.load_model(bad, RemedyCatalogue)
    problems = [str(p) for p in info.value.problems]
    assert any(p.startswith(f"{bad}:6:5: remedies[0].depnds_on: unknown field") and "depends_on" in p
               for p in problems), problems


def test_override_folder_replaces_same_name_and_adds_new(tmp_path: Path):
    override = tmp_path / "mine"
    (override / "examples").mkdir(parents=True)
    (override / "examples" / "new.audit.yaml").write_text("client:\n  name: From override\n")
    (override / "examples" / "extra.audit.yaml").write_text("client:\n  name: Extra\n")
    content.set_overrides([override])
    files = {cf.relative: cf for cf in content.content_files("examples")}
    assert files["examples/new.audit.yaml"].path == override / "examples" / "new.audit.yaml"
    assert not files["examples/new.audit.yaml"].builtin
    assert "examples/extra.audit.yaml" in files
    assert content.content_path("examples/new.audit.yaml").read_text().endswith("From override\n")


def test_env_variable_layers_too(tmp_path: Path, monkeypatch):
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "new.audit.yaml").write_text("client:\n  name: Env\n")
    monkeypatch.setenv(content.CONTENT_ENV, str(tmp_path))
    assert content.content_path("examples/new.audit.yaml") == tmp_path / "examples" / "new.audit.yaml"


def test_missing_override_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ContentError, match="does not exist"):
        content.set_overrides([tmp_path / "nope"])


def test_cli_content_option_is_used_by_new(run_cli, tmp_path: Path):
    mine = tmp_path / "mine" / "examples"
    mine.mkdir(parents=True)
    (mine / "new.audit.yaml").write_text(
        "# house template\nclient:\n  name: placeholder\nengagement:\n  title: House audit\n")
    r = run_cli("--content", str(tmp_path / "mine"), "new", "Acme", "-o", "a.audit.yaml")
    assert r.code == 0, r.err
    text = (tmp_path / "a.audit.yaml").read_text()
    assert "# house template" in text and "title: House audit" in text and "name: Acme" in text
