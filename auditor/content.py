"""Where content lives: packaged banks, rules and templates, layered under a consultant's own.

Content folders (questionnaires/, blueprints/, reports/, examples/) sit at the top of the
repository and are copied into the wheel as ``auditor/_content``. An override folder given
with ``--content DIR`` or ``AUDITOR_CONTENT`` is laid over them: a file with the same relative
name replaces the built-in one, a new file adds to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from auditor.errors import ContentError
from auditor.store.locations import problems_from_validation
from auditor.store.yaml_data import load_data
from auditor.store.yaml_file import located, parse_yaml, read_text, to_plain

CONTENT_ENV = "AUDITOR_CONTENT"

_overrides: list[Path] = []

M = TypeVar("M", bound=BaseModel)


def packaged_root() -> Path:
    """The built-in content: inside the installed wheel, else the source checkout."""
    packaged = Path(str(files("auditor"))) / "_content"
    if (packaged / "questionnaires").is_dir():
        return packaged
    return Path(__file__).resolve().parents[1]


def set_overrides(folders: Iterable[Path | str]) -> None:
    """Content folders to lay over the built-in content (the CLI's ``--content``)."""
    resolved = []
    for folder in folders:
        path = Path(folder).expanduser()
        if not path.is_dir():
            raise ContentError(f"content folder {path} does not exist or is not a folder")
        resolved.append(path.resolve())
    _overrides[:] = resolved


def roots() -> list[Path]:
    """Content roots, built-in first, later ones overriding earlier ones."""
    env = [Path(p).expanduser() for p in os.environ.get(CONTENT_ENV, "").split(os.pathsep) if p]
    for path in env:
        if not path.is_dir():
            raise ContentError(f"{CONTENT_ENV} names {path}, which is not a folder")
    return [packaged_root(), *env, *_overrides]


@dataclass(frozen=True)
class ContentFile:
    relative: str  # e.g. "questionnaires/nine-questions.yaml"
    path: Path
    builtin: bool


def content_files(kind: str, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> list[ContentFile]:
    """Files of one content kind, an override replacing a built-in file of the same name."""
    chosen: dict[str, ContentFile] = {}
    for index, root in enumerate(roots()):
        folder = root / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name.endswith(suffixes) and not path.name.startswith("."):
                rel = path.relative_to(root).as_posix()
                chosen[rel] = ContentFile(rel, path, builtin=index == 0)
    return [chosen[k] for k in sorted(chosen)]


def content_path(relative: str) -> Path:
    """The effective file for ``relative`` (e.g. 'examples/demo.audit.yaml')."""
    for root in reversed(roots()):
        candidate = root / relative
        if candidate.is_file():
            return candidate
    raise ContentError(f"content file '{relative}' not found",
                       hint="Reinstall auditor, or check your --content folder.")


def load_model(path: Path, model: type[M]) -> M:
    """Parse one content YAML file into ``model``; every problem reported with file:line."""
    text, _ = read_text(path, ContentError, missing_hint="Check the path.")
    data = load_data(text)
    if isinstance(data, dict):  # read fast; any doubt or problem goes the located way below
        try:
            return model.model_validate(data)
        except ValidationError:
            pass
    raw = parse_yaml(text, str(path), ContentError)
    data = to_plain(raw, ContentError, str(path))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = located(problems_from_validation(exc, model), raw, str(path))
        raise ContentError(f"{path} is not a valid {model.__name__} file",
                           hint="Fix the lines below; the built-in file of the same name shows the format.",
                           problems=problems) from None


def merge_by_id(groups: Iterable[Iterable[Any]]) -> list[Any]:
    """Concatenate items of several files; a later item with the same ``id`` replaces an earlier one."""
    merged: dict[str, Any] = {}
    for group in groups:
        for item in group:
            merged.pop(item.id, None)
            merged[item.id] = item
    return list(merged.values())
