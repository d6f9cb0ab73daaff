"""How long a chart's PNG export takes: the first (browser start) and warm ones.

    .venv/bin/python -m benchmarks.export_png [WAREHOUSE_DIR]

Not a test: it prints measurements taken side by side in one run.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from app.present import pages
from app.reports import exports, renderer
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import defaults
from etl.config import settings


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else settings().warehouse_dir
    warehouse = Warehouse(folder)
    charts = [c for c in pages.everything(warehouse, defaults(warehouse.options), Rule("vipunen")) if not c.empty]
    meta = exports.Meta("Benchmark", warehouse.built_at, "", "", "Finland", warehouse.synthetic)
    start = time.perf_counter()
    exports.image(charts[0], meta, "png")
    cold = time.perf_counter() - start
    warm = []
    for _ in range(3):
        for chart in charts:
            renderer.RENDERER.forget()   # each render drawn, not taken from the cache
            start = time.perf_counter()
            exports.image(chart, meta, "png")
            warm.append(time.perf_counter() - start)
    median = statistics.median(warm)
    print(f"charts: {len(charts)}, warm renders: {len(warm)}")
    print(f"first PNG (starts the browser): {cold:.2f} s")
    print(f"warm PNG: median {median:.3f} s, slowest {max(warm):.3f} s")
    print(f"first / warm: {cold / median:.1f}x")


if __name__ == "__main__":
    main()
