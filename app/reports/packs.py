"""Report packs: a ZIP with every chart as PNG, SVG, CSV and Excel, a PowerPoint
deck and a PDF report, made step by step with progress told to the caller.

Images are drawn side by side (`renderer`), and an image drawn once for a set
of filters is not drawn again.
"""

from __future__ import annotations

import concurrent.futures
import io
import logging
import time
import zipfile
from collections.abc import Callable, Iterable

from app.present.views import Chart
from app.reports import document, exports, renderer, slides
from app.reports.exports import Meta
from app.words import safe_text
from app.words.i18n import t

log = logging.getLogger("dashboard.packs")
# Files compressed already (a PNG; a deck and a spreadsheet, ZIPs themselves) are stored as they are: compressing
# the full report's deck again took 0.15 s and saved 0.3%. Not the PDF: its JPEGs (charts, much of them white) lose
# a quarter of their size.
STORED = zipfile.ZIP_STORED
Progress = Callable[[str, float], None]   # what is being done, in words; how much of the whole is done (0–1)


class PackFailed(Exception):
    """A pack could not be made; the message says why in the reader's language."""


def _quiet(text: str, done: float) -> None:
    pass


def pack(charts: Iterable[Chart], meta: Meta, title: str, methodology: str, with_images: bool = True,
         progress: Progress = _quiet) -> bytes:
    """The ZIP. Without images (no Chromium on the server) it holds the data files and a README only. `charts` may
    come one by one while they are made (`pages.everything`): each one's slide picture is asked for as it comes, so
    that Chromium draws while the next ones are made."""
    # The images are asked for first, the slides' pictures before the files: Chromium draws them while the data
    # files, then the deck and the PDF are written here (one after the other, the report took twice as long on two
    # cores).
    drawing = _Drawing(meta, progress) if with_images else None
    try:
        made = []
        for chart in charts:
            made.append(chart)
            if drawing is not None and not chart.empty:
                drawing.slide(chart)
        # Charts with nothing to show are not drawn, but named with why, in the README and the PDF.
        not_drawn = [t("{title}: {reason}", title=f"{c.title} ({c.scope})" if c.scope else c.title,
                       reason=c.empty_reason or t("nothing to show for these filters."))
                     for c in made if c.empty]
        if not_drawn:
            methodology = "\n\n".join(["## " + t("Not drawn"), "\n".join(f"- {line}" for line in not_drawn),
                                         methodology])
        shown = [c for c in made if not c.empty]
        if drawing is not None:
            drawing.files(shown)
        return _zipped(shown, meta, title, methodology, drawing, not_drawn, progress)
    except BaseException:   # a failure, or the visitor left: the images are no longer waited for
        if drawing is not None:
            drawing.cancel()
        raise


def _zipped(charts: list[Chart], meta: Meta, title: str, methodology: str, drawing: _Drawing | None,
            not_drawn: list[str], progress: Progress) -> bytes:
    buffer = io.BytesIO()
    names: set[str] = set()
    left_out: list[str] = []

    def unique(name: str) -> str:
        """Two charts whose titles read alike (two networks' charts) must not overwrite each other's files."""
        stem, dot, extension = name.rpartition(".")
        number, candidate = 2, name
        while candidate in names:
            candidate, number = f"{stem}-{number}{dot}{extension}", number + 1
        names.add(candidate)
        return candidate

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        def put(name: str, data: bytes | str, compression: int = zipfile.ZIP_DEFLATED) -> None:
            # Readable by all, as a file saved from the browser is: writestr gave each file rw------- when unzipped.
            info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
            info.external_attr, info.compress_type = 0o644 << 16, compression
            archive.writestr(info, data)

        progress(t("Writing the data files (CSV and Excel)…"), 0.02)
        # By position, not by key: two charts may share a key (two networks whose names read alike).
        files = [{ext: unique(exports.file_name(chart, ext)) for ext in ("csv", "xlsx", "png", "svg")}
                 for chart in charts]
        for chart, named in zip(charts, files):
            put(named["csv"], exports.csv_bytes(chart, meta))
            put(named["xlsx"], exports.xlsx_bytes(chart, meta), STORED)
        if drawing is not None and charts:
            pictures = drawing.wait("slide")
            name = _name(title, charts, meta)
            progress(t("Building the slides…"), drawing.share())
            put(f"{name}.pptx", slides.deck(charts, meta, title, pictures), STORED)
            progress(t("Building the PDF report…"), drawing.share())
            try:
                put(f"{name}.pdf", document.document(charts, meta, title, pictures, methodology))
            except document.PdfUnavailable:   # the rest of the pack is still worth having
                log.exception("PDF left out of a report pack")
                left_out.append(t("The PDF report is left out: the server has no font to write it with (its "
                                  "administrator can install fonts-dejavu-core)."))
            for named, png, svg in zip(files, drawing.wait("png"), drawing.wait("svg")):
                put(named["png"], png, STORED)
                put(named["svg"], svg)
        put(t("README") + ".txt", _readme(charts, meta, title, drawing is not None, left_out, not_drawn))
        progress(t("Packing the ZIP…"), 0.97)
    progress(t("Ready."), 1.0)
    return buffer.getvalue()


def _name(title: str, charts: list[Chart], meta: Meta) -> str:
    # The years chosen: a whole-university chart (a target's series) may reach beyond them.
    chosen = [c for c in charts if not c.whole] or charts
    years = (min(c.years[0] for c in chosen), max(c.years[1] for c in chosen))
    about_people = any(c.definition for c in charts)
    return f"{safe_text.slug(title)}_{exports.years_part(years)}" \
           f"{exports.definition_tag(meta.definition_key) if about_people else ''}"


def zip_name(title: str, years: tuple[int, int], filters: str, definition: str = "") -> str:
    """The pack's file name in the reader's language, with its years, the definition of international when not
    the register's, and the filters beyond them: two packs with different choices do not take one name."""
    return f"{safe_text.slug(title)}_{exports.years_part(years)}{exports.definition_tag(definition)}" \
           f"{exports.filters_tag(filters)}.zip"


class _Drawing:
    """Every chart's picture for a slide or page, PNG and SVG, drawn side by side (`renderer`): the slides'
    pictures asked for as the charts come, the files once all have come; each kind waited for in the charts'
    order, with the images done told as progress."""

    KINDS = ("slide", "png", "svg")

    def __init__(self, meta: Meta, progress: Progress) -> None:
        self._meta, self._progress = meta, progress
        self._futures: dict[str, list[concurrent.futures.Future]] = {kind: [] for kind in self.KINDS}

    def slide(self, chart: Chart) -> None:
        self._ask("slide", lambda: exports.picture_later(chart, self._meta))

    def files(self, charts: list[Chart]) -> None:
        for chart in charts:
            self._ask("png", lambda: exports.image_later(chart, self._meta, "png"))
            self._ask("svg", lambda: exports.image_later(chart, self._meta, "svg"))

    def _ask(self, kind: str, later: Callable[[], concurrent.futures.Future]) -> None:
        try:
            self._futures[kind].append(later())
        except renderer.RenderFailed as error:   # the browser did not start; pack() cancels the rest
            raise _failed(error) from error

    def share(self) -> float:
        """How much of the pack is done: drawing takes most of it."""
        futures = [future for kind in self.KINDS for future in self._futures[kind]]
        return 0.05 + 0.9 * sum(future.done() for future in futures) / max(len(futures), 1)

    def wait(self, kind: str) -> list[bytes]:
        """The images of one kind; the slides' first, then the PNG and SVG files, each told as its own step (told
        as one count of all images, the files' drawing after the PDF read as going back)."""
        futures = self._futures[kind] if kind == "slide" else self._futures["png"] + self._futures["svg"]
        images = []
        try:
            for future in self._futures[kind]:
                images.append(future.result(timeout=renderer.TIMEOUT_S * 4))
                done, count = sum(f.done() for f in futures), len(futures)
                self._progress(t("Drawing the charts for the slides and the PDF: {done} of {count}…", done=done,
                                 count=count) if kind == "slide" else
                               t("Drawing the charts as PNG and SVG files: {done} of {count}…", done=done,
                                 count=count), self.share())
        except (renderer.RenderFailed, concurrent.futures.TimeoutError) as error:   # pack() then cancels the rest
            raise _failed(error) from error
        return images

    def cancel(self) -> None:
        """Stop waiting for the images. Those the browser is drawing are drawn and kept (renderer's cache):
        stopping a tab mid-figure would cost its restart, and a second try asks for the same images."""
        for futures in self._futures.values():
            for future in futures:
                future.cancel()


def _failed(error: Exception) -> PackFailed:
    return PackFailed(t("The charts could not be drawn as images ({error}). The server's browser may have stopped; "
                        "try again.", error=str(error) or t("it took too long")))


def _readme(charts: list[Chart], meta: Meta, title: str, with_images: bool, left_out: list[str],
            not_drawn: list[str]) -> bytes:
    lines = [title, "", meta.university, meta.filters or t("Filters: none (all data)"), meta.definition(),
             meta.rule_note, "", *left_out, *([""] if left_out else [])]
    if not_drawn:
        lines += [t("Not drawn:"), *(f"- {line}" for line in not_drawn), ""]
    if with_images:
        lines += [t("The deck (.pptx) and the PDF report hold every chart with its finding, summary and source; "
                    "each chart is also here as an image (PNG for slides, SVG for print) and as data (CSV, Excel)."),
                  ""]
    else:
        lines += [t("Images, slides and the PDF need Chromium on the server; this pack holds the data only."), ""]
    for chart in charts:
        lines += [chart.title, chart.summary, meta.source(chart), ""]
    return ("\n".join(lines)).encode("utf-8")
