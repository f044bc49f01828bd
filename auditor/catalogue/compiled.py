"""The compiled catalogue: validated content parts kept in the user's cache between runs.

Parsing the content YAML with positions and validating it costs about 0.4 s, more than the
whole analysis of a typical audit, and every command paid it again. Every validated part (question
banks, rules, components, caps, remedies, products, scoring, wording, severity scaling, root
causes, target states, roadmap settings, the import vocabulary, the finding templates' code) is
pickled into one file in the user's cache folder, named by a fingerprint of everything it was
derived from:

- the path, modification time and size of every content file in play (built-in and
  ``--content``), so editing, adding or removing a file gives a new fingerprint;
- the auditor version and the modification time and size of every module of the auditor
  package, so a checkout whose code changed never unpickles objects of an older shape;
- the Python and pydantic versions.

The cache only ever saves time. Unset, disabled (``AUDITOR_CACHE_DIR=off``), unwritable,
stale or corrupt, it is ignored and the content is parsed as before; content that does not
validate is never stored. The folder is created private to the user (pickles are code: a
folder other users can write to is not read).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

CACHE_ENV = "AUDITOR_CACHE_DIR"
_OFF = {"", "0", "off", "no", "false", "none"}
_PREFIX = "catalogue-"
_SUFFIX = ".pickle"
_KEEP = 8  # fingerprints kept side by side (several --content folders in use, say)

T = TypeVar("T")


def cache_dir() -> Path | None:
    """Where compiled content goes: ``AUDITOR_CACHE_DIR``, else the platform's user cache."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        if configured.strip().lower() in _OFF:
            return None
        return Path(configured).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "auditor" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "auditor"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "auditor"


def fingerprint(content_stamps: Iterable[str]) -> str:
    """One hex digest of the content files' stamps and of the code that reads them."""
    import pydantic

    from auditor import __version__

    sha = hashlib.sha256()
    for part in (__version__, sys.version, pydantic.VERSION, *_code_stamps(), "--",
                 *content_stamps):
        sha.update(part.encode("utf-8", "surrogateescape"))
        sha.update(b"\0")
    return sha.hexdigest()


@lru_cache(maxsize=1)
def _code_stamps() -> tuple[str, ...]:
    package = Path(__file__).resolve().parents[1]
    stamps = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                stamps.append(f"{folder}/{name}:{stat.st_mtime_ns}:{stat.st_size}")
    return tuple(stamps)


class CompiledParts:
    """The parts stored under one fingerprint; a missing part is built and stored."""

    def __init__(self, key: str, folder: Path | None) -> None:
        self.key = key
        self.path = folder / f"{_PREFIX}{key[:32]}{_SUFFIX}" if folder else None
        self.parts: dict[str, Any] = self._read()
        #: Parts served from the file in this run (benchmarks and tests look at it).
        self.hits: set[str] = set()

    def get(self, name: str, build: Callable[[], T]) -> T:
        if name in self.parts:
            self.hits.add(name)
            return self.parts[name]
        value = build()  # a ContentError propagates: invalid content is never stored
        self.parts[name] = value
        self._write()
        return value

    def _read(self) -> dict[str, Any]:
        if self.path is None or not _private(self.path.parent):
            return {}
        try:
            with open(self.path, "rb") as handle:
                stored = pickle.load(handle)
        except FileNotFoundError:
            return {}
        except Exception:  # noqa: BLE001 - truncated, corrupt or of another shape: rebuild
            return {}
        if not isinstance(stored, dict) or stored.get("key") != self.key:
            return {}
        parts = stored.get("parts")
        return dict(parts) if isinstance(parts, dict) else {}

    def _write(self) -> None:
        if self.path is None:
            return
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not _private(folder):
                return
            data = pickle.dumps({"key": self.key, "parts": self.parts},
                                protocol=pickle.HIGHEST_PROTOCOL)
            # A temporary file renamed over the target: a reader sees the old or the new file.
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            _prune(folder, keep=self.path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return  # a cache that cannot be written costs time, never a failure


def _private(folder: Path) -> bool:
    """Whether ``folder`` is ours and not writable by others (POSIX); elsewhere, exists."""
    try:
        stat = folder.stat()
    except OSError:
        return False
    if os.name != "posix":
        return True
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def _prune(folder: Path, keep: Path) -> None:
    def age(path: Path) -> int:
        try:
            return path.stat().st_mtime_ns
        except OSError:  # removed meanwhile by another auditor process
            return 0

    files = sorted(folder.glob(f"{_PREFIX}*{_SUFFIX}"), key=age, reverse=True)
    for old in files[_KEEP:]:
        if old != keep:
            old.unlink(missing_ok=True)
