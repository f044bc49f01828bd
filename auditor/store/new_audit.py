"""A fresh audit file, commented so a consultant can start editing it by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from auditor.content import content_path
from auditor.errors import AuditFileError
from auditor.store.audit_file import AuditDocument, save_audit, validate_text
from auditor.store.yaml_file import dump_text, parse_yaml, read_text


def create_audit(path: Path, client: str, *, consultant: str | None = None,
                 overwrite: bool = False, today: dt.date | None = None) -> AuditDocument:
    """Write a new, valid audit for ``client`` at ``path``; never clobbers a file unasked."""
    client = client.strip()
    if not client:
        raise AuditFileError("the client name is empty", hint='Example: auditor new "Acme Retail" -o acme.audit.yaml')
    if path.exists() and not overwrite:
        raise AuditFileError(f"{path} already exists", hint="Choose another name, or pass --force "
                             "to replace it (the old file is kept as .bak).")
    template = content_path("examples/new.audit.yaml")
    text, _ = read_text(template)
    raw = parse_yaml(text, str(template))
    raw["client"]["name"] = client
    raw["engagement"]["started"] = today or dt.date.today()
    if consultant:
        raw["engagement"]["consultant"] = consultant
    # The schema modeline points at a file next to the audit only if the user exports it;
    # keep the template's comment as documentation of how to enable it.
    report = validate_text(dump_text(raw), path)
    if not report.ok or report.audit is None:  # the packaged template itself is broken
        raise AuditFileError("the new-audit template is not valid", problems=report.problems)
    doc = AuditDocument(path, report.audit, report.raw, loaded_digest=None)
    save_audit(doc)
    return doc
