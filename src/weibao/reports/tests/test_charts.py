"""SVG charts of report documents (RPT-07): well-formed, escaped, proportional, and drawn
in the PDF with the vendored CJK font."""

from __future__ import annotations

import datetime
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weibao.core.pdf import FONT_FAMILY
from weibao.reports import render
from weibao.reports.charts import svg_bar, svg_pie
from weibao.reports.models import Submission
from weibao.reports.tests.conftest import Setup, at, make_deliverable

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  (our own output)


def test_rpt07_bar_chart_is_well_formed_svg_with_escaped_chinese_labels():
    """RPT-07: labels are escaped (a label cannot inject markup) and kept in Chinese; the
    text uses the vendored CJK font."""
    svg = svg_bar(["一级", "<script>", "A&B"], [3, 1, 0], title="按故障等级")
    root = _parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "一级" in texts and "<script>" in texts and "A&B" in texts and "按故障等级" in texts
    assert "<script>" not in svg
    assert FONT_FAMILY in root.get("font-family", "")


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12))
def test_rpt07_bar_heights_are_proportional_to_the_values(values: list[int]):
    """RPT-07: each bar's height is its value over the largest value times the plot height;
    the largest bar is the tallest."""
    root = _parse(svg_bar([f"项{i}" for i in range(len(values))], values))
    heights = [float(r.get("height", "0")) for r in root.iter(f"{SVG}rect")]
    assert len(heights) == len(values)
    peak = max(values)
    if peak:
        tallest = max(heights)
        for value, height in zip(values, heights, strict=True):
            assert math.isclose(height, tallest * value / peak, abs_tol=0.11)
    else:
        assert all(h == 0 for h in heights)


def test_rpt07_grouped_bars_have_a_legend_per_series():
    """RPT-07: several series are drawn side by side with their names in a legend."""
    root = _parse(svg_bar(["响应", "修复"], [("达标", [3, 2]), ("超时", [1, 0])]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "达标" in texts and "超时" in texts
    assert len(list(root.iter(f"{SVG}rect"))) == 4 + 2  # bars + legend swatches


@given(st.lists(st.integers(min_value=0, max_value=1_000), min_size=1, max_size=8))
def test_rpt07_pie_shares_add_up_to_the_whole(values: list[int]):
    """RPT-07: the pie's legend gives each part's share; the shares add up to 100 % (an
    empty pie is drawn as a grey disc)."""
    svg = svg_pie([f"类{i}" for i in range(len(values))], values)
    _parse(svg)
    shares = [float(s) for s in re.findall(r"\(([\d.]+)%\)", svg)]
    if sum(values):
        assert math.isclose(sum(shares), 100.0, abs_tol=0.1 * len(values))
    else:
        assert 'fill="#eee"' in svg


@pytest.mark.pdf
def test_rpt07_chinese_chart_labels_render_in_the_pdf(outlets: Setup, tmp_path: Path):
    """RPT-07: a chart made here, inlined in the PDF, shows its Chinese title and labels
    (extracted by pdftotext), i.e. the vendored CJK font draws them."""
    deliverable = make_deliverable(outlets.contract, "monthly-charts", name="运维月报",
                                   sections=["tickets"])
    submission = Submission.objects.create(
        contract=outlets.contract, deliverable=deliverable, key="2025-10",
        period_start=datetime.date(2025, 10, 1), period_end=datetime.date(2025, 10, 31),
        due_at=at("2025-11-21 23:59"))
    data = {"period": {"start": "2025-10-01", "end": "2025-10-31"},
            "tickets": {"opened": 4, "by_level": {"一级": 3, "二级": 1},
                        "charts": [svg_pie(["一级", "二级"], [3, 1], title="按故障等级"),
                                   svg_bar(["硬件故障"], [4], title="按工单类型")]}}
    target = tmp_path / "report.pdf"
    target.write_bytes(render.render_pdf(submission, data))
    command = [shutil.which("pdftotext") or "pdftotext", "-enc", "UTF-8", str(target), "-"]
    text = subprocess.run(command, capture_output=True, check=True,  # noqa: S603
                          text=True).stdout
    for word in ("按故障等级", "按工单类型", "硬件故障"):
        assert word in text
