"""Regenerate weibao's built-in Word template for reports (RPT-07):
``src/weibao/reports/docx/report.docx``.

Run from the repository root: ``.venv/bin/python scripts/make_report_templates.py``.

The template is a docxtpl document (Jinja tags in the text). An administrator may download
it, restyle it in Word in the purchaser's format and upload it as a report template; the
context variables are listed in a comment on its first page and in docs/reports.md.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

TARGET = Path(__file__).resolve().parents[1] / "src" / "weibao" / "reports" / "docx" / "report.docx"

CONTEXT_HELP = """\
weibao 报告模板可用的变量 (docxtpl / Jinja):
title — 报告标题（交付物名称与期间）
contract.number, contract.title — 合同编号、名称（及 collect 提供的其他合同信息）
period.start, period.end, period.text — 报告期间
deliverable.code, deliverable.name — 交付物
due_at, generated_at — 应交时间、生成时间
labels.* — 固定用语（contract, period, due_at, generated_at, item, value, summary, empty）
sections — 各章节列表，每项: key, title, facts (label, value), tables (title, columns, rows),
  body（整章内容，用 {{p s.body }} 插入）
data — 收集的原始数据，如 data.tickets.total
循环示例: {%p for s in sections %} … {%p endfor %}"""


def _font(document: object) -> None:
    styles = document.styles  # type: ignore[attr-defined]
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = styles[name]
        style.font.name = "SimSun" if name == "Normal" else "SimHei"
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), style.font.name)
    styles["Normal"].font.size = Pt(10.5)


def build() -> None:
    document = Document()
    _font(document)
    title = document.add_paragraph("{{ title }}", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_comment(title.runs, text=CONTEXT_HELP, author="weibao", initials="WB")
    table = document.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    rows = (("{{ labels.contract }}", "{{ contract.number }} {{ contract.title }}"),
            ("{{ labels.period }}", "{{ period.text }}"),
            ("{{ labels.due_at }}", "{{ due_at }}"),
            ("{{ labels.generated_at }}", "{{ generated_at }}"))
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_paragraph("{%p for s in sections %}")
    document.add_paragraph("{{ loop.index }}. {{ s.title }}", style="Heading 1")
    document.add_paragraph("{{p s.body }}")
    document.add_paragraph("{%p endfor %}")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(TARGET))


if __name__ == "__main__":
    build()
    print(TARGET)
