"""The sheet and column layout of an inventory workbook, derived from the audit's models.

One sheet per inventory or vision list (``systems``, ``channels`` … ``needs``), plus one sheet
per nested list (a journey's ``stages``, a data entity's ``attributes``, a team's skill
holdings in ``team-skills``) with a column naming the parent. Column headers are the YAML
field names, so a field added to a model appears in the workbook without touching this file.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from auditor.schema import audit as schema

Shape = Literal["text", "int", "bool", "date", "enum", "list", "enum-list"]

#: (section, list field, model) for each top-level sheet, in workbook order.
_TOP: tuple[tuple[str, str, type[BaseModel], str], ...] = (
    ("inventory", "systems", schema.System,
     "Applications and platforms: CRM, marketing automation, service desk, shop, ERP …"),
    ("inventory", "channels", schema.Channel,
     "Ways customers reach the client and back: web, email, phone, stores …"),
    ("inventory", "touchpoints", schema.Touchpoint,
     "Concrete moments of contact: a newsletter, a checkout, a support chat …"),
    ("inventory", "flows", schema.Flow,
     "Data moving from one system to another: which data, how, how often."),
    ("inventory", "data", schema.DataEntity,
     "Data entities of the Person model and beyond: customer, consent, order, case …"),
    ("inventory", "journeys", schema.Journey,
     "Customer journeys or lifecycles; their stages go in the 'stages' sheet."),
    ("inventory", "teams", schema.Team,
     "Teams, roles and agencies; their skills go in the 'team-skills' sheet."),
    ("inventory", "skills", schema.Skill, "Skills the ecosystem needs."),
    ("inventory", "metrics", schema.Metric, "Customer-focused metrics in use."),
    ("inventory", "policies", schema.Policy,
     "Engagement rules: what data triggers them, what they do, which system runs them."),
    ("inventory", "capabilities", schema.Capability,
     "Capabilities the systems provide: segmentation, identity resolution …"),
    ("vision", "segments", schema.Segment,
     "Customer segments and communities the client wants to serve."),
    ("vision", "needs", schema.Need, "What a segment needs, and through which capabilities."),
)

#: Nested lists get their own sheet: (parent list, field) -> (sheet name, parent column).
_CHILD_SHEETS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("data", "attributes"): ("attributes", "data",
                             "Attributes of data entities, one row each (e.g. email on customer)."),
    ("journeys", "stages"): ("stages", "journey",
                             "Stages of each journey, one row each, in order."),
    ("teams", "skills"): ("team-skills", "team",
                          "Which team holds which skill, at what level, with how many people."),
}

#: Fields shared by every item: shown after the item's own fields.
_COMMON_LAST = ("description", "status", "origin", "to_confirm")

#: Help for fields whose model gives no description.
_HELP: dict[str, str] = {
    "id": "Stable id: lower-case words joined by '-', e.g. 'crm-sales'. "
          "Leave empty to derive it from the name.",
    "name": "The name the client uses.",
    "description": "Free text.",
    "vendor": "Who sells it, e.g. Salesforce.",
    "product": "The product or edition, e.g. Sales Cloud.",
    "lifecycle": "TIME portfolio decision.",
    "kind": "What sort of item this is.",
    "style": "broadcast (we talk), one-way-in (they tell us), two-way, participation.",
    "purpose": "Why the touchpoint exists.",
    "channel": "Id of a channel (channels sheet).",
    "stage": "Id of a journey stage (stages sheet).",
    "target": "Id of the system that receives the data.",
    "data": "Ids of data entities (data sheet).",
    "mode": "How the data moves.",
    "frequency": "How often it moves.",
    "cim": "Cloud Information Model class, e.g. Individual, ContactPointEmail.",
    "scope": "What part of the relationship the journey covers.",
    "owner": "Id of the team that owns it (teams sheet).",
    "department": "The department the team belongs to.",
    "executive": "TRUE for an executive or the board.",
    "external": "TRUE for an agency or partner outside the client.",
    "type": "What the metric measures.",
    "formula": "How it is computed.",
    "action": "What the rule does.",
    "window_days": "How many days the rule lasts.",
    "max_latency": "How fresh the data must be.",
    "segment": "Id of a segment (segments sheet).",
    "size": "How many people.",
    "defined_by": "How membership is decided.",
    "skill": "Id of a skill (skills sheet).",
}
_FLOW_HELP = {
    "source": "Id of the system the data comes from.",
    "name": "Optional label; flows are named by their ends.",
}
_TARGET_HELP = {"policies": "What the rule acts on."}


@dataclass(frozen=True)
class Column:
    header: str  # the YAML field name (pydantic alias or name)
    shape: Shape
    choices: tuple[str, ...] = ()
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    help: str = ""

    @property
    def is_list(self) -> bool:
        return self.shape in ("list", "enum-list")

    @property
    def is_enum(self) -> bool:
        return self.shape in ("enum", "enum-list")


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook (one CSV file): the rows of one list of the audit."""

    name: str
    section: str  # "inventory" or "vision"
    key: str  # the list in that section; for a child sheet, the parent's list
    model: type[BaseModel]
    columns: tuple[Column, ...]
    help: str = ""
    parent: str | None = None  # child sheets: the parent sheet's name
    parent_column: str | None = None  # child sheets: the column holding the parent's id
    child_field: str | None = None  # child sheets: the parent's field holding the list
    key_field: str = "id"  # what identifies a row within its list
    column_index: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def column(self, header: str) -> Column | None:
        return self.column_index.get(header)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.header for c in self.columns if c.required]

    @property
    def label(self) -> str:
        """Singular noun for messages: 'system', 'data entity', 'stage'."""
        return _SINGULAR.get(self.name, self.name.rstrip("s"))


_SINGULAR = {"data": "data entity", "capabilities": "capability", "policies": "policy",
             "team-skills": "team skill", "attributes": "attribute"}


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """X | None -> (X, True); Annotated[X, …] -> X."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is typing.Union or origin is types.UnionType:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return annotation, optional
            annotation = args[0]
        else:
            return annotation, optional


def _scalar_shape(annotation: Any) -> tuple[Shape, tuple[str, ...]]:
    annotation, _ = _unwrap(annotation)
    if typing.get_origin(annotation) is Literal:
        return "enum", tuple(str(a) for a in typing.get_args(annotation))
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return "int", ()
    if annotation is date:
        return "date", ()
    return "text", ()


def _bounds(info: FieldInfo) -> tuple[int | None, int | None]:
    low = high = None
    for meta in info.metadata:
        if isinstance(meta, annotated_types.Ge):
            low = int(meta.ge)  # type: ignore[call-overload]
        elif isinstance(meta, annotated_types.Le):
            high = int(meta.le)  # type: ignore[call-overload]
    return low, high


def _column(name: str, info: FieldInfo, sheet: str) -> Column | None:
    """The column for one model field, or None for a nested list of models (a child sheet)."""
    header = info.alias or name
    annotation, _ = _unwrap(info.annotation)
    if typing.get_origin(annotation) is list:
        inner, _ = _unwrap(typing.get_args(annotation)[0])
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return None
        shape, choices = _scalar_shape(inner)
        shape = "enum-list" if shape == "enum" else "list"
    else:
        shape, choices = _scalar_shape(annotation)
    low, high = _bounds(info)
    required = info.is_required() and header != "id"
    help_text = info.description or ""
    if not help_text:
        help_text = (_FLOW_HELP.get(header) if sheet == "flows" else None) or \
            (_TARGET_HELP.get(sheet) if header == "target" else None) or _HELP.get(header, "")
    return Column(header, shape, choices, required, low, high, help_text)


def _ordered(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """id and name first, the model's own fields next, the fields every item shares last."""
    fields = list(model.model_fields.items())
    common = schema.Item.model_fields

    def is_common(name: str, info: FieldInfo) -> bool:
        return (issubclass(model, schema.Item) and name in _COMMON_LAST
                and info.annotation == common[name].annotation)

    first = [(n, f) for n, f in fields if n in ("id", "name")]
    own = [(n, f) for n, f in fields if n not in ("id", "name") and not is_common(n, f)]
    last = sorted(((n, f) for n, f in fields if n not in ("id", "name") and is_common(n, f)),
                  key=lambda nf: _COMMON_LAST.index(nf[0]))
    return first + own + last


def _make_sheet(**kwargs: Any) -> Sheet:
    sheet = Sheet(**kwargs)
    sheet.column_index.update({c.header: c for c in sheet.columns})
    return sheet


def _build() -> tuple[Sheet, ...]:
    sheets: list[Sheet] = []
    for section, key, model, help_text in _TOP:
        columns = []
        children = []
        for name, info in _ordered(model):
            column = _column(name, info, key)
            if column is None:
                children.append((name, info))
            else:
                columns.append(column)
        sheets.append(_make_sheet(name=key, section=section, key=key, model=model,
                                  columns=tuple(columns), help=help_text))
        for name, info in children:
            child_model, _ = _unwrap(typing.get_args(_unwrap(info.annotation)[0])[0])
            sheet_name, parent_column, child_help = _CHILD_SHEETS.get(
                (key, name), (f"{key}-{name}", "parent", f"{name} of {key}"))
            parent_col = Column(parent_column, "text", required=True,
                                help=f"Id of the parent in the '{key}' sheet.")
            child_columns = [c for n, f in _ordered(child_model)
                             if (c := _column(n, f, sheet_name)) is not None]
            has_id = "id" in child_model.model_fields
            key_field = "id" if has_id else next(
                c.header for c in child_columns if c.required)
            sheets.append(_make_sheet(
                name=sheet_name, section=section, key=key, model=child_model,
                columns=(parent_col, *child_columns), help=child_help, parent=key,
                parent_column=parent_column, child_field=info.alias or name, key_field=key_field))
    return tuple(sheets)


#: Every sheet, in workbook order (a child sheet right after its parent).
SHEETS: tuple[Sheet, ...] = _build()
SHEET_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}


def normalise_name(text: str) -> str:
    """'Team Skills' / 'team_skills' -> 'team-skills'; headers: 'Interactions per year' -> …"""
    return "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


def sheet_for(name: str) -> Sheet | None:
    """The sheet a workbook tab or CSV file name stands for, tolerant of case and separators."""
    return SHEET_BY_NAME.get(normalise_name(name))


def match_header(sheet: Sheet, header: str) -> Column | None:
    wanted = normalise_name(header)
    for column in sheet.columns:
        if normalise_name(column.header) == wanted:
            return column
    return None


def column_help(column: Column) -> str:
    """The comment shown on a header cell."""
    parts = []
    if column.required:
        parts.append("Required.")
    if column.help:
        parts.append(column.help)
    if column.is_enum:
        parts.append("One of: " + ", ".join(column.choices) + ".")
    if column.is_list:
        parts.append("Several values: separate them with ';'.")
    if column.shape == "bool":
        parts.append("TRUE or FALSE.")
    if column.shape == "int":
        if column.minimum is not None and column.maximum is not None:
            parts.append(f"A whole number from {column.minimum} to {column.maximum}.")
        elif column.minimum is not None:
            parts.append(f"A whole number, {column.minimum} or more.")
        else:
            parts.append("A whole number.")
    if column.shape == "date":
        parts.append("A date, YYYY-MM-DD.")
    return " ".join(parts)
