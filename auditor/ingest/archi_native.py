"""Archi's own formats: the ``.archimate`` file (plain or zipped) and a coArchi model folder.

- ``.archimate``: one XML document, root ``archimate:model`` in the namespace
  ``http://www.archimatetool.com/archimate``. Folders nest; every concept is an ``<element
  xsi:type="archimate:BusinessActor" id=… name=…>`` with ``<documentation>`` and
  ``<property key=… value=…/>`` children; relationships are elements too, with ``source`` and
  ``target`` attributes. Archi 4 saves a model holding images as a zip archive (``model.xml``
  plus ``images/``); Archi 5 keeps one XML file and stores images in it as base64 features.
- coArchi 2 keeps the plain ``model.archimate`` at the root of its git repository; the
  importer reads that file when given the folder.
- coArchi 1 (the collaboration plug-in) keeps a model in a git repository: ``model/folder.xml``
  is the model, each folder has a ``folder.xml``, and each concept is a file named
  ``ApplicationComponent_<id>.xml`` whose root element is the concept. There, documentation is
  an attribute, properties are ``<properties key=… value=…/>`` and a relationship's ends are
  ``<source href="File.xml#id"/>`` children.

Views of every kind (ArchiMate views, sketches, canvases) are counted and never read, so a
sketch or canvas Archi does not export never stops an import. The same mapping as the
exchange format applies afterwards.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from auditor.errors import ImportFileError
from auditor.ingest.archimate import ARCHI_NAMESPACE, MAX_XML_BYTES, ArchiModel, parse_xml

_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_NS = "{" + ARCHI_NAMESPACE + "}"
#: Archi stores the Access relationship's kind as a number; absent means Write (the default).
_ACCESS = {"0": "Write", "1": "Read", "2": "Access", "3": "ReadWrite"}
_VIEW_TYPES = ("DiagramModel", "SketchModel", "CanvasModel")
MAX_COARCHI_FILES = 200_000


def is_view(raw_type: str) -> bool:
    local = raw_type.rsplit(":", 1)[-1]
    return local.endswith(_VIEW_TYPES) or raw_type.startswith("canvas:")


def archive_xml(data: bytes, name: str) -> bytes:
    """The model XML inside an Archi 4 archive (a zip holding ``model.xml`` and images)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFileError(f"{name} looks like a zip archive but cannot be opened",
                              hint="Open the model in Archi, save it again, and import that."
                              ) from None
    with archive:
        entries = [i for i in archive.infolist() if i.filename.lower().endswith(".xml")]
        chosen = next((i for i in entries if i.filename == "model.xml"), None)
        if chosen is None and len(entries) == 1:
            chosen = entries[0]
        if chosen is None:
            raise ImportFileError(f"{name} is a zip archive without a model.xml",
                                  hint="Archi's archived models hold model.xml; is this one?")
        if chosen.file_size > MAX_XML_BYTES:
            raise ImportFileError(f"{name}: the model inside the archive is too large "
                                  f"({chosen.file_size // 1_000_000} MB unpacked)")
        return archive.read(chosen)


def parse_archi_root(root: ET.Element, name: str) -> ArchiModel:
    """A ``.archimate`` document, already parsed, as the import's model."""
    if root.tag != f"{_NS}model":
        raise ImportFileError(f"{name}: an Archi file whose root is <{root.tag.split('}')[-1]}>, "
                              "not a model",
                              hint="Import the .archimate model file, or a coArchi model folder.")
    model = ArchiModel(file=name, name=root.get("name", ""))
    for node in root.iter("element"):
        raw_type = node.get(_XSI_TYPE, "")
        identifier = node.get("id", "")
        if not raw_type or not identifier:
            continue
        if is_view(raw_type):
            model.views += 1
        elif raw_type.endswith("Relationship"):
            model.add_relation(identifier, raw_type, node.get("source", ""),
                               node.get("target", ""), node.get("name", ""),
                               _ACCESS.get(node.get("accessType", "0"), "Write"))
        else:
            _add_element(model, node, identifier, raw_type)
    return model


def _add_element(model: ArchiModel, node: ET.Element, identifier: str, raw_type: str) -> None:
    documentation = node.get("documentation")
    if documentation is None:
        child = node.find("documentation")
        documentation = child.text if child is not None else ""
    properties = [(p.get("key", ""), p.get("value", ""))
                  for p in node if p.tag in ("property", "properties")]
    junction = "or" if node.get("type") == "or" else "and"
    model.add_element(identifier, raw_type, node.get("name", ""), documentation or "",
                      properties, junction if raw_type.endswith("Junction") else "")


# --- coArchi -------------------------------------------------------------------------------
def coarchi_root(path: Path) -> Path | None:
    """The ``model`` folder of a coArchi repository at ``path`` (the repository or the folder)."""
    for candidate in (path / "model", path):
        marker = candidate / "folder.xml"
        if marker.is_file():
            with marker.open("rb") as handle:
                head = handle.read(400)
            if b"ArchimateModel" in head:
                return candidate
    return None


def read_coarchi(folder: Path, shown: str) -> ArchiModel:
    """Every concept file under a coArchi ``model`` folder, as one model."""
    from auditor.ingest.spreadsheet import check_size

    model = ArchiModel(file=shown)
    files = sorted(p for p in folder.rglob("*.xml") if p.is_file())
    if len(files) > MAX_COARCHI_FILES:
        raise ImportFileError(f"{shown} holds {len(files)} files; the limit is "
                              f"{MAX_COARCHI_FILES}")
    total = 0
    for path in files:
        total += check_size(path)
        if total > 4 * MAX_XML_BYTES:
            raise ImportFileError(f"{shown} is too large to import (over "
                                  f"{4 * MAX_XML_BYTES // 1_000_000} MB of model files)")
        where = str(path.relative_to(folder.parent))
        root = parse_xml(path.read_bytes(), where)
        _coarchi_concept(model, root, where)
    return model


def _coarchi_concept(model: ArchiModel, root: ET.Element, where: str) -> None:
    if root.tag.startswith("{" + ARCHI_NAMESPACE + "/"):  # canvas and other plug-in views
        model.views += 1
        return
    if not root.tag.startswith(_NS):
        raise ImportFileError(f"{where}: not an Archi model file (root <{root.tag}>)",
                              hint="Only coArchi's files belong in the model folder.")
    local = root.tag[len(_NS):]
    identifier = root.get("id", "")
    if local == "ArchimateModel":
        model.name = root.get("name", "")
    elif local == "Folder" or not identifier:
        return
    elif is_view(local):
        model.views += 1
    elif local.endswith("Relationship"):
        model.add_relation(identifier, local, _end(root, "source"), _end(root, "target"),
                           root.get("name", ""),
                           _ACCESS.get(root.get("accessType", "0"), "Write"))
    else:
        _add_element(model, root, identifier, local)


def _end(root: ET.Element, which: str) -> str:
    """A relationship end: an attribute, or a child ``<source href="File.xml#id"/>``."""
    value = root.get(which)
    if value:
        return value
    child = root.find(which)
    href = child.get("href", "") if child is not None else ""
    return href.rpartition("#")[2]
