"""How long the full report (every chart of every page: images, data, deck, PDF) takes, side by side in one run:

    .venv/bin/python -m benchmarks.full_report [WAREHOUSE_DIR]

- cold: a fresh process, the browser not yet started;
- warm: the browser running, no image drawn and no figure made before (the first report of a filter set);
- again: the same filter set once more (its figures and images kept);
- for scale, the images the old pack drew (PNG and SVG of every chart) one at a time through kaleido's own
  blocking server, which reloads its tab after every figure.

Not a test: it prints measurements taken side by side in one run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import defaults
from app.present import methodology, pages
from app.reports import exports, packs, renderer
from app.words import labels
from etl.config import settings


def report(warehouse: Warehouse) -> tuple[float, int, int]:
    start = time.perf_counter()
    f, rule = defaults(warehouse.options), Rule("vipunen")
    made: list = []

    def charts():   # as the app passes them: made one by one while the pack draws
        for chart in pages.everything(warehouse, f, rule):
            made.append(chart)
            yield chart
    data = packs.pack(charts(), exports.Meta.of(warehouse, f, rule), "Full report",
                      methodology.as_text(warehouse.manifest, labels.country(warehouse.home), rule))
    return time.perf_counter() - start, len([c for c in made if not c.empty]), len(data)


def kaleido_one_by_one(warehouse: Warehouse) -> float:
    import kaleido

    f, rule = defaults(warehouse.options), Rule("vipunen")
    charts = [c for c in pages.everything(warehouse, f, rule) if not c.empty]
    meta = exports.Meta.of(warehouse, f, rule)
    topojson = exports.TOPOJSON.as_uri() + "/"
    kaleido.start_sync_server(n=1, timeout=60, silence_warnings=True)
    kaleido.calc_fig_sync(exports.figure_for_export(charts[0], meta), opts=exports._options("svg"), topojson=topojson)
    start = time.perf_counter()
    for chart in charts:
        for fmt in ("png", "svg"):
            kaleido.calc_fig_sync(exports.figure_for_export(chart, meta), opts=exports._options(fmt),
                                  topojson=topojson)
    elapsed = time.perf_counter() - start
    kaleido.stop_sync_server(silence_warnings=True)
    return elapsed


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else settings().warehouse_dir
    cold, charts, size = report(Warehouse(folder))
    renderer.RENDERER.forget()
    warehouse = Warehouse(folder)   # opened anew: its figures are made again (a warehouse keeps those it made)
    warm, _, _ = report(warehouse)
    again, _, _ = report(warehouse)
    old = kaleido_one_by_one(warehouse)
    print(f"full report: {charts} charts, {3 * charts} images, a deck, a PDF; ZIP {size / 2**20:.1f} MiB")
    print(f"cold (browser starts): {cold:.2f} s")
    print(f"warm (browser running, nothing drawn before): {warm:.2f} s")
    print(f"again (same filters, figures and images kept): {again:.2f} s")
    print(f"old way, only the {2 * charts} PNG and SVG images, one at a time: {old:.2f} s "
          f"({old / warm:.1f}x the whole warm report)")


if __name__ == "__main__":
    main()
