"""How ``--help`` names values: like a manual, at 80 columns.

Typer labels every parameter with its Python type (``<bool>``, ``<str>``, ``<path>``), wraps
arguments in braces in the usage line (``{AUDIT}``) and prints the choices of an enumerated
option as one long token that rich breaks mid-word in a narrow column. These adjustments,
applied once when the CLI is imported, give:

- flags no value label at all (``--json``), other options a word (``TEXT``, ``NUMBER``,
  ``PATH``, ``DATE``) unless they name their own metavar;
- arguments their upper-case name only (``auditor gaps [OPTIONS] AUDIT``);
- enumerated options their name as label, and "One of: a, b, c." in the help text, which
  wraps between whole words.

Only typer's display hooks are replaced; parsing is untouched. typer.core is imported by
typer itself, so this costs nothing at start-up.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperOption

_WORDS = {"int": "NUMBER", "float": "NUMBER", "str": "TEXT", "date": "DATE",
          "datetime": "DATE"}


def _choices(param: Any) -> list[str]:
    return [str(getattr(c, "value", c)) for c in (param.type_descriptor.choices or ())]


def _option_label(self: TyperOption, ctx: Any) -> str | None:
    if self.metavar is not None:
        return self.metavar
    if self.is_flag or self.count or self.is_bool_flag:
        return None
    desc = self.type_descriptor
    if desc.is_choice:
        return (self.name or "value").upper().replace("_", "-")
    if desc.is_path:
        return "PATH"
    if desc.is_datetime:
        return "DATE"
    bare = self.bare_type() if not desc.is_list else self._bare_type(_item_type(desc))
    return _WORDS.get(bare, "TEXT")


def _item_type(desc: Any) -> Any:
    args = getattr(desc.annotation, "__args__", None)
    return args[0] if args else str


def _argument_name(self: TyperArgument) -> str:
    name = (self.metavar or self.name or "value").upper()
    return name if self.nargs == 1 else f"{name}..."


def _argument_usage(self: TyperArgument) -> str:
    name = _argument_name(self)
    return name if self.required else f"[{name}]"


def _no_range(self: Any) -> None:
    # '[x>=1]' under a label reads like code; the help text says what the limits are.
    return None


_original_option_init = TyperOption.__init__


def _option_init(self: TyperOption, *args: Any, **kwargs: Any) -> None:
    _original_option_init(self, *args, **kwargs)
    if self.type_descriptor.is_choice and self.metavar is None:
        listing = f"One of: {', '.join(_choices(self))}."
        self.help = f"{self.help.rstrip()} {listing}" if self.help else listing


def install() -> None:
    """Apply the help conventions (idempotent)."""
    if getattr(TyperOption, "_auditor_help_style", False):
        return
    TyperOption.__init__ = _option_init  # type: ignore[method-assign]
    TyperOption.display_type_rich = _option_label  # type: ignore[method-assign]
    TyperOption._get_number_range_help_str = _no_range  # type: ignore[method-assign]
    TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]
    TyperArgument._rich_display_name = _argument_name  # type: ignore[method-assign]
    TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
    TyperOption._auditor_help_style = True  # type: ignore[attr-defined]
