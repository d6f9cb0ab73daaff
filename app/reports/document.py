"""A PDF report of charts, for those who circulate PDFs rather than decks: a
title page, one chart per page with its finding, summary, filters, source and
rule, and the methodology at the end, in the reader's language.

fpdf2 writes it: pure Python (nothing to compile or install beyond pip), kept
up by the py-pdf organisation with releases every few months, Unicode fonts,
image alt texts, a document language and bookmarks, which is what an
accessible report of charts and sentences needs. (WeasyPrint would need Pango
on the server; ReportLab's open-source edition writes no alt texts.)
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from pathlib import Path

from app.present.views import Chart
from app.reports import exports
from app.reports.exports import Meta
from app.words.i18n import language, t

# A font with every letter the three languages and the data need (ä, ö, å, –, ≥ …); Chromium's Debian package
# brings Liberation, most systems have DejaVu.
FONT_FAMILIES = (("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
                 ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                  "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"))
INK, GREY = (17, 24, 39), (75, 85, 99)


class PdfUnavailable(Exception):
    """No Unicode font on the server to write the PDF with."""


def _font() -> tuple[str, str]:
    for regular, bold in FONT_FAMILIES:
        if Path(regular).exists() and Path(bold).exists():
            return regular, bold
    raise PdfUnavailable("no Unicode font found (install fonts-dejavu-core or fonts-liberation)")


def _report_class():
    from fpdf import FPDF

    class Report(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Body", size=8)
            self.set_text_color(*GREY)
            self.cell(0, 6, self.footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, t("Page {page} of {pages}", page=self.page_no(), pages="{nb}"), align="R")

    return Report


def document(charts: list[Chart], meta: Meta, title: str, pictures: list[bytes], methodology: str) -> bytes:
    """The PDF; `pictures`: each chart's picture (JPEG) without footnote (the page's text says it), in the charts' order;
    `methodology`: the methodology page's text (Markdown headings, paragraphs and **bold**)."""
    regular, bold = _font()
    pdf = _report_class()(orientation="landscape", format="A4")
    pdf.add_font("Body", "", regular)
    pdf.add_font("Body", "B", bold)
    pdf.set_lang(language())
    pdf.set_title(title)
    pdf.set_author(meta.university)
    pdf.set_creation_date(dt.datetime.now(dt.timezone.utc))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(15, 14, 15)
    pdf.footer_text = f"{meta.university} · {title}"

    pdf.add_page()
    pdf.start_section(title)
    pdf.set_y(45)
    _paragraph(pdf, title, 28, bold=True)
    pdf.ln(4)
    _paragraph(pdf, meta.university, 16, bold=True)
    _paragraph(pdf, t("Made {date}; data built {built}.", date=dt.date.today().isoformat(), built=meta.built_at[:10]),
               12, colour=GREY)
    pdf.ln(6)
    for line in (meta.filters or t("Filters: none (all data)"), meta.definition(), meta.rule_note):
        _paragraph(pdf, line, 12)
        pdf.ln(1)
    pdf.add_page()
    headings = exports.headings(charts)
    # One line an entry, so the pages the contents take are known before the pages they list.
    pdf.insert_toc_placeholder(_contents, pages=_contents_pages(pdf, len(charts)))

    for number, (chart, heading, picture) in enumerate(zip(charts, headings, pictures), start=1):
        if number > 1:   # the contents' placeholder ends with a page break: the first chart has its page already
            pdf.add_page()
        pdf.start_section(f"{number}. {heading}")
        _paragraph(pdf, f"{number}. {heading}", 15, bold=True)
        pdf.ln(1)
        notes = [(chart.summary, 10), *((line, 8) for line in (chart.filters or t("Filters: none (all data)"),
                                                               *meta.lines(chart)))]
        # The picture takes what the words under it leave: a long summary never pushes them onto another page.
        below = sum(_height(pdf, text, size) for text, size in notes) + 6
        room = pdf.h - pdf.b_margin - pdf.get_y() - below
        height = min(pdf.epw * 0.84 * exports.HEIGHT / exports.WIDTH, room)
        width = height * exports.WIDTH / exports.HEIGHT
        pdf.image(io.BytesIO(picture), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height,
                  alt_text=chart.summary, title=chart.title)
        pdf.ln(2)
        for index, (text, size) in enumerate(notes):
            _paragraph(pdf, text, size, colour=INK if index == 0 else GREY)
            if index == 0:
                pdf.ln(1)

    pdf.add_page()
    pdf.start_section(t("Methodology and data"))
    _paragraph(pdf, t("Methodology and data"), 18, bold=True)
    for block in methodology.split("\n\n"):
        block = block.strip()
        if block.startswith("#"):
            pdf.ln(2)
            _paragraph(pdf, block.lstrip("#").strip(), 13, bold=True)
        elif block:
            _paragraph(pdf, block, 10, markdown=True)
        pdf.ln(1.5)
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()


CONTENTS_LINE = 6.2        # mm, one entry of the contents
CONTENTS_HEADING = 14      # mm, the heading "Contents" and the space under it (with a line to spare)


def _contents_pages(pdf, entries: int) -> int:
    """How many pages the contents take: as many entries a page as fit (a reserved page left empty was a blank
    page in the report)."""
    room = pdf.h - pdf.t_margin - pdf.b_margin
    first = int((room - CONTENTS_HEADING) // CONTENTS_LINE)
    rest = int((room - CONTENTS_LINE) // CONTENTS_LINE)
    return 1 if entries <= first else 1 + math.ceil((entries - first) / rest)


def _contents(pdf, outline) -> None:
    """Each chart's heading and the page it is on (the title page is not listed)."""
    pdf.set_x(pdf.l_margin)   # drawn at the end, from wherever the last page left off
    _paragraph(pdf, t("Contents"), 16, bold=True)
    pdf.ln(2)
    pdf.set_font("Body", "", 10)
    pdf.set_text_color(*INK)
    number_width = 14
    for section in outline[1:]:
        text = section.name
        while pdf.get_string_width(text) > pdf.epw - number_width - 2 and len(text) > 4:
            text = text[:-2].rstrip() + "…"
        link = pdf.add_link(page=section.page_number)
        pdf.cell(pdf.epw - number_width, CONTENTS_LINE, text, link=link)
        pdf.cell(number_width, CONTENTS_LINE, str(section.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT")


def _height(pdf, text: str, size: float) -> float:
    pdf.set_font("Body", "", size)
    return len(pdf.multi_cell(0, size * 0.5, text, dry_run=True, output="LINES")) * size * 0.5


def _paragraph(pdf, text: str, size: float, bold: bool = False, colour: tuple = INK, markdown: bool = False) -> None:
    pdf.set_font("Body", "B" if bold else "", size)
    pdf.set_text_color(*colour)
    if markdown:   # fpdf2 knows **bold** and __italics__; the methodology's *italics* and escapes are plain here
        text = re.sub(r"(?<!\*)\*(?!\*)([^*]+)(?<!\*)\*(?!\*)", r"\1", text)
        text = re.sub(r"\\(.)", r"\1", text).replace("--", "–")
    pdf.multi_cell(0, size * 0.5, text, markdown=markdown, align="L", new_x="LMARGIN", new_y="NEXT")
