"""Client text is untrusted: HTML, a file URL, CSS that fetches, a 5,000-character word,
right-to-left script and emoji in every text field. It must come out escaped in the HTML and
Markdown, as plain text in the PDF, and the PDF renderer must not be asked to fetch anything."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from report_helpers import REPO, render

from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit

TAGS = '<script>alert("x")</script><b onmouseover="alert(1)">bold</b>'
IMG = '<img src="file:///etc/passwd">'
CSS = '</style><style>body{background:url(http://evil.example/t.png)}</style>'
RTL = "مرحبا بكم في التدقيق שלום"
EMOJI = "🚀 Café ✓"
LONG = "W" * 5000


def hostile(text: str, limit: int) -> str:
    """One hostile value per field, cut to the field's length limit."""
    return text[:limit]


def poison(audit: Audit) -> Audit:
    data = audit.model_dump(by_alias=True, exclude_none=True)
    data["client"].update(name=f"{IMG} {RTL}", description=LONG, industry=CSS)
    data["engagement"].update(title=TAGS, consultant=f"{EMOJI} {IMG}", firm=CSS, scope=LONG)
    kinds = (TAGS, IMG, CSS, f"{RTL} {EMOJI}")
    for i, person in enumerate(data["respondents"]):
        person.update(name=kinds[i % 4][:300], role=IMG)
    for i, answer in enumerate(data["answers"]):
        # A few 5,000-character notes are enough to test wrapping; on every answer they would
        # only make the PDF long (each one fills a page).
        answer["note"] = f"{CSS} {LONG}" if i < 3 else f"{CSS} {kinds[i % 4]}"
    inv = data["inventory"]
    for key in ("systems", "channels", "touchpoints", "data", "teams", "skills", "metrics",
                "policies", "capabilities"):
        for i, item in enumerate(inv[key]):
            item["name"] = f"{kinds[i % 4]} {item['id']}"[:500]
    inv["systems"][0]["name"] = LONG[:500]  # the longest name the schema accepts
    for key in ("segments", "needs"):
        for i, item in enumerate(data["vision"][key]):
            item["name"] = f"{kinds[(i + 1) % 4]} {item['id']}"
    return Audit.model_validate(data)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    audit = poison(load_audit(REPO / "examples" / "demo.audit.yaml"))
    return render(audit, tmp_path_factory.mktemp("hostile"))


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def test_html_escapes_every_hostile_value(hostile_report):
    html = hostile_report.text("html")
    parsed = Elements()
    parsed.feed(html)
    # The client's markup never became elements or attributes.
    assert "img" not in parsed.tags and "b" not in parsed.tags
    assert parsed.tags.count("script") == 1 and parsed.tags.count("style") == 1  # our own
    assert not [a for a in parsed.attributes if a[1].startswith("on")]
    assert all(v.startswith(("#", "data:")) for _, name, v in parsed.attributes
               if name in ("src", "href", "xlink:href"))
    assert "url(http://evil" not in html.split("</style>", 1)[0]
    # ... but shows as the text the client typed.
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert RTL in html and EMOJI in html and LONG in html


def test_diagram_svg_is_inert(hostile_report):
    html = hostile_report.text("html")
    diagram = html.split("data-diagram", 1)[1].split("</figure>", 1)[0]
    parsed = Elements()
    parsed.feed(diagram)
    assert "svg" in parsed.tags and "text" in parsed.tags
    assert not set(parsed.tags) & {"script", "a", "image", "foreignobject", "img", "style"}
    assert not [a for a in parsed.attributes if a[1].startswith("on") or "href" in a[1]]


def test_markdown_neutralises_hostile_values(hostile_report):
    md = hostile_report.text("md")
    assert "<img" not in md and "<script" not in md and "<style" not in md
    assert "&lt;img src=" in md
    assert RTL in md and EMOJI in md


def test_pdf_shows_the_text_and_fetches_nothing(hostile_report, demo_report):
    text = " ".join(" ".join(hostile_report.pages).split())
    assert "file:///etc/passwd" in text  # printed as text, not loaded
    assert "url(http://evil.example/t.png)" in text
    assert hostile_report.result.fetched == []
    assert hostile_report.result.refused == []
    # 500-character names and 5,000-character notes make tables longer, but the report must
    # stay a report: within three times the length of the same audit with ordinary text.
    assert 12 <= len(hostile_report.pages) <= 3 * len(demo_report.pages)
