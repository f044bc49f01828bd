"""The Open Group ArchiMate Model Exchange File Format: read elements and relationships.

Accepts the 3.x namespace (``http://www.opengroup.org/xsd/archimate/3.0/``, also used by 3.1
and 3.2) and the 2.1 one (``http://www.opengroup.org/xsd/archimate``, element names in
``<label>``, ``UsedBy`` for serving). Views and diagrams are not read.

Untrusted input: the file size is bounded and any DOCTYPE or ENTITY declaration is refused
before parsing, so entity expansion ("billion laughs") and external entities cannot happen.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import ImportFileError
from auditor.ingest.records import Batch, MapOptions
from auditor.schema.audit import Audit

MAX_XML_BYTES = 50 * 1024 * 1024
EXCHANGE_NAMESPACE = "http://www.opengroup.org/xsd/archimate"
ARCHI_NAMESPACE = "http://www.archimatetool.com/archimate"
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
    properties: list[tuple[str, str]] = field(default_factory=list)  # (key, value), in order
    junction: str = ""  # Junctions: "and" or "or"


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
    views: int = 0  # diagrams, sketches and canvases: counted, never read

    def add_element(self, identifier: str, raw_type: str, name: str, documentation: str = "",
                    properties: list[tuple[str, str]] | None = None, junction: str = "") -> None:
        """Record one element, its text normalised and its type in the exchange format's words."""
        kind = normalise_type(raw_type)
        if kind == "Junction" and not junction:  # the exchange format says AndJunction/OrJunction
            junction = "or" if raw_type.rsplit(":", 1)[-1].startswith("Or") else "and"
        self.elements[identifier] = Element(
            identifier, kind, clean_name(name), clean_text(documentation),
            [(clean_name(k), clean_name(v)) for k, v in properties or () if clean_name(k)],
            junction)

    def add_relation(self, identifier: str, raw_type: str, source: str, target: str,
                     name: str = "", access_type: str | None = None) -> None:
        self.relations.append(Relation(identifier, normalise_type(raw_type), source, target,
                                       clean_name(name), access_type))


def clean_name(text: str | None) -> str:
    """One line of text as a person would type it: NFC, single spaces, no surrounding space."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def clean_text(text: str | None) -> str:
    """Multi-line text normalised so that the same model always gives the same value.

    Windows line endings (CRLF, lone CR) become LF, trailing spaces go, Unicode is NFC: a model
    exported on Windows and on a Mac imports the same, and re-importing it changes nothing.
    """
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def normalise_type(raw: str) -> str:
    """'archimate:ServingRelationship' / 'UsedBy' / 'Serving' -> 'Serving'."""
    name = raw.rsplit(":", 1)[-1].strip()
    if name.endswith("Relationship") and name != "Relationship":
        name = name[: -len("Relationship")]
    return _TYPE_ALIASES.get(name, name)


def read_model(path: Path) -> ArchiModel:
    """An exchange file, or Archi's own ``.archimate`` file (plain XML or a zip archive)."""
    from auditor.ingest.spreadsheet import check_size

    size = check_size(path)
    if size > MAX_XML_BYTES:
        raise ImportFileError(f"{path} is too large for a model file "
                              f"(limit {MAX_XML_BYTES // 1_000_000} MB)")
    data = path.read_bytes()
    if data.startswith(b"PK"):
        from auditor.ingest.archi_native import archive_xml

        data = archive_xml(data, str(path))
    return parse_model(data, str(path))


def parse_xml(data: bytes, name: str) -> ET.Element:
    """The root of an untrusted XML document; DOCTYPE and ENTITY declarations are refused."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ImportFileError(f"{name}: refusing an XML file with a DOCTYPE or ENTITY declaration",
                              hint="Files saved by modelling tools have none; "
                                   "save or export the model again.")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise ImportFileError(f"{name}:{line}:{column + 1}: not well-formed XML "
                              f"({str(exc).split(':')[0]})",
                              hint="Is this the saved model file, complete?") from None


def parse_model(data: bytes, name: str) -> ArchiModel:
    root = parse_xml(data, name)
    if root.tag.startswith("{"):
        namespace, _, local = root.tag[1:].partition("}")
    else:
        namespace, local = "", root.tag
    if namespace == ARCHI_NAMESPACE:  # Archi's own file, whatever its name
        from auditor.ingest.archi_native import parse_archi_root

        return parse_archi_root(root, name)
    if name.lower().endswith(".archimate") and not namespace.startswith(EXCHANGE_NAMESPACE):
        raise ImportFileError(f"{name} is not a model Archi can have saved "
                              f"({_describe(root.tag)})",
                              hint="Open it in Archi and save it again, or export it in The "
                                   "Open Group exchange format and import that.")
    if local != "model" or not namespace.startswith(EXCHANGE_NAMESPACE):
        raise ImportFileError(f"{name} is not an ArchiMate model exchange file "
                              f"({_describe(root.tag)})",
                              hint="Export the model in The Open Group exchange format "
                                   "(in Archi: File > Export > Model to Open Exchange File…).")
    ns = "{" + namespace + "}"
    model = ArchiModel(file=name, name=_text(root, ns))
    keys = _property_names(root, ns)
    elements = root.find(f"{ns}elements")
    for node in elements if elements is not None else ():
        if node.tag != f"{ns}element":
            continue
        identifier = node.get("identifier", "")
        raw_type = node.get(_XSI_TYPE, "")
        if not identifier or not raw_type:
            continue
        model.add_element(identifier, raw_type, _text(node, ns),
                          _text(node, ns, ("documentation",), collapse=False),
                          _properties(node, ns, keys))
    relations = root.find(f"{ns}relationships")
    for node in relations if relations is not None else ():
        if node.tag != f"{ns}relationship":
            continue
        model.add_relation(node.get("identifier", ""), node.get(_XSI_TYPE, ""),
                           node.get("source", ""), node.get("target", ""), _text(node, ns),
                           node.get("accessType"))
    views = root.find(f"{ns}views")
    diagrams = views.find(f"{ns}diagrams") if views is not None else None
    model.views = len(diagrams) if diagrams is not None else 0
    return model


def _property_names(root: ET.Element, ns: str) -> dict[str, str]:
    """Property definition id -> its name (3.x ``propertyDefinitions``, 2.1 ``propertydefs``)."""
    names: dict[str, str] = {}
    for tag in ("propertyDefinitions", "propertydefs"):
        container = root.find(f"{ns}{tag}")
        for node in container if container is not None else ():
            identifier = node.get("identifier", "")
            names[identifier] = node.get("name") or _text(node, ns)
    return names


def _properties(node: ET.Element, ns: str, keys: dict[str, str]) -> list[tuple[str, str]]:
    container = node.find(f"{ns}properties")
    out = []
    for prop in container if container is not None else ():
        ref = prop.get("propertyDefinitionRef") or prop.get("identifierref") or ""
        out.append((keys.get(ref, ""), _text(prop, ns, ("value",))))
    return out


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
    if "omg.org/spec/BPMN" in namespace:
        return "it is a BPMN model"
    if not namespace:
        return f"root element <{tag}> has no namespace"
    return f"root element {tag}"


def read_batch(path: Path, audit: Audit, options: MapOptions | None = None) -> Batch:
    from auditor.ingest.archi_map import model_batch

    return model_batch(read_model(path), audit, str(path), options)
