"""Question banks: the interview as data (``questionnaires/*.yaml``).

A bank holds sections; a section holds questions. Every question has a type that decides how
it is asked and how its answer is stored in the audit file:

- ``rubric``: one level 0–4, stored as an int; each level has a label and a description.
- ``choice``: one option, stored as the option's ``value`` string.
- ``multi``: several options, stored as a list of ``value`` strings.
- ``number`` / ``percent``: stored as int or float (percent 0–100).
- ``text``: stored as a string.
- ``inventory``: a capture loop over one inventory (or vision) list; the answer stores the ids
  of the items the respondent confirmed.
- ``target``: the level (0–4) the client aims for in one blueprint ``component``, chosen from
  the stages of ``blueprints/scoring.yaml``; stored in the audit's ``targets``, not its answers.

Each question names its ``audience`` (executive, practitioner, it): ``auditor interview
--audience executive`` asks only the executives' questions, and ``minutes`` (an estimate, with
a default per type) tells how long a path takes.

Banks are validated on load (``auditor.catalogue.banks``), so a consultant's own bank gets the
same file:line errors as the built-in ones.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from auditor.schema.audit import Audience, ComponentId, QuestionId

QuestionType = Literal[
    "rubric", "choice", "multi", "number", "percent", "text", "inventory", "target"]
QUESTION_TYPES: tuple[str, ...] = QuestionType.__args__  # type: ignore[attr-defined]

#: Lists a capture loop can fill: inventory lists plus the vision's segments and needs.
Collection = Literal[
    "systems", "channels", "touchpoints", "flows", "data", "journeys", "teams", "skills",
    "metrics", "policies", "capabilities", "segments", "needs",
]
VISION_COLLECTIONS = ("segments", "needs")

#: What an answer feeds: the score, a gap rule, an inventory field, the vision, a component's
#: target level or the report.
_FEED = re.compile(
    r"^(score|report|rule:[A-Z]{3}-[0-9]{2}|inventory:[a-z_]+(\.[a-z_]+)?|vision:[a-z_]+(\.[a-z_]+)?"
    r"|targets:[a-z]+)$"
)


#: Minutes a question usually takes in a workshop, by type, when the bank does not say.
DEFAULT_MINUTES: dict[str, float] = {
    "rubric": 1.0, "choice": 0.75, "multi": 1.0, "number": 1.0, "percent": 0.75, "text": 2.0,
    "inventory": 5.0, "target": 0.5,
}


class BankModel(BaseModel):
    # Built on first validation, not at import: a run that finds the compiled catalogue in
    # the cache (auditor.catalogue.compiled) unpickles content and never validates it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class RubricLevel(BankModel):
    level: int = Field(ge=0, le=4)
    label: str = Field(min_length=1, max_length=60, description="A few words, e.g. 'Ad hoc'.")
    description: str = Field(min_length=1, max_length=300,
                             description="What this level looks like at the client.")


class Option(BankModel):
    value: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Stored in the audit file.")
    label: str = Field(min_length=1, max_length=120, description="Shown to the respondent.")
    exclusive: bool = Field(default=False,
                            description="Cannot be combined with other options (e.g. 'none').")


class Condition(BankModel):
    """A test on this respondent's answer to another question; all conditions must hold.

    Exactly one test is given. A question that is unanswered or not applicable fails every test
    except ``answered: false``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    question: QuestionId
    answered: bool | None = None
    equals: int | float | str | None = None
    one_of: list[int | float | str] | None = Field(default=None, alias="in")
    includes: str | None = Field(default=None, description="A multi-choice answer contains it.")
    excludes: str | None = None
    at_least: float | None = None
    at_most: float | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [n for n in ("answered", "equals", "one_of", "includes", "excludes", "at_least",
                             "at_most") if getattr(self, n) is not None]
        if len(tests) != 1:
            raise ValueError("a condition needs exactly one of: answered, equals, in, includes, "
                             f"excludes, at_least, at_most (got {', '.join(tests) or 'none'})")
        return self

    def holds(self, value: Any, answered: bool) -> bool:
        """Whether the test passes for an answer ``value`` (``answered`` False if missing/n.a.)."""
        if self.answered is not None:
            return answered == self.answered
        if not answered:
            return False
        if self.equals is not None:
            return bool(value == self.equals)
        if self.one_of is not None:
            return value in self.one_of
        if self.includes is not None:
            return isinstance(value, list) and self.includes in value
        if self.excludes is not None:
            return isinstance(value, list) and self.excludes not in value
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        if self.at_least is not None:
            return value >= self.at_least
        return self.at_most is not None and value <= self.at_most


class ItemField(BankModel):
    """One field asked for each item of a capture loop (its type comes from the audit model)."""

    field: str = Field(pattern=r"^[a-z_]+$", description="Audit model field, e.g. 'roles'.")
    text: str = Field(min_length=1, max_length=200)
    help: str | None = None


class Question(BankModel):
    id: QuestionId
    text: str = Field(min_length=1, max_length=300)
    short: str | None = Field(default=None, min_length=1, max_length=80, description=(
        "A few words naming the question inside a sentence a person reads, in place of its id "
        "('conversations carrying over between channels'); its text when not given."))
    type: QuestionType
    help: str | None = Field(default=None, description="Why the question matters.")
    evidence: str | None = Field(default=None, description="What evidence to ask for.")
    feeds: list[str] = Field(default_factory=list,
                             description="'score', 'rule:PER-01', 'inventory:systems.roles', …")
    when: list[Condition] = Field(default_factory=list, description="Ask only if all hold.")
    levels: list[RubricLevel] = Field(default_factory=list, description="rubric: levels 0–4.")
    options: list[Option] = Field(default_factory=list, description="choice and multi.")
    unit: str | None = Field(default=None, description="number: e.g. 'interactions a year'.")
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = Field(default=False, description="number: whole numbers only.")
    collection: Collection | None = Field(default=None, description="inventory: the list to fill.")
    item: str | None = Field(default=None, description="inventory: one item, e.g. 'system'.")
    fields: list[ItemField] = Field(default_factory=list, description="inventory: fields to ask.")
    component: ComponentId | None = Field(default=None, description="target: the component.")
    audience: list[Audience] = Field(default_factory=list, description=(
        "Who it is written for: executive, practitioner, it (empty: everyone)."))
    minutes: float | None = Field(default=None, gt=0, le=60, description=(
        "Minutes it usually takes in a workshop; a default per type when not given."))

    @field_validator("feeds")
    @classmethod
    def _feeds(cls, feeds: list[str]) -> list[str]:
        for feed in feeds:
            if not _FEED.match(feed):
                raise ValueError(f"'{feed}' is not a feed: use score, report, rule:PER-01, "
                                 "inventory:systems or inventory:systems.roles, vision:segments, "
                                 "targets:person")
        return feeds

    @model_validator(mode="after")
    def _shape(self) -> Question:
        t = self.type
        if (t == "target") != (self.component is not None):
            raise ValueError("a target question needs 'component', and only target questions have one")
        if self.minutes is None:
            object.__setattr__(self, "minutes", DEFAULT_MINUTES[t])
        if t == "rubric":
            if sorted(level.level for level in self.levels) != [0, 1, 2, 3, 4]:
                raise ValueError("a rubric question needs exactly the levels 0, 1, 2, 3 and 4")
            object.__setattr__(self, "levels", sorted(self.levels, key=lambda lv: lv.level))
        elif self.levels:
            raise ValueError(f"only rubric questions have levels (this one is '{t}')")
        if t in ("choice", "multi"):
            if len(self.options) < 2:
                raise ValueError(f"a {t} question needs at least two options")
            values = [o.value for o in self.options]
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise ValueError(f"duplicate option value(s): {', '.join(dupes)}")
        elif self.options:
            raise ValueError(f"only choice and multi questions have options (this one is '{t}')")
        if t == "inventory":
            if self.collection is None:
                raise ValueError("an inventory question needs 'collection' (e.g. systems)")
        elif self.collection or self.fields:
            raise ValueError("only inventory questions have 'collection' and 'fields'")
        if t == "percent":
            lo = 0.0 if self.minimum is None else self.minimum
            hi = 100.0 if self.maximum is None else self.maximum
            object.__setattr__(self, "minimum", lo)
            object.__setattr__(self, "maximum", hi)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum is larger than maximum")
        return self

    def for_audience(self, audience: str) -> bool:
        """Whether ``audience`` is among the people this question is written for."""
        return not self.audience or audience in self.audience

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def level(self, value: int) -> RubricLevel | None:
        return next((lv for lv in self.levels if lv.level == value), None)

    @property
    def rules(self) -> list[str]:
        """Gap rule ids this question feeds, e.g. ['PER-01']."""
        return [f.split(":", 1)[1] for f in self.feeds if f.startswith("rule:")]


class Section(BankModel):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=1, max_length=120)
    intro: str | None = None
    question: str | None = Field(default=None,
                                 description="The audit question this section breaks down, e.g. 'Q1'.")
    questions: list[Question] = Field(min_length=1)


class QuestionBank(BankModel):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=1, max_length=120)
    description: str | None = None
    order: int = Field(default=100, description="Banks run in this order (then by id).")
    sections: list[Section] = Field(min_length=1)

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]
