"""The fast data reader and the round-trip reader never disagree: where the fast one answers,
its answer is exactly the round-trip reader's (values and types); elsewhere it steps aside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.errors import AuditFileError
from auditor.store.audit_file import load_audit, open_audit
from auditor.store.yaml_data import NOT_PLAIN, load_data
from auditor.store.yaml_file import parse_yaml, to_plain, yaml_engine

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(p for folder in ("examples", "blueprints", "questionnaires", "tests")
               for p in (REPO / folder).rglob("*.yaml"))


def _typed(value: Any) -> Any:
    """The value with every scalar's type spelled out (True == 1 and 1.0 == 1 otherwise)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value, getattr(value, "tzinfo", None))


def _slow(text: str) -> Any:
    try:
        return to_plain(parse_yaml(text, "doc.yaml"))
    except AuditFileError:
        return AuditFileError


def _agree(text: str) -> None:
    fast = load_data(text)
    if fast is NOT_PLAIN:
        return
    slow = _slow(text)
    assert slow is not AuditFileError, f"fast reader accepted what YAML refuses: {text!r}"
    assert _typed(fast) == _typed(slow), text


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_yaml_file_in_the_repository_reads_the_same(path: Path) -> None:
    _agree(path.read_text(encoding="utf-8-sig"))


def test_the_shipped_files_take_the_fast_path() -> None:
    for path in (REPO / "examples").glob("*.audit.yaml"):
        assert load_data(path.read_text(encoding="utf-8")) is not NOT_PLAIN, path


@pytest.mark.parametrize("path", sorted((REPO / "examples").glob("*.audit.yaml")),
                         ids=lambda p: p.name)
def test_load_audit_equals_the_round_trip_audit(path: Path) -> None:
    assert load_audit(path) == open_audit(path).audit


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",                      # duplicate key
    "a: &x [1]\nb: *x\n<<: {c: 1}\n",    # merge key
    "a: 0x1F\nb: 1e3\nc: +5\nd: 1_000\ne: 017\nf: .inf\n",
    "%YAML 1.1\n---\na: yes\n",
    "a: !!int '3'\n",
    "a: \"line\u2028break\"\n",
    "a: [1, 2\n",                        # broken
    "a: 2026-02-30\n",                   # not a day
    "? [1, 2]\n: complex key\n",
])
def test_forms_left_to_the_round_trip_reader(text: str) -> None:
    assert load_data(text) is NOT_PLAIN


def test_aliases_are_expanded_into_copies() -> None:
    data = load_data("a: &x {k: [1, 2]}\nb: *x\n")
    assert data == {"a": {"k": [1, 2]}, "b": {"k": [1, 2]}}
    assert data["a"] is not data["b"]


def test_billion_laughs_is_left_to_the_guarded_reader() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    assert load_data("\n".join(lines) + "\n") is NOT_PLAIN


_TOKEN = st.text(alphabet="0123456789+-._:eExobTtZ nulNaifsr~<=", min_size=0, max_size=14)
_WORDS = st.sampled_from(["yes", "no", "on", "off", "true", "False", "NULL", "null", "~",
                          "0", "-0", "007", "1.50", "-2.5", ".5", "1e3", "0o17", "0x1F",
                          "2026-10-13", "2026-10-13T10:05:00Z", "2026-10-13 10:05:00",
                          "2026-10-13T10:05:00.12+02:00", "2026-1-3", "12:30", "1.2.3",
                          "Acme #1", "a: b", "- x", "'quoted'", "\"dq\"", "<<", "="])


@settings(max_examples=120, deadline=None)
@given(st.lists(st.one_of(_TOKEN, _WORDS), min_size=1, max_size=8))
def test_plain_scalars_resolve_as_yaml_1_2_does(tokens: list[str]) -> None:
    text = "".join(f"k{i}: {token}\n" for i, token in enumerate(tokens))
    _agree(text)
    _agree("".join(f"- {token}\n" for token in tokens))


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(), st.datetimes(timezones=st.sampled_from([None, dt.timezone.utc])),
)
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), _DATA, min_size=1, max_size=5))
def test_documents_written_by_the_round_trip_writer_read_the_same(data: dict[str, Any]) -> None:
    import io

    stream = io.StringIO()
    yaml_engine().dump(data, stream)
    _agree(stream.getvalue())
