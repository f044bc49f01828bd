"""The Open Group ArchiMate Model Exchange File Format: read elements and relationships.

Accepts the 3.x namespace (``http://www.opengroup.org/xsd/archimate/3.0/``, also used by 3.1
and 3.2) and the 2.1 one (``http://www.opengroup.org/xsd/archimate``, element names in
``<label>``, ``UsedBy`` for serving). Views and diagrams are not read.

Untrusted input: the file size is bounded and any DOCTYPE or ENTITY declaration is refused
before parsing, so entity expansion ("billion laughs") and external entities cannot happen.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import ImportFileError
from auditor.ingest.records import Batch
from auditor.schema.audit import Audit

MAX_XML_BYTES = 50 * 1024 * 1024
EXCHANGE_NAMESPACE = "http://www.opengroup.org/xsd/archimate"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TYPE_ALIASES = {
    "UsedBy": "Serving",  # ArchiMate 2.x
    "Realisation": "Realization",
    "Specialisation": "Specialization",
    "AndJunction": "Junction",
    "OrJunction": "Junction",
}


@dataclass
class Element:
    identifier: str
    type: str
    name: str
    documentation: str = ""


@dataclass
class Relation:
    identifier: str
    type: str
    source: str
    target: str
    name: str = ""
    access_type: str | None = None  # Access relationships: Write, Read, Access, ReadWrite


@dataclass
class ArchiModel:
    """What the import needs from a model, whichever file format it came in."""

    file: str
    name: str = ""
    elements: dict[str, Element] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)


def normalise_type(raw: str) -> str:
    """'archimate:ServingRelationship' / 'UsedBy' / 'Serving' -> 'Serving'."""
    name = raw.rsplit(":", 1)[-1].strip()
    if name.endswith("Relationship") and name != "Relationship":
        name = name[: -len("Relationship")]
    return _TYPE_ALIASES.get(name, name)


def read_model(path: Path) -> ArchiModel:
    from auditor.ingest.spreadsheet import check_size

    size = check_size(path)
    if size > MAX_XML_BYTES:
        raise ImportFileError(f"{path} is too large for a model exchange file")
    return parse_model(path.read_bytes(), str(path))


def parse_model(data: bytes, name: str) -> ArchiModel:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ImportFileError(f"{name}: refusing an XML file with a DOCTYPE or ENTITY declaration",
                              hint="Exchange files from modelling tools have none; "
                                   "export the model again.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise ImportFileError(f"{name}:{line}:{column + 1}: not well-formed XML "
                              f"({str(exc).split(':')[0]})",
                              hint="Is this the exported model file, complete?") from None
    if root.tag.startswith("{"):
        namespace, _, local = root.tag[1:].partition("}")
    else:
        namespace, local = "", root.tag
    if local != "model" or not namespace.startswith(EXCHANGE_NAMESPACE):
        raise ImportFileError(f"{name} is not an ArchiMate model exchange file "
                              f"({_describe(root.tag)})",
                              hint="Export the model in The Open Group exchange format "
                                   "(in Archi: File > Export > Model to Open Exchange File…).")
    ns = "{" + namespace + "}"
    model = ArchiModel(file=name, name=_text(root, ns))
    elements = root.find(f"{ns}elements")
    for node in elements if elements is not None else ():
        if node.tag != f"{ns}element":
            continue
        identifier = node.get("identifier", "")
        raw_type = node.get(_XSI_TYPE, "")
        if not identifier or not raw_type:
            continue
        model.elements[identifier] = Element(identifier, normalise_type(raw_type), _text(node, ns),
                                             _text(node, ns, ("documentation",), collapse=False))
    relations = root.find(f"{ns}relationships")
    for node in relations if relations is not None else ():
        if node.tag != f"{ns}relationship":
            continue
        model.relations.append(Relation(
            identifier=node.get("identifier", ""), type=normalise_type(node.get(_XSI_TYPE, "")),
            source=node.get("source", ""), target=node.get("target", ""), name=_text(node, ns),
            access_type=node.get("accessType")))
    return model


def _text(node: ET.Element, ns: str, tags: tuple[str, ...] = ("name", "label"),
          collapse: bool = True) -> str:
    """The English (or unmarked, or first) text of a multilingual child such as <name>."""
    candidates = [child for tag in tags for child in node.findall(f"{ns}{tag}")]
    if not candidates:
        return ""
    preferred = next((c for c in candidates if (c.get(_XML_LANG) or "en").lower().startswith("en")),
                     candidates[0])
    text = preferred.text or ""
    return " ".join(text.split()) if collapse else text.strip()


def _describe(tag: str) -> str:
    namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    if "archimatetool.com" in namespace:
        return "it is Archi's own model file"
    if "omg.org/spec/BPMN" in namespace:
        return "it is a BPMN model"
    if not namespace:
        return f"root element <{tag}> has no namespace"
    return f"root element {tag}"


def read_batch(path: Path, audit: Audit) -> Batch:
    from auditor.ingest.archi_map import model_batch

    return model_batch(read_model(path), audit, str(path))
