"""The white-label theme: consultancy name, logo, colours, fonts and footer text.

A theme is a small YAML file (``reports/themes/default.yaml`` shows every key). Colours and
font names end up inside CSS, so they are held to strict patterns here: a theme can restyle a
report but never inject CSS or make the PDF fetch anything. Files the theme names (logo, font
files) are resolved next to the theme file and are the only files outside the packaged report
assets that the PDF renderer may read.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from auditor.errors import ContentError
from auditor.problems import Problem
from auditor.store.locations import problems_from_validation
from auditor.store.yaml_file import located, parse_yaml, read_text, to_plain

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_FONT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,63}")


def _colour(value: str) -> str:
    if not _COLOUR.fullmatch(value):
        raise ValueError(f"'{value[:40]}' is not a colour: write it in hex, e.g. '#1f3a5f'")
    return value


def _font(value: str) -> str:
    if not _FONT.fullmatch(value):
        raise ValueError(f"'{value[:40]}' is not a font family name: use letters, digits, "
                         "spaces, '-' and '_', e.g. 'Liberation Sans'")
    return value


Colour = Annotated[str, AfterValidator(_colour),
                   Field(description="A hex colour such as '#1f3a5f'.")]
FontName = Annotated[str, AfterValidator(_font),
                     Field(description="A font family name: letters, digits, spaces, - and _.")]
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".svg")
FONT_TYPES = (".ttf", ".otf", ".woff", ".woff2")
THEME_HINT = "Compare with reports/themes/default.yaml, which lists every key with a comment."


class ThemeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Colours(ThemeModel):
    primary: Colour = "#1f3a5f"
    accent: Colour = "#b5533c"
    text: Colour = "#1f2328"
    muted: Colour = "#6a737d"
    rule: Colour = "#d0d7de"
    background: Colour = "#ffffff"


class FontFile(ThemeModel):
    family: FontName
    path: str = Field(min_length=1, description="Font file next to the theme (.ttf, .otf, .woff).")
    weight: Literal["normal", "bold"] = "normal"
    style: Literal["normal", "italic"] = "normal"


class Fonts(ThemeModel):
    body: FontName = "Liberation Sans"
    headings: FontName = "Liberation Serif"
    files: tuple[FontFile, ...] = ()


class Theme(ThemeModel):
    consultancy: str | None = Field(default=None, max_length=200)
    logo: str | None = Field(default=None, description="Logo file next to the theme file.")
    footer: str | None = Field(default=None, max_length=300)
    colours: Colours = Field(default_factory=Colours)
    fonts: Fonts = Field(default_factory=Fonts)
    folder: Path | None = Field(default=None, exclude=True,
                                description="Where the theme file is; its files resolve here.")

    def file(self, relative: str) -> Path:
        """A file the theme names, resolved next to the theme file."""
        base = self.folder or Path.cwd()
        return (base / relative).resolve()

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file this theme may hand to a renderer (the PDF fetcher's allow-list)."""
        named = ([self.logo] if self.logo else []) + [f.path for f in self.fonts.files]
        return tuple(self.file(n) for n in named)

    def logo_data_uri(self) -> str | None:
        """The logo inlined, for the self-contained HTML file."""
        if not self.logo:
            return None
        path = self.file(self.logo)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def default_theme() -> Theme:
    from auditor.content import content_path

    return load_theme(content_path("reports/themes/default.yaml"))


def load_theme(path: Path) -> Theme:
    """Read and check a theme file; every problem is reported at once with its line."""
    name = str(path)
    text, _ = read_text(path, ContentError)
    raw = parse_yaml(text, name, ContentError)
    data = to_plain(raw, ContentError, name)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(f"{name} is not a theme: expected keys such as 'colours' and 'logo'",
                           hint=THEME_HINT)
    try:
        theme = Theme.model_validate({**data, "folder": path.resolve().parent})
    except ValidationError as exc:
        problems = located(problems_from_validation(exc, Theme), raw, name)
        raise ContentError(f"{name} is not a valid theme", hint=THEME_HINT,
                           problems=problems) from None
    missing = _file_problems(theme)
    if missing:
        raise ContentError(f"{name} names files that cannot be used", hint=THEME_HINT,
                           problems=located(missing, raw, name))
    return theme


def _file_problems(theme: Theme) -> list[Problem]:
    wanted: list[tuple[tuple[str | int, ...], str, tuple[str, ...]]] = []
    if theme.logo:
        wanted.append((("logo",), theme.logo, IMAGE_TYPES))
    for i, font in enumerate(theme.fonts.files):
        wanted.append((("fonts", "files", i, "path"), font.path, FONT_TYPES))
    problems = []
    for where, relative, suffixes in wanted:
        path = theme.file(relative)
        if not path.name.lower().endswith(suffixes):
            problems.append(Problem(path=where, message=f"'{relative}' should be one of "
                                    f"{', '.join(suffixes)}"))
        elif not path.is_file():
            problems.append(Problem(path=where, message=f"'{relative}' does not exist next to "
                                    f"the theme file ({path})"))
    return problems
