"""A PowerPoint deck of charts, ready to present: a 16:9 title slide (university,
date, filters, definition, rule), then one slide per chart whose title states
its finding, with the chart (its summary as alt text), source and rule in a
footer, and everything a presenter needs in the notes.

python-pptx's default template is 4:3; its placeholders are placed again here
for the 16:9 slide, so that nothing sits in the left three quarters only.
"""

from __future__ import annotations

import datetime as dt
import io

from app.present.views import Chart
from app.reports import exports
from app.reports.exports import Meta
from app.words.i18n import t

SLIDE_W, SLIDE_H = 12_192_000, 6_858_000          # 13.33 x 7.5 inches in EMU: 16:9
MARGIN = 457_200                                  # 0.5 inch
INCH = 914_400
GREY = (0x4B, 0x55, 0x63)


def _place(shape, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _text(frame, lines: list[str], size: int, bold_first: bool = False, colour: tuple | None = None) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    frame.clear()
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT   # the template centres a cover's subtitle; lines of facts read left
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold_first and index == 0
        if colour:
            run.font.color.rgb = RGBColor(*colour)


def _title(slide, text: str) -> None:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE

    title = slide.shapes.title
    _place(title, MARGIN, int(0.25 * INCH), SLIDE_W - 2 * MARGIN, int(1.2 * INCH))
    # A finding is a sentence: long ones take a smaller size rather than running off the slide.
    _text(title.text_frame, [text], 26 if len(text) <= 90 else (22 if len(text) <= 140 else 19))
    title.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE


def deck(charts: list[Chart], meta: Meta, title: str, pictures: list[bytes]) -> bytes:
    """The deck; `pictures`: each chart's picture (JPEG) without footnote (the slide's footer says it), in the charts' order."""
    from pptx import Presentation

    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    deck.core_properties.title = title
    deck.core_properties.author = meta.university
    deck.core_properties.language = _language_tag()

    cover = deck.slides.add_slide(deck.slide_layouts[0])
    _place(cover.shapes.title, MARGIN, int(1.2 * INCH), SLIDE_W - 2 * MARGIN, int(1.6 * INCH))
    _text(cover.shapes.title.text_frame, [title], 40)
    subtitle = cover.placeholders[1]
    _place(subtitle, MARGIN, int(3.0 * INCH), SLIDE_W - 2 * MARGIN, int(3.9 * INCH))
    when = dt.date.today().isoformat()
    _text(subtitle.text_frame, [meta.university, t("Made {date}; data built {built}.", date=when,
                                                   built=meta.built_at[:10]),
                                meta.filters or t("Filters: none (all data)"), meta.definition(), meta.rule_note],
          18, bold_first=True)

    for chart, heading, picture in zip(charts, exports.headings(charts), pictures):
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        _title(slide, heading)
        top, bottom = int(1.55 * INCH), SLIDE_H - int(0.75 * INCH)
        height = bottom - top
        width = int(height * exports.WIDTH / exports.HEIGHT)
        shape = slide.shapes.add_picture(io.BytesIO(picture), (SLIDE_W - width) // 2, top,
                                           width=width, height=height)
        # The summary is the chart's text alternative, as on screen.
        shape._element.nvPicPr.cNvPr.set("descr", chart.summary)
        shape._element.nvPicPr.cNvPr.set("title", chart.title)
        footer = slide.shapes.add_textbox(MARGIN, bottom + int(0.05 * INCH), SLIDE_W - 2 * MARGIN,
                                          int(0.6 * INCH))
        _text(footer.text_frame, [meta.source(chart), meta.rule_note], 10, colour=GREY)
        slide.notes_slide.notes_text_frame.text = "\n\n".join(
            [chart.summary, f"{chart.title} – {chart.subtitle}" if chart.subtitle else chart.title,
             chart.filters or t("Filters: none (all data)"), *meta.lines(chart)])
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _language_tag() -> str:
    from app.words.i18n import language

    return {"en": "en-GB", "fi": "fi-FI", "sv": "sv-FI"}[language()]
