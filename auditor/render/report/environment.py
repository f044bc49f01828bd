"""The one Jinja environment of the reports.

* Templates are found in ``reports/templates`` of every content root, the consultant's
  ``--content`` folders first and the packaged templates last; a name starting ``default:``
  reads the packaged template only, so an override can extend the built-in one
  (``{% extends "default:report.html.j2" %}``) instead of copying it.
* Always a ``SandboxedEnvironment``: consultant templates are untrusted code, and running the
  built-in templates under the same rules means the tests cover the path consultants use.
* Autoescaping is on for HTML and SVG. Markdown has no autoescape in Jinja, so its
  environment escapes every printed value with ``markdown_escape`` instead (``finalize``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from auditor.content import packaged_root, roots

DEFAULT_PREFIX = "default:"
TEMPLATES = Path("reports") / "templates"


class ReportLoader(BaseLoader):
    """Override folders first, packaged templates last; ``default:`` means packaged only."""

    def __init__(self, folders: list[Path], packaged: Path) -> None:
        self.folders = folders  # highest priority first
        self.packaged = packaged

    def get_source(self, environment: Any, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        if template.startswith(DEFAULT_PREFIX):
            name, search = template[len(DEFAULT_PREFIX):], [self.packaged]
        else:
            name, search = template, [*self.folders, self.packaged]
        parts = split_template_path(name)  # refuses '..' and absolute names
        for folder in search:
            path = folder.joinpath(*parts)
            if path.is_file():
                source = path.read_text(encoding="utf-8")
                mtime = path.stat().st_mtime
                return source, str(path), lambda p=path, m=mtime: p.stat().st_mtime == m
        raise TemplateNotFound(template)


def _loader() -> ReportLoader:
    packaged = packaged_root() / TEMPLATES
    folders = [root / TEMPLATES for root in reversed(roots()[1:])]
    return ReportLoader([f for f in folders if f.is_dir()], packaged)


def _number(value: Any) -> str:
    """1234567 -> '1,234,567'; None -> '–'."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _level(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def markdown_escape(value: Any) -> str:
    """Client text made inert in Markdown: entities for < and > (no raw HTML reaches a
    renderer), backslashes before the characters that start emphasis, links, tables or code,
    line breaks folded into spaces (no new block can start)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value).replace("<", "&lt;").replace(">", "&gt;")
    text = _LINE_BREAKS.sub(" ", text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _longdate(value: Any) -> str:
    """A date as '5 October 2026' (no leading zero, whatever the platform's strftime)."""
    return f"{value.day} {value:%B %Y}"


def _common(env: SandboxedEnvironment) -> SandboxedEnvironment:
    env.filters["number"] = _number
    env.filters["longdate"] = _longdate
    env.filters["level"] = _level
    env.filters["pct"] = lambda v, total: 0 if not total else round(100 * v / total)
    return env


class ReportSandbox(SandboxedEnvironment):
    """Jinja's sandbox, and no file system: report data holds a few paths (the theme's folder
    and files); a template may not touch them, so a template cannot read or write a file."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) or isinstance(value, PurePath):
            return False
        if attr in _THEME_FILE_ACCESS and type(obj).__name__ == "Theme":
            return False
        return super().is_safe_attribute(obj, attr, value)


_THEME_FILE_ACCESS = frozenset({"folder", "file", "files", "logo_data_uri"})


def html_environment() -> SandboxedEnvironment:
    env = ReportSandbox(loader=_loader(), autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True)
    return _common(env)


def markdown_environment() -> SandboxedEnvironment:
    env = ReportSandbox(loader=_loader(), autoescape=False, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                               finalize=_md_finalize)
    return _common(env)


def _md_finalize(value: Any) -> Any:
    # Markup marks text a template built on purpose (e.g. a macro's output); keep it as is.
    return value if isinstance(value, Markup) else markdown_escape(value)


def read_asset(relative: str) -> str:
    """A packaged-or-overridden report asset (CSS, JS) as text, for inlining."""
    from auditor.content import content_path

    return content_path(f"reports/{relative}").read_text(encoding="utf-8")


def render_template(env: SandboxedEnvironment, name: str, **context: Any) -> str:
    """Render ``name``; a broken or unsafe template becomes a ContentError naming the file and
    line, never a traceback (consultant templates are content like any other)."""
    from jinja2 import TemplateError

    try:
        return env.get_template(name).render(**context)
    except TemplateError as exc:
        raise _content_error(exc, name) from None


def generate_template(env: SandboxedEnvironment, name: str, **context: Any) -> Iterator[str]:
    """``render_template`` piece by piece, for a document too large to hold in memory whole
    (the HTML report of a 20,000-item estate is 200 MB; rendered at once, Jinja's list of
    pieces and the joined text took 1.6 GB more)."""
    from jinja2 import TemplateError

    try:
        yield from env.get_template(name).generate(**context)
    except TemplateError as exc:
        raise _content_error(exc, name) from None


def _content_error(exc: Exception, name: str) -> Exception:
    from jinja2 import TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    from auditor.errors import ContentError

    if isinstance(exc, TemplateSyntaxError):
        where = f"{exc.filename or exc.name or name}:{exc.lineno}"
        return ContentError(f"report template {where}: {exc.message}",
                            hint="Fix the template, or remove it to use the built-in one.")
    if isinstance(exc, SecurityError):
        return ContentError(f"report template {name} tried something templates may not do: "
                            f"{exc}", hint="Report templates run in a sandbox; use only the "
                                           "report data.")
    return ContentError(f"report template {name}{_template_line(exc)}: {exc}",
                        hint="Fix the template, or remove it to use the built-in one.")


def _template_line(exc: BaseException) -> str:
    """' (reports/templates/x.html.j2:12)' from the traceback of a template runtime error."""
    tb = exc.__traceback__
    found = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f" ({filename}:{tb.tb_lineno})"
        tb = tb.tb_next
    return found
