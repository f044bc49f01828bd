"""The report as PDF through WeasyPrint, which may read only the report's own files.

Imported only when a PDF is asked for (importing WeasyPrint costs most of a second). The
fetcher is an allow-list: packaged (or overriding) report assets and the files the theme
names. Anything else, a ``file:///etc/passwd`` or an ``http://`` URL a client's text might
smuggle in, is refused and recorded, so tests can show that nothing was fetched.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from auditor.errors import RenderError
from auditor.store.yaml_file import atomic_write


@dataclass
class FetchLog:
    requested: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class AllowListFetcher(URLFetcher):
    """Serves ``file:`` URLs inside ``folders`` or equal to one of ``files``; refuses the rest."""

    def __init__(self, folders: tuple[Path, ...], files: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.folders = tuple(f.resolve() for f in folders)
        self.files = frozenset(f.resolve() for f in files)
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
        self.log.requested.append(url)
        path = self.allowed(url)
        if path is None:
            self.log.refused.append(url)
            raise ValueError("not one of the report's own files")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})


def write_pdf(document: str, target: Path, asset_folders: tuple[Path, ...],
              theme_files: tuple[Path, ...]) -> FetchLog:
    """Lay out ``document`` and write the PDF to ``target`` atomically; return the fetch log."""
    fetcher = AllowListFetcher(asset_folders, theme_files)
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
