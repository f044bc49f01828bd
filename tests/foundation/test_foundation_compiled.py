"""Compiled content: parsed once, reused by later runs, rebuilt when a content file changes.

Each test gives the cache its own folder and lays a private copy of one blueprint file over the
built-in content, so editing it is an edit a consultant could make.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import auditor.catalogue as catalogue_module
from auditor.catalogue import load_catalogue
from auditor.catalogue.compiled import CACHE_ENV
from auditor.content import set_overrides

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A --content folder holding a copy of the remedies file; the cache in its own folder."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "mine"
    (folder / "blueprints").mkdir(parents=True)
    copy = folder / "blueprints" / "remedies.yaml"
    copy.write_bytes((REPO / "blueprints" / "remedies.yaml").read_bytes())
    set_overrides([folder])
    yield copy
    set_overrides([])
    catalogue_module._cache.clear()


def _fresh_catalogue() -> catalogue_module.Catalogue:
    """What a new process would see: no catalogue kept in memory."""
    catalogue_module._cache.clear()
    return load_catalogue()


def _first_title(remedies_file: Path) -> str:
    for line in remedies_file.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("title:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no remedy title in the file")


def test_a_second_run_reads_the_compiled_parts(content: Path, tmp_path: Path) -> None:
    first = _fresh_catalogue()
    remedies = first.remedies
    assert first.compiled.hits == set()  # parsed from YAML
    stored = list((tmp_path / "cache").glob("catalogue-*.pickle"))
    assert len(stored) == 1

    second = _fresh_catalogue()
    assert second.remedies == remedies
    assert second.rules == first.rules
    assert second.compiled.hits == {"remedies", "rules"}


def test_an_edited_content_file_is_picked_up(content: Path) -> None:
    old = _first_title(content)
    assert _fresh_catalogue().remedies[0].title == old

    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace(f"title: {old}", "title: Name one accountable sponsor", 1),
                       encoding="utf-8")
    stat = content.stat()  # same second on a coarse clock: the size differs all the same
    os.utime(content, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))

    edited = _fresh_catalogue()
    assert edited.remedies[0].title == "Name one accountable sponsor"
    assert "remedies" not in edited.compiled.hits


def test_a_broken_edit_is_reported_not_served_from_the_cache(content: Path) -> None:
    _fresh_catalogue().remedies  # noqa: B018 - fills the cache
    content.write_text(content.read_text(encoding="utf-8").replace("effort:", "efort:", 1),
                       encoding="utf-8")
    from auditor.errors import ContentError

    with pytest.raises(ContentError, match="remedies.yaml"):
        _fresh_catalogue().remedies  # noqa: B018


def test_a_corrupt_cache_file_is_ignored_and_replaced(content: Path, tmp_path: Path) -> None:
    expected = _fresh_catalogue().remedies
    (stored,) = (tmp_path / "cache").glob("catalogue-*.pickle")
    for garbage in (b"", b"not a pickle at all", stored.read_bytes()[:100]):
        stored.write_bytes(garbage)
        again = _fresh_catalogue()
        assert again.remedies == expected
        assert again.compiled.hits == set()
    assert _fresh_catalogue().compiled.parts["remedies"] == expected  # rewritten, readable


def test_the_cache_can_be_switched_off(content: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    assert _fresh_catalogue().remedies
    assert not (tmp_path / "cache").exists()


def test_a_folder_others_can_write_to_is_not_trusted(content: Path, tmp_path: Path) -> None:
    _fresh_catalogue().remedies  # noqa: B018
    (tmp_path / "cache").chmod(0o777)
    try:
        assert _fresh_catalogue().compiled.hits == set()
    finally:
        (tmp_path / "cache").chmod(0o700)


def test_a_new_process_uses_what_an_earlier_one_compiled(tmp_path: Path) -> None:
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}
    probe = ("from auditor.catalogue import load_catalogue\n"
             "c = load_catalogue(); c.rules; c.banks\n"
             "print(sorted(c.compiled.hits))\n")
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           env=env, check=True).stdout.strip() for _ in range(2)]
    assert runs == ["[]", "['banks', 'rules']"]


def test_every_part_of_the_catalogue_is_kept_compiled(tmp_path: Path) -> None:
    """A command reads no content YAML once an earlier one compiled it: every part pickles
    (one that did not would stop the whole file from being written) and is served again."""
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}
    parts = {"banks": "banks", "products": "products", "import vocabulary": "import_vocabulary",
             "rules": "rules", "components": "components", "caps": "caps",
             "scoring": "scoring", "remedies": "remedies", "wording": "wording",
             "template code": "templates", "target states": "target_states",
             "roadmap settings": "roadmap_settings", "severity scaling": "severity_scaling",
             "root causes": "root_causes"}
    probe = ("from auditor.catalogue import load_catalogue\n"
             "c = load_catalogue()\n"
             f"for name in {sorted(parts.values())!r}: getattr(c, name)\n"
             "print(sorted(c.compiled.hits))\n")
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           env=env, check=True).stdout.strip() for _ in range(2)]
    assert runs == ["[]", str(sorted(parts))]


def test_finding_templates_are_kept_compiled_and_follow_an_edited_rule(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.analysis.assess import assess
    from auditor.store.audit_file import load_audit

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    rules_file = tmp_path / "mine" / "blueprints" / "rules-person-journeys.yaml"
    rules_file.parent.mkdir(parents=True)
    text = (REPO / "blueprints" / "rules-person-journeys.yaml").read_text(encoding="utf-8")
    rules_file.write_text(text, encoding="utf-8")
    audit = load_audit(REPO / "tests" / "rules" / "fixtures" / "PER-01" / "fire.audit.yaml")

    def per01_rationale() -> tuple[str, set[str]]:
        catalogue = _fresh_catalogue()
        finding = next(f for f in assess(audit, catalogue=catalogue).findings
                       if f.rule == "PER-01")
        return finding.rationale, catalogue.compiled.hits

    set_overrides([tmp_path / "mine"])
    try:
        first, first_hits = per01_rationale()
        again, again_hits = per01_rationale()
        assert "template code" not in first_hits and "template code" in again_hits
        assert again == first and "each create their own" in first

        rules_file.write_text(text.replace("each create their own", "each keep their own", 1),
                              encoding="utf-8")
        edited, edited_hits = per01_rationale()
    finally:
        set_overrides([])
        catalogue_module._cache.clear()
    assert "template code" not in edited_hits
    assert edited == first.replace("each create their own", "each keep their own")
