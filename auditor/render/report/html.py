"""The report as one HTML document: inline CSS, inline SVG, a few lines of inline script.

The same template serves the browser file (``medium="html"``: logo and theme fonts inlined as
data URIs, script included) and the PDF (``medium="pdf"``: logo and fonts referenced as files,
which only the PDF renderer's restricted fetcher may read, and no script).
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from markupsafe import Markup

from auditor.render.report.environment import (
    generate_template,
    html_environment,
    read_asset,
    render_template,
)
from auditor.render.report.view import ReportView

Medium = Literal["html", "pdf"]
STYLESHEETS = ("css/report.css", "css/screen.css", "css/print.css")
SCRIPT = "js/report.js"


@dataclass(frozen=True)
class FontFace:
    family: str
    url: str
    weight: str
    style: str


def _file_url(path: object, medium: Medium) -> str:
    from pathlib import Path

    path = Path(str(path))
    if medium == "pdf":
        return path.as_uri()  # percent-encoded: no quote or bracket can end the CSS url()
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _context(view: ReportView, medium: Medium) -> dict[str, Any]:
    theme = view.theme
    fonts = tuple(FontFace(f.family, _file_url(theme.file(f.path), medium), f.weight, f.style)
                  for f in theme.fonts.files)
    logo = _file_url(theme.file(theme.logo), medium) if theme.logo else None
    # Packaged (or the consultant's own) stylesheets and script: content, not client text.
    css = Markup("\n".join(read_asset(name) for name in STYLESHEETS))
    js = Markup(read_asset(SCRIPT)) if medium == "html" else Markup("")
    return {"view": view, "medium": medium, "css": css, "js": js, "logo": logo,
            "fonts": fonts, "lang": "en"}


def render_html(view: ReportView, medium: Medium = "html") -> str:
    """The report document for ``medium``."""
    return render_template(html_environment(), "report.html.j2", **_context(view, medium))


def html_bytes(view: ReportView, medium: Medium = "html",
               chunk: int = 1 << 20) -> Iterator[bytes]:
    """The same document as ``render_html``, UTF-8 encoded in pieces of about ``chunk``
    characters: a file can be written without holding the whole text (the HTML report of a
    20,000-item estate is 200 MB)."""
    pending: list[str] = []
    size = 0
    for piece in generate_template(html_environment(), "report.html.j2",
                                   **_context(view, medium)):
        pending.append(piece)
        size += len(piece)
        if size >= chunk:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")
