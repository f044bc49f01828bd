"""How long importing a large ArchiMate model takes: 2,000 elements in Archi's own format.

Prints figures; asserts nothing. Run with:  .venv/bin/python benchmarks/import_model.py [ELEMENTS]
The model is synthetic but shaped like the real ones tried while writing the importer: half
of the elements are types the audit does not map, components repeat names, flows are named
and some pass through junctions, components carry properties. Stages: reading and mapping
the model, merging and validating it into a new audit, saving the audit file, and the same
model imported again (nothing changes, nothing is written).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import quoteattr

from auditor.ingest.archimate import read_model
from auditor.ingest.importer import import_file
from auditor.store.audit_file import open_audit, save_audit
from auditor.store.new_audit import create_audit

_WORDS = ("CRM", "Portal", "Billing", "Data warehouse", "Ticketing", "Webshop", "Gateway",
          "Scheduler", "Archive", "Payments")


def synthetic(elements: int) -> str:
    """An .archimate document with ``elements`` elements and about 1.5 relationships each."""
    components = elements // 4
    data = elements // 10
    actors = elements // 10
    others = elements - components - data - actors - elements // 50
    junctions = elements // 50
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<archimate:model xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xmlns:archimate="http://www.archimatetool.com/archimate" name="Benchmark" '
           'id="m" version="5.0.0">', '<folder name="All" id="f" type="application">']

    def element(kind: str, ident: str, name: str, inner: str = "") -> None:
        out.append(f'<element xsi:type="archimate:{kind}" name={quoteattr(name)} id="{ident}">'
                   f"{inner}</element>")

    for i in range(components):
        props = ('<property key="Owner" value="Team {0}"/><property key="Lifecycle" '
                 'value="Invest"/><property key="Cost centre" value="CC{0}"/>').format(i % 40)
        element("ApplicationComponent", f"c{i}", f"{_WORDS[i % 10]} {i % (components // 2)}",
                f"<documentation>Component {i}\r\nsecond line</documentation>{props}")
    for i in range(data):
        element("DataObject", f"d{i}", f"Data object {i}")
    for i in range(actors):
        element("BusinessActor" if i % 2 else "BusinessRole", f"a{i}",
                ("Customer segment " if i % 3 == 0 else "Service team ") + str(i))
    for i in range(junctions):
        out.append(f'<element xsi:type="archimate:Junction" id="j{i}"/>')
    for i in range(others):
        element("BusinessProcess", f"p{i}", f"Process {i}")
    rel = 0

    def relation(kind: str, source: str, target: str, name: str = "", extra: str = "") -> None:
        nonlocal rel
        rel += 1
        out.append(f'<element xsi:type="archimate:{kind}Relationship" id="r{rel}" '
                   f'source="{source}" target="{target}" name={quoteattr(name)}{extra}/>')

    for i in range(components):
        relation("Flow", f"c{i}", f"c{(i + 1) % components}", f"Data object {i % data}")
        relation("Serving", f"c{i}", f"c{(i + 7) % components}")
        relation("Access", f"c{i}", f"d{i % data}")
        relation("Access", f"c{(i + 3) % components}", f"d{i % data}", extra=' accessType="1"')
    for i in range(junctions):
        relation("Triggering", f"c{i}", f"j{i}", "Event")
        relation("Triggering", f"j{i}", f"c{(i + 11) % components}")
        relation("Triggering", f"j{i}", f"c{(i + 13) % components}")
    for i in range(others // 2):
        relation("Assignment", f"a{i % actors}", f"p{i}")
    out += ["</folder>", "</archimate:model>"]
    return "\n".join(out)


def main(elements: int = 2000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "bench.archimate"
        model.write_text(synthetic(elements), encoding="utf-8")
        target = Path(folder) / "bench.audit.yaml"
        create_audit(target, "Benchmark")
        started = time.perf_counter()
        parsed = read_model(model)
        read = time.perf_counter()
        doc = open_audit(target)
        result = import_file(model, doc.audit)
        imported = time.perf_counter()
        doc.audit = result.audit
        save_audit(doc)
        saved = time.perf_counter()
        reopened = open_audit(target).audit
        opened = time.perf_counter()
        again = import_file(model, reopened)
        reimported = time.perf_counter()
        added = sum(c.added for c in result.changes.values())
        print(f"model elements       {len(parsed.elements):>8}")
        print(f"model relationships  {len(parsed.relations):>8}")
        print(f"items added          {added:>8}")
        print(f"read the model       {read - started:>8.2f} s")
        print(f"read+map+merge       {imported - read:>8.2f} s")
        print(f"save audit file      {saved - imported:>8.2f} s")
        print(f"import total         {saved - read:>8.2f} s")
        print(f"open the saved audit {opened - saved:>8.2f} s")
        print(f"re-import            {reimported - opened:>8.2f} s  (changed: "
              f"{str(again.changed).lower()})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
