"""Reading YAML with positions, and writing it back without losing a byte of what was there.

Round-trip (ruamel) documents keep the consultant's comments, key order and quoting. Reads are
bounded (size, node count, nesting) so a hostile or broken file gives one clear error, never a
traceback or a hang. Writes are atomic and keep the previous version as ``*.bak``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.errors import AuditFileError, UserError
from auditor.problems import PathPart, Problem

if TYPE_CHECKING:
    from ruamel.yaml import YAML

# ruamel is imported where the round-trip reader and writer are used, not with this module:
# importing it costs about 16 ms, which commands that only read a valid audit (through the
# libyaml fast path, ``auditor.store.yaml_data``) never need.

MAX_BYTES = 32 * 1024 * 1024
MAX_NODES = 2_000_000  # after alias expansion: stops "billion laughs" files


def yaml_engine() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_text(path: Path, error: type[UserError] = AuditFileError,
              missing_hint: str = "Check the path, or create it with 'auditor new'.") -> tuple[str, bytes]:
    """The file's text and raw bytes, refusing what is not a reasonably sized UTF-8 text file."""
    name = str(path)
    try:
        if path.is_dir():
            raise error(f"{name} is a folder, not a file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise error(
                f"{name} is {size / 2**20:.0f} MiB; the limit is {MAX_BYTES // 2**20} MiB",
                hint="Is this the right file? Audit files are usually well under 1 MB.",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{name} does not exist", hint=missing_hint) from None
    except PermissionError:
        raise error(f"{name} cannot be read: permission denied") from None
    except OSError as exc:
        raise error(f"{name} cannot be read: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise error(f"{name} is not a text file (it contains binary data)",
                    hint="Audit and content files are YAML text.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{name}:{line}: not valid UTF-8 text (byte {exc.start})",
                    hint="Save the file as UTF-8.") from None
    return text, raw


def parse_yaml(text: str, name: str, error: type[UserError] = AuditFileError) -> Any:
    """Parse round-trip YAML; any parser failure becomes one located error."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return yaml_engine().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        what = exc.problem or exc.context or "invalid YAML"
        raise error(f"{where}: not valid YAML: {what}",
                    hint="Check indentation and quoting around that line.") from None
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise error(f"{name}: not valid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                    hint="Check the file is the YAML you expect.") from None


def to_plain(node: Any, error: type[UserError] = AuditFileError, name: str = "") -> Any:
    """ruamel objects -> plain dicts, lists and scalars, within a node budget."""
    budget = [MAX_NODES]

    def walk(value: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0 or depth > 200:
            raise error(f"{name}: the YAML is too large or too deeply nested once aliases are expanded")
        if isinstance(value, dict):
            return {_plain_key(k): walk(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, depth + 1) for v in value]
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, str):
            return str(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, dt.datetime):
            return dt.datetime.fromisoformat(value.isoformat())
        if isinstance(value, dt.date):
            return dt.date(value.year, value.month, value.day)
        if hasattr(value, "value"):  # a tagged scalar such as `!custom text`
            return str(value.value)
        return str(value)

    return walk(node, 0)


def _plain_key(key: Any) -> str:
    return key if isinstance(key, str) else str(key)


def locate(raw: Any, path: tuple[PathPart, ...], *, key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of ``path`` in a round-trip document; the nearest parent if absent.

    ``key=True`` points at the mapping key rather than its value (for unknown-field errors).
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    line, col = 1, 1
    node = raw
    for i, part in enumerate(path):
        last = i == len(path) - 1
        try:
            if isinstance(node, CommentedMap) and part in node:
                pos = node.lc.key(part) if (key and last) else node.lc.value(part)
                line, col = pos[0] + 1, pos[1] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                pos = node.lc.item(part)
                line, col = pos[0] + 1, pos[1] + 1
                node = node[part]
            else:
                continue  # a path step the document does not have (a union member, a missing key)
        except (KeyError, IndexError, TypeError, AttributeError):
            continue
    return line, col


def located(problems: list[Problem], raw: Any, name: str) -> list[Problem]:
    out = []
    for p in problems:
        line, col = locate(raw, p.path, key=p.message.startswith("unknown field"))
        out.append(p.located(name, line, col))
    return sorted(out, key=lambda p: (p.line, p.column, p.message))


# --- writing ------------------------------------------------------------------------------
def merge_into(raw: Any, full: Any, minimal: Any, key_of: Callable[[Any], Any]) -> Any:
    """Update round-trip node ``raw`` in place so it holds ``full``; return the node to keep.

    Keys the document already has are updated only where the value changed (so quoting,
    comments and order survive); keys it lacks are added only when they carry a non-default
    value (``minimal``), so a rewrite does not flood a hand-written file with defaults.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from auditor.store.comments import move_item_comments

    if isinstance(full, dict):
        if not isinstance(raw, CommentedMap):
            return _fresh(minimal if isinstance(minimal, dict) else full)
        minimal = minimal if isinstance(minimal, dict) else {}
        for k in [k for k in raw if k not in full]:
            del raw[k]
        for k, value in full.items():
            if k in raw:
                raw[k] = merge_into(raw[k], value, minimal.get(k, value), key_of)
            elif k in minimal:
                raw[k] = _fresh(minimal[k])
        return raw
    if isinstance(full, list):
        if not isinstance(raw, CommentedSeq):
            return _fresh(minimal if isinstance(minimal, list) else full)
        minimal = minimal if isinstance(minimal, list) and len(minimal) == len(full) else full
        old = list(raw)
        old_keys = [key_of(to_plain(item)) if isinstance(item, dict) else None for item in old]
        keyed: dict[Any, int] = {}
        for i, k in enumerate(old_keys):
            if k is not None:
                keyed.setdefault(k, i)
        # Items without a key (plain values, or not yet given an id) pair up by position.
        keyless = iter([i for i, k in enumerate(old_keys) if k is None])
        used: set[int] = set()
        result = []
        origins: list[int | None] = []
        for value, small in zip(full, minimal):
            k = key_of(value)
            idx = keyed.get(k) if k is not None else None
            if idx is None or idx in used:
                idx = next((i for i in keyless if i not in used), None)
            if idx is not None:
                used.add(idx)
                result.append(merge_into(old[idx], value, small, key_of))
            else:
                result.append(_fresh(small))
            origins.append(idx)
        if result != old or len(result) != len(old):
            comments = dict(raw.ca.items)
            raw[:] = result
            # A comment written above an item belongs to that item, wherever it now sits.
            move_item_comments(raw, comments, origins)
        return raw
    if isinstance(full, float):
        # ruamel re-formats parsed floats with its own precision, which can change extreme
        # values; a plain float is written with repr(), which round-trips exactly.
        return float(full)
    if to_plain(raw) == full and type(to_plain(raw)) is type(full):
        return raw  # unchanged: keep the original spelling and quoting
    return _fresh(full)


def _fresh(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _fresh(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_fresh(v) for v in value)
        if value and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            if sum(len(str(v)) + 2 for v in value) < 70:
                seq.fa.set_flow_style()  # short id lists read best inline: [a, b, c]
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def dump_text(raw: Any) -> str:
    stream = io.StringIO()
    yaml_engine().dump(raw, stream)
    return stream.getvalue()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes | Iterable[bytes], *, backup: bool = True,
                 error: type[UserError] = AuditFileError) -> None:
    """Replace ``path`` with ``data`` so a crash at any moment leaves the old or the new file.
    ``data`` may come in pieces (a large report, generated as it is written); an error while
    producing them leaves the old file too.

    The data goes to a temporary file in the same folder (created if missing), is fsynced,
    then renamed over the target. With ``backup`` the previous version is kept as
    ``<name>.bak`` (itself swapped in atomically). Every file the tool writes comes through
    here; ``error`` is the error raised when the disk refuses (a diagram's failure is a
    RenderError, not an audit-file one).
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        # Every command that writes a file creates a missing folder for it, as 'graph' and
        # 'demo' always did: one behaviour for -o everywhere.
        folder.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise error(f"cannot write in {folder}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for piece in data:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if backup and path.exists():
            _backup(path)
        os.replace(tmp, path)
        _fsync_dir(folder)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise error(f"cannot write {path}: {exc.strerror or exc}",
                    hint="The previous version is unchanged.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _backup(path: Path) -> None:
    bak = path.with_name(path.name + ".bak")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{bak.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        try:
            os.link(path, tmp)  # the old inode lives on as the backup: no copy, atomic
        except OSError:  # file systems without hard links
            shutil.copy2(path, tmp)
        os.replace(tmp, bak)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
