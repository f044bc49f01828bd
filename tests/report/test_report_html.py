"""The HTML report: one self-contained file (nothing to fetch), well formed, every section,
and client text escaped."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# SVG elements Graphviz and the charts write self-closed (<path ... />).
SELF_CLOSING_OK = {"path", "polygon", "polyline", "ellipse", "circle", "rect", "line", "stop"}


class Checker(HTMLParser):
    """Collects every URL-bearing attribute and checks that elements nest properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "poster", "srcset"):
                self.urls.append(value or "")
            if name == "id":
                self.ids.append(value or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href"):
                self.urls.append(value or "")
        if tag not in VOID and tag not in SELF_CLOSING_OK and tag != "svg":
            self.problems.append(f"<{tag}/> self-closed")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else '-'}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def check(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    return checker


def test_html_is_well_formed_and_self_contained(demo_report):
    html = demo_report.text("html")
    checker = check(html)
    assert checker.problems == [] and checker.stack == []
    assert html.startswith("<!DOCTYPE html>")
    # Only in-page links and inline data: nothing for a browser to fetch.
    external = [u for u in checker.urls if not (u.startswith("#") or u.startswith("data:"))]
    assert external == []
    assert "<link" not in html and "@import" not in html and "http://" not in html.split(
        "<body", 1)[0].replace("http://www.w3.org", "")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert len(checker.ids) == len(set(checker.ids)), "duplicate element ids"


def test_html_holds_every_section_diagram_and_charts(demo_report):
    html = demo_report.text("html")
    for section in ("summary", "maturity", "alignment", "ecosystem", "components",
                    "backtracking", "method", "person-data", "policies", "inventory",
                    "respondents", "glossary"):
        assert f'id="sec-{section}"' in html, section
    assert html.count('class="chart chart-') == 3  # radar, bars, spread
    assert 'data-diagram' in html and "<svg" in html.split('data-diagram', 1)[1]
    assert html.count('class="finding"') == len(demo_report.assessment.findings)
    # names, not ids, in the evidence lines
    assert "Salesforce Sales Cloud" in html


def test_markdown_and_json_carry_the_same_assessment(demo_report):
    import json

    data = json.loads(demo_report.text("json"))
    assert data == demo_report.assessment.model_dump(mode="json")
    md = demo_report.text("md")
    assert md.startswith(f"# {demo_report.audit.client.name}\n")
    for title in ("## Executive summary", "## Maturity", "## Stakeholder alignment",
                  "## The five blueprint components", "## Appendix B: The person data model",
                  "## The roadmap", "## Appendix D: Who is responsible (RACI)", "## Appendix G: Glossary"):
        assert title in md
    assert "![The current ecosystem](ecosystem.svg)" in md
    assert (demo_report.folder / "ecosystem.svg").read_text().startswith("<svg")


def test_dismissed_findings_are_set_aside_not_reported(tmp_path):
    from report_helpers import REPO, render

    from auditor.analysis.assess import assess
    from auditor.schema.audit import Audit
    from auditor.store.audit_file import load_audit

    audit = load_audit(REPO / "examples" / "demo.audit.yaml")
    findings = assess(audit).findings
    target = next(f for f in findings if f.rule == "JRN-03")
    data = audit.model_dump(by_alias=True, exclude_none=True)
    data["dismissals"] = [{"finding": target.key, "by": "Ruth Castellano",
                           "reason": "Agreed with the COO: the dispatch phones go in March",
                           "at": "2026-11-20T10:00:00"}]
    out = render(Audit.model_validate(data), tmp_path, ("html", "json"))
    html = out.text("html")
    assert html.count('class="finding"') == len(findings) - 1
    assert target.message not in html
    assert "Findings set aside" in html and "the dispatch phones go in March" in html
    # the JSON is the whole assessment: the finding is still there for other tools
    assert target.key in out.text("json")
