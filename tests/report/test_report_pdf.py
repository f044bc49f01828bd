"""The demo's PDF, read back with a PDF text extractor: every section, the client's data,
page numbers in the contents, a sane length, and nothing fetched."""

from __future__ import annotations

import re


def test_pdf_has_every_section_and_the_clients_data(demo_report):
    pages = demo_report.pages
    text = " ".join("\n".join(pages).split())  # table cells wrap names over lines
    for title in ("Contents", "Executive summary", "Maturity", "Stakeholder alignment",
                  "The current ecosystem", "The five blueprint components",
                  "What each community needs", "The roadmap", "The target ecosystem",
                  "Appendix A: Method and scale",
                  "Appendix B: The person data model", "Appendix C: Engagement rules",
                  "Appendix D: Who is responsible (RACI)",
                  "Appendix E: Inventory", "Appendix F: Respondents", "Appendix G: Glossary"):
        assert title in text, title
    audit = demo_report.audit
    assert audit.client.name in pages[0]
    assert audit.engagement.consultant in pages[0] and audit.engagement.firm in pages[0]
    assert "27 November 2026" in pages[0]
    for respondent in audit.respondents:
        assert respondent.name in text
    for system in audit.inventory.systems:
        assert system.name in text, system.name
    for component in ("Person", "Journeys", "Skills", "People & governance", "Technologies"):
        assert component in text
    # a disagreement is quoted with its note
    assert "Believes every channel writes to one Salesforce profile." in text
    # the engagement-rule register says which rules cannot fire
    for policy in audit.inventory.policies:
        assert policy.name in text
    assert "Cannot fire in time" in text


def test_pdf_length_contents_and_running_headers(demo_report):
    pages = demo_report.pages
    assert 12 <= len(pages) <= 60
    contents = next(p for p in pages if "Contents" in p)
    # every contents line ends with the page its section starts on
    match = re.search(r"Executive summary\s*\.*\s*(\d+)", contents)
    assert match, contents
    start = int(match.group(1))
    assert "Executive summary" in pages[start - 1] and f"{start} / {len(pages)}" in pages[start - 1]
    # running header (client) and footer (consultancy) on inner pages, not on the cover
    client = demo_report.audit.client.name
    assert all(client in p for p in pages[1:])
    assert f"1 / {len(pages)}" not in pages[0]


def test_pdf_fetches_nothing_with_the_default_theme(demo_report):
    # Everything is inline; the allow-list fetcher was never asked for a file.
    assert demo_report.result.fetched == []
    assert demo_report.result.refused == []
