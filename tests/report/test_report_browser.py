"""The HTML report in a real browser: Debian's headless Chromium, network off, a fresh profile.
It must render (screenshot), and the findings filters and the diagram zoom must work."""

from __future__ import annotations

import re
import struct
from pathlib import Path

from report_helpers import chromium

# Appended to a copy of the report: drives the page as a user would, after its own script ran.
DRIVER = """
<script>
document.addEventListener("DOMContentLoaded", function () {
  var results = {};
  var c = document.querySelector('[data-filter="component"]');
  var s = document.querySelector('[data-filter="severity"]');
  results.controls = !document.querySelector("[data-filters]").hidden;
  function visible() {
    return Array.prototype.filter.call(document.querySelectorAll("li.finding"),
      function (li) { return !li.hidden; }).map(function (li) {
        return li.dataset.component + "/" + li.dataset.severity; });
  }
  results.all = visible();
  c.value = "person"; c.dispatchEvent(new Event("change"));
  results.person = visible();
  s.value = "high"; s.dispatchEvent(new Event("change"));
  results.person_high = visible();
  c.value = ""; c.dispatchEvent(new Event("change"));
  results.high = visible();
  var svg = document.querySelector("[data-diagram] svg");
  function box() { var b = svg.viewBox.baseVal; return [b.x, b.y, b.width, b.height].map(Math.round).join(" "); }
  var before = box();
  document.querySelector('[data-zoom="in"]').click();
  results.zoomed = box() !== before;
  document.querySelector('[data-zoom="reset"]').click();
  results.reset = box() === before;
  var out = document.createElement("pre");
  out.id = "driver-results";
  out.textContent = JSON.stringify(results);
  document.body.appendChild(out);
});
</script>
"""


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_report_renders_in_headless_chromium(demo_report, tmp_path):
    shot = tmp_path / "report.png"
    chromium(demo_report.path("html"), tmp_path / "profile", "--window-size=1280,1600",
             f"--screenshot={shot}")
    assert png_size(shot) == (1280, 1600)
    assert shot.stat().st_size > 50_000  # a rendered page, not a blank one


def test_filters_and_zoom_work_in_chromium(demo_report, tmp_path):
    import json

    page = tmp_path / "driven.html"
    page.write_text(demo_report.text("html").replace("</body>", DRIVER + "</body>"),
                    encoding="utf-8")
    dom = chromium(page, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom")
    match = re.search(r'<pre id="driver-results">(.*?)</pre>', dom, re.S)
    assert match, dom[-2000:]
    results = json.loads(match.group(1).replace("&quot;", '"'))
    findings = demo_report.assessment.findings
    assert results["controls"] is True
    assert len(results["all"]) == len(findings)
    assert sorted(results["person"]) == sorted(
        f"{f.component}/{f.severity}" for f in findings if f.component == "person")
    assert sorted(results["person_high"]) == sorted(
        f"{f.component}/{f.severity}" for f in findings
        if f.component == "person" and f.severity in ("high", "critical"))
    assert sorted(results["high"]) == sorted(
        f"{f.component}/{f.severity}" for f in findings if f.severity in ("high", "critical"))
    assert 0 < len(results["person_high"]) < len(results["person"]) < len(results["all"])
    assert results["zoomed"] is True and results["reset"] is True


def test_without_script_the_page_is_complete(demo_report, tmp_path):
    # The page as a browser with scripting off sees it: the report's one script removed.
    html = demo_report.text("html")
    page = tmp_path / "static.html"
    page.write_text(re.sub(r"<script>.*?</script>", "", html, flags=re.S), encoding="utf-8")
    dom = chromium(page, tmp_path / "profile", "--dump-dom")
    # Every finding is shown and the controls that need the script stay hidden.
    assert dom.count('class="finding"') == len(demo_report.assessment.findings)
    assert re.search(r'<div class="filters" data-filters="" hidden="">', dom)
