"""Whatever bytes or YAML arrive, the loader answers with a clean AuditorError, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import AuditorError
from auditor.store.audit_file import validate_file

yaml_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(["client", "inventory", "answers", "respondents", "vision", "schema_version",
                        "systems", "flows", "name", "id", "roles", "source", "target", "value"])
audit_like = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


def _check(path: Path) -> None:
    try:
        report = validate_file(path)
    except AuditorError as exc:
        assert str(exc)  # a message, never empty
        return
    for problem in report.problems:
        assert problem.line >= 1 and problem.message


settings_ = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@settings_
@given(data=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fz") / "x.yaml"
    path.write_bytes(data)
    _check(path)


@settings_
@given(doc=audit_like)
def test_random_yaml_documents(tmp_path_factory, doc) -> None:
    from auditor.store.yaml_file import dump_text

    path = tmp_path_factory.mktemp("fz") / "x.yaml"
    path.write_text(dump_text(doc))
    _check(path)


@settings_
@given(text=st.text(alphabet=st.sampled_from(list("abc:-[]{}#&*!|>'\"\n\t ,?%@`0123.")), max_size=120))
def test_random_yaml_syntax(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("fz") / "x.yaml"
    path.write_text(text)
    _check(path)


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    lines.append("client: {name: *a9}")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n")
    try:
        validate_file(path)
    except AuditorError as exc:
        assert "too large" in str(exc)
    else:  # pragma: no cover - the guard must trip
        raise AssertionError("alias bomb was accepted")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("client: " + "[" * 5000 + "]" * 5000 + "\n")
    try:
        validate_file(path)
    except AuditorError as exc:
        assert str(path) in str(exc) and "not valid YAML" in str(exc)
    else:  # pragma: no cover - the guard must trip
        raise AssertionError("a 5,000-deep document was accepted")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from auditor.store.yaml_file import MAX_BYTES

    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: the size is what matters, not the content
        handle.truncate(MAX_BYTES + 1)
    try:
        validate_file(path)
    except AuditorError as exc:
        assert "the limit is 32 MiB" in str(exc)
    else:  # pragma: no cover - the guard must trip
        raise AssertionError("a file over the limit was read")
