"""The report as PDF through WeasyPrint, which may read only the report's own files.

Imported only when a PDF is asked for (importing WeasyPrint costs most of a second). The
fetcher is an allow-list: packaged (or overriding) report assets and the files the theme
names. Anything else, a ``file:///etc/passwd`` or an ``http://`` URL a client's text might
smuggle in, is refused and recorded, so tests can show that nothing was fetched.

The ecosystem diagrams reach WeasyPrint as images served from memory, not inline in the HTML
(``drawings_as_images``). Inline, every one of their elements went through the HTML parser
and the CSS cascade before WeasyPrint turned the ``<svg>`` into an image anyway: on the M
benchmark estate, 5.6 MB of the 8.9 MB document and about 100,000 elements. As images they
are parsed once by WeasyPrint's SVG reader and drawn the same.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from markupsafe import Markup

from auditor.errors import RenderError
from auditor.store.yaml_file import atomic_write

if TYPE_CHECKING:
    from auditor.render.report.ecosystem import Drawing, Ecosystem

#: The URL scheme of the report's own drawings, served from memory (never a file or network).
DRAWING_SCHEME = "auditor-drawing"


@dataclass
class FetchLog:
    requested: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class AllowListFetcher(URLFetcher):
    """Serves ``file:`` URLs inside ``folders`` or equal to one of ``files``; refuses the rest."""

    def __init__(self, folders: tuple[Path, ...], files: tuple[Path, ...],
                 drawings: Mapping[str, bytes] | None = None) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.folders = tuple(f.resolve() for f in folders)
        self.files = frozenset(f.resolve() for f in files)
        self.drawings = dict(drawings or {})
        self.log = FetchLog()

    def allowed(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()
        if path in self.files or any(path.is_relative_to(f) for f in self.folders):
            return path if path.is_file() else None
        return None

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url in self.drawings:  # the report's own drawing, from memory: nothing is fetched
            return URLFetcherResponse(url, body=self.drawings[url],
                                      headers={"Content-Type": "image/svg+xml"})
        self.log.requested.append(url)
        path = self.allowed(url)
        if path is None:
            self.log.refused.append(url)
            raise ValueError("not one of the report's own files")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})


def drawings_as_images(ecosystem: Ecosystem) -> tuple[Ecosystem, dict[str, bytes]]:
    """The ecosystem with each drawing's inline SVG (today's and the target's) replaced by an
    ``<img>`` of it, and the SVG documents by the URL the fetcher serves them under."""
    served: dict[str, bytes] = {}

    def as_images(drawings: tuple[Drawing, ...], name: str) -> tuple[Drawing, ...]:
        out = []
        for number, drawing in enumerate(drawings, 1):
            url = f"{DRAWING_SCHEME}:{name}-{number}.svg"
            served[url] = str(drawing.svg).encode("utf-8")
            image = Markup('<img class="diagram-image" src="{}" alt="{}">').format(
                url, f"Ecosystem diagram ({drawing.kind})")
            out.append(replace(drawing, svg=image))
        return tuple(out)

    return replace(ecosystem, drawings=as_images(ecosystem.drawings, "ecosystem"),
                   target=as_images(ecosystem.target, "target")), served


def write_pdf(document: str, target: Path, asset_folders: tuple[Path, ...],
              theme_files: tuple[Path, ...],
              drawings: Mapping[str, bytes] | None = None) -> FetchLog:
    """Lay out ``document`` and write the PDF to ``target`` atomically; return the fetch log.
    ``drawings`` are images by URL (``drawings_as_images``), served from memory."""
    fetcher = AllowListFetcher(asset_folders, theme_files, drawings)
    # WeasyPrint logs refused fetches and unsupported CSS as warnings; the log above records
    # what matters, and a consultant should not see library noise.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        base = asset_folders[0].as_uri() + "/" if asset_folders else None
        data = HTML(string=document, base_url=base, url_fetcher=fetcher).write_pdf(
            font_config=FontConfiguration())
    except Exception as exc:  # WeasyPrint raises many types; the user needs one located message
        raise RenderError(f"the PDF could not be laid out: {type(exc).__name__}: {exc}",
                          hint="try --format html to see the report; run with --debug and "
                               "report the problem if it persists") from exc
    finally:
        logger.setLevel(level)
    atomic_write(target, data, backup=False, error=RenderError)
    return fetcher.log
