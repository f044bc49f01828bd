"""White label: a theme file sets logo, colours, fonts, consultancy name and footer; bad theme
files are refused with the file, line and field of every problem."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from report_helpers import REPO, render

from auditor.errors import ContentError
from auditor.render.report.theme import load_theme
from auditor.store.audit_file import load_audit

E1 = REPO / "examples" / "e1-harbour-pine.audit.yaml"


def tiny_png(width: int = 8, height: int = 4) -> bytes:
    """A solid-colour PNG made here, so the test needs no image file from elsewhere."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


THEME = """\
consultancy: Northgate Advisory
logo: logo.png
footer: Prepared for the leadership team only
colours:
  primary: "#0b5d4b"
  accent: "#aa3377"
fonts:
  body: DejaVu Sans
  headings: DejaVu Serif
"""


@pytest.fixture
def theme_file(tmp_path: Path) -> Path:
    (tmp_path / "logo.png").write_bytes(tiny_png())
    path = tmp_path / "theme.yaml"
    path.write_text(THEME)
    return path


def test_theme_brands_html_and_pdf_and_only_its_logo_is_fetched(theme_file, tmp_path):
    from pypdf import PdfReader

    theme = load_theme(theme_file)
    out = render(load_audit(E1), tmp_path / "out", ("pdf", "html"), theme)
    html = out.text("html")
    assert "--primary: #0b5d4b;" in html and '"DejaVu Serif"' in html
    assert 'class="cover-logo" src="data:image/png;base64,' in html
    assert "Northgate Advisory" in html and "Prepared for the leadership team only" in html
    # The PDF asked for exactly one file, the theme's logo, and got it.
    assert out.result.fetched == [(theme_file.parent / "logo.png").resolve().as_uri()]
    assert out.result.refused == []
    reader = PdfReader(str(out.path("pdf")))
    assert len(reader.pages[0].images) == 1
    text = " ".join((reader.pages[1].extract_text() or "").split())
    assert "Prepared for the leadership team only" in text


@pytest.mark.parametrize(("text", "expected"), [
    ('colours:\n  primary: "red; } body { background: url(http://x) }"\n',
     "theme.yaml:2:12: colours.primary:"),
    ("colour:\n  primary: '#ffffff'\n", "theme.yaml:1:1: colour: unknown field 'colour'"),
    ("fonts:\n  body: 'Evil\"; src: url(http://x)'\n", "theme.yaml:2:9: fonts.body:"),
    ("logo: missing.png\n", "theme.yaml:1:7: logo: 'missing.png' does not exist"),
    ("logo: theme.yaml\n", "theme.yaml:1:7: logo: 'theme.yaml' should be one of .png"),
    ("- just a list\n", "is not a theme"),
])
def test_bad_theme_files_are_refused_with_locations(tmp_path, text, expected):
    path = tmp_path / "theme.yaml"
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        load_theme(path)
    assert expected in str(caught.value)


def test_cli_reports_a_bad_theme_without_a_traceback(run_cli, tmp_path):
    (tmp_path / "theme.yaml").write_text("colours:\n  primary: blue\n")
    r = run_cli("report", str(E1), "-o", "out", "--theme", "theme.yaml", "-f", "html")
    assert r.code == 2
    assert "theme.yaml:2:12: colours.primary" in r.err and "Traceback" not in r.err
    assert not (tmp_path / "out").exists()
