"""Reading YAML fast when only the data is needed: no comments, no positions.

The round-trip reader (``yaml_file.parse_yaml``, ruamel in pure Python) keeps comments and the
line of every value, which saving a file and locating a problem need; it reads about 200 KB a
second. A command that only reads a valid audit (gaps, score, graph, demo) needs the data
alone, and libyaml's C parser composes the same document twenty to thirty times faster.

The two readers must never disagree, so this one is deliberately narrow. Plain scalars are
resolved as the round-trip reader resolves them under YAML 1.2 for the forms audits and content
use: strings, decimal integers, decimals written with a point, true/false, null, ISO dates and
date-times. Any other form that YAML 1.2 would turn into something other than a string (``0x1F``,
``1e3``, ``+5``, ``1_000``…), an explicit tag, a merge key, a duplicate or non-text
key, a ``%`` directive, a line-break character libyaml reads differently, a parser error, or
libyaml missing: the answer is :data:`NOT_PLAIN`, and the caller uses the round-trip reader.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

from auditor.store.allocation import collector_paused
from auditor.store.yaml_file import MAX_NODES

try:  # libyaml's C parser; without it this reader would be slower than the round-trip one
    from yaml import YAMLError
    from yaml.cyaml import CParser
    from yaml.nodes import ScalarNode, SequenceNode
    from yaml.resolver import BaseResolver
except ImportError:  # pragma: no cover - PyYAML without libyaml
    CParser = None

__all__ = ["NOT_PLAIN", "load_data"]


class _NotPlain:
    def __repr__(self) -> str:
        return "NOT_PLAIN"


#: What ``load_data`` returns when the round-trip reader must decide.
NOT_PLAIN: Final = _NotPlain()

_PLAIN_TAG = "tag:auditor:plain"  # an untagged plain scalar, resolved here
_STR_TAG = "tag:yaml.org,2002:str"
_NON_SPECIFIC = "tag:auditor:non-specific"  # the '!' tag: left to the round-trip reader
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAX_DEPTH = 200  # deeper documents get the round-trip reader's error

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True,
          "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
                       r"(?:\.([0-9]{1,6}))?(Z|[-+][0-9]{2}:[0-9]{2})?")
# Everything else YAML 1.2 (as the round-trip reader applies it) reads as a non-string: these
# forms are left to that reader rather than imitated.
_OTHER_TYPED = re.compile(r"""
    [-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?[0-9_]+ | [-+]?0x[0-9a-fA-F_]+
  | [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
  | [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
  | [-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
  | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
  | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?
  | [0-9]{4}-[0-9]{2}-[0-9]{2} | << | =
""", re.X)
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks in YAML 1.1 (libyaml), not in 1.2
#: First characters of every plain scalar ``_resolve`` reads as something other than the text
#: itself (nulls, booleans, numbers, dates, the merge key): any other plain scalar is text.
_ASIDE = frozenset("~nNtTfF0123456789-+.<=")


class _Fallback(Exception):
    """The document uses something this reader leaves to the round-trip reader."""


if CParser is not None:
    class _Loader(CParser, BaseResolver):
        """libyaml composes; plain scalars keep a marker tag so they are resolved below."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            BaseResolver.__init__(self)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    return _PLAIN_TAG
                return _STR_TAG if implicit[1] else _NON_SPECIFIC
            return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


def load_data(text: str) -> Any:
    """The data of one YAML document as plain Python values, or :data:`NOT_PLAIN`."""
    if CParser is None or any(ch in text for ch in _ODD_BREAKS):
        return NOT_PLAIN
    if text.startswith("%") or "\n%" in text:
        return NOT_PLAIN
    loader = _Loader(text)
    try:
        with collector_paused():
            node = loader.get_single_node()
            if node is None:
                return NOT_PLAIN
            return _Builder().build(node, 0)
    except (_Fallback, YAMLError, ValueError, RecursionError):
        return NOT_PLAIN
    finally:
        loader.dispose()


class _Builder:
    """Plain values from composed nodes; an alias is expanded into a copy, as ``to_plain`` does.

    Most nodes of an audit are scalars inside lists and mappings, and most of those are plain
    text (names, ids): they are read in the loop of their parent, and a plain scalar whose
    first character cannot start a null, a boolean, a number or a date is taken as it is
    without a call (a large estate has close to a million nodes). The node budget and the
    depth limit are charged once per container for all of its children. Any node that breaks
    a rule makes the whole document NOT_PLAIN, so the order of the checks does not change the
    answer."""

    def __init__(self) -> None:
        self.budget = MAX_NODES

    def build(self, node: Any, depth: int) -> Any:
        if depth == 0:
            self.budget -= 1  # the root; every other node is charged by its parent
        if depth > _MAX_DEPTH or self.budget < 0:
            raise _Fallback  # the round-trip reader gives the error for these
        if node.__class__ is ScalarNode:
            return _scalar(node)
        inner = depth + 1
        children = node.value
        if node.__class__ is SequenceNode:
            if node.tag != _SEQ_TAG:
                raise _Fallback
            self.budget -= len(children)
            if children and (inner > _MAX_DEPTH or self.budget < 0):
                raise _Fallback
            items = []
            for item in children:
                if item.__class__ is ScalarNode:
                    if item.tag is _PLAIN_TAG and (text := item.value) and text[0] not in _ASIDE:
                        items.append(text)
                    else:
                        items.append(_scalar(item))
                else:
                    items.append(self.build(item, inner))
            return items
        if node.tag != _MAP_TAG:
            raise _Fallback
        self.budget -= 2 * len(children)
        if children and (inner > _MAX_DEPTH or self.budget < 0):
            raise _Fallback
        out: dict[str, Any] = {}
        for key_node, value_node in children:
            if key_node.__class__ is not ScalarNode:
                raise _Fallback
            if key_node.tag is _PLAIN_TAG and (key := key_node.value) and key[0] not in _ASIDE:
                text = key
            else:
                key = _scalar(key_node)
                text = key if isinstance(key, str) else str(key)
                if key_node.tag == _PLAIN_TAG and key_node.value == "<<":
                    raise _Fallback
            if text in out:
                raise _Fallback
            if value_node.__class__ is ScalarNode:
                if (value_node.tag is _PLAIN_TAG and (value := value_node.value)
                        and value[0] not in _ASIDE):
                    out[text] = value
                else:
                    out[text] = _scalar(value_node)
            else:
                out[text] = self.build(value_node, inner)
        return out


def _scalar(node: Any) -> Any:
    """A scalar node's value: plain ones resolved, quoted ones as written, tagged ones left to
    the round-trip reader."""
    if node.tag is _PLAIN_TAG:  # set by _Loader.resolve; an explicit tag is another object
        return _resolve(node.value)
    if node.tag == _STR_TAG and node.style is not None:
        return node.value
    raise _Fallback  # an explicit tag


def _resolve(value: str) -> Any:
    """A plain scalar's value, as YAML 1.2 reads it; _Fallback for the forms left alone."""
    if value in _NULLS:
        return None
    first = value[0]
    if first in "tTfF" and value in _BOOLS:
        return _BOOLS[value]
    if not (first.isdigit() or first in "-+.<="):
        return value
    if _INT.fullmatch(value):
        return int(value)
    if _DECIMAL.fullmatch(value):
        return float(value)
    if match := _DATE.fullmatch(value):
        return dt.date(*(int(part) for part in match.groups()))
    if match := _DATETIME.fullmatch(value):
        return _datetime(match)
    if _OTHER_TYPED.fullmatch(value):
        raise _Fallback
    return value


def _datetime(match: re.Match[str]) -> dt.datetime:
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    tz: dt.tzinfo | None = None
    if zone == "Z":
        tz = dt.timezone.utc
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        tz = dt.timezone(sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    stamp = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                        int((fraction or "0").ljust(6, "0")), tzinfo=tz)
    return dt.datetime.fromisoformat(stamp.isoformat())  # as the round-trip path normalises
