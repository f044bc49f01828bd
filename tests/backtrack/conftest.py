"""Helpers for the backtracking tests: small audits built from plain dicts, fixed settings."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from auditor.catalogue import load_catalogue
from auditor.catalogue.settings import BacktrackSettings
from auditor.schema.audit import Audit
from auditor.schema.references import check_references

HERE = Path(__file__).parent
REPO = HERE.parents[1]


def build_audit(**sections: Any) -> Audit:
    """An audit from inventory lists (systems=…, flows=…) and vision lists (segments=, needs=).

    References are checked, so a test cannot silently trace a typo."""
    vision = {k: sections.pop(k) for k in ("segments", "needs") if k in sections}
    audit = Audit.model_validate({"client": {"name": "Test client"}, "inventory": sections,
                                  "vision": vision})
    problems = check_references(audit)
    assert not problems, [str(p) for p in problems]
    return audit


@pytest.fixture
def make_audit() -> Callable[..., Audit]:
    return build_audit


@pytest.fixture(scope="session")
def settings() -> BacktrackSettings:
    """The shipped settings (blueprints/rules-backtracking.yaml and SKL-01's role skills)."""
    return load_catalogue().backtracking


@pytest.fixture(scope="session")
def scaling() -> ModuleType:
    """known_chains.py beside this file: a synthetic ecosystem whose answers are known."""
    spec = importlib.util.spec_from_file_location("known_chains", HERE / "known_chains.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
