"""Engagement Ecosystem Auditor: audit file -> ecosystem graph -> assessment -> report.

The public API. Heavy libraries (networkx, weasyprint, graphviz) load only when the
functions that need them are called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "analyse",
    "assess",
    "build_graph",
    "load_catalogue",
    "Audit",
    "AuditDocument",
    "AuditorError",
    "load_audit",
    "open_audit",
    "render_report",
    "save_audit",
    "validate_file",
    "__version__",
]

if TYPE_CHECKING:
    from auditor.analysis.assess import analyse, assess
    from auditor.catalogue import load_catalogue
    from auditor.errors import AuditorError
    from auditor.graph.build import build_graph
    from auditor.render.report import render_report
    from auditor.schema.audit import Audit
    from auditor.store.audit_file import (
        AuditDocument,
        load_audit,
        open_audit,
        save_audit,
        validate_file,
    )

_LAZY = {
    "analyse": "auditor.analysis.assess",
    "assess": "auditor.analysis.assess",
    "build_graph": "auditor.graph.build",
    "load_catalogue": "auditor.catalogue",
    "Audit": "auditor.schema.audit",
    "AuditorError": "auditor.errors",
    "AuditDocument": "auditor.store.audit_file",
    "load_audit": "auditor.store.audit_file",
    "open_audit": "auditor.store.audit_file",
    "render_report": "auditor.render.report",
    "save_audit": "auditor.store.audit_file",
    "validate_file": "auditor.store.audit_file",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'auditor' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
