"""The benchmark suite: every figure measured side by side in one run.

    .venv/bin/python -m benchmarks.run                 # 1M, 5M and 10M rows; writes BENCHMARKS.md
    .venv/bin/python -m benchmarks.run --sizes 1M      # a quick look

Not part of the tests: the machine is shared and noisy, so what counts are the
ratios between things measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("BENCHMARK_DIR", Path(tempfile.gettempdir()) / "intl-dashboard-benchmarks"))
KEY = {"ETL_PSEUDONYM_KEY": "benchmark-key-not-secret-0123456789"}
PEAK = "import re; print('PEAK', re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])"


def timed(args: list[str], env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{args[:4]} failed:\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def rows(text: str) -> int:
    return int(float(text[:-1]) * 1_000_000) if text.endswith("M") else int(text)


def duckdb_copy(raw: Path, out: Path) -> float:
    code = (f"import duckdb; c = duckdb.connect()\n"
            f"for kind in ('staff', 'students', 'mobility', 'partners'):\n"
            f"    c.execute(f\"COPY (SELECT * FROM read_csv('{raw}/{{kind}}*.csv', union_by_name=true, "
            f"all_varchar=true)) TO '{out}/{{kind}}.parquet' (FORMAT parquet, COMPRESSION zstd)\")")
    out.mkdir(parents=True, exist_ok=True)
    return timed([sys.executable, "-c", code])[0]


def our_etl(raw: Path, out: Path) -> tuple[float, int]:
    code = ("import sys; from etl.cli import main; code = main(['build', sys.argv[1], '--out', sys.argv[2]]);"
            f"{PEAK}; sys.exit(code)")
    elapsed, stdout = timed([sys.executable, "-c", code, str(raw), str(out)], KEY)
    return elapsed, int(re.search(r"PEAK (\d+)", stdout)[1]) // 1024


NAIVE = """
import sys, pandas as pd
from pathlib import Path
from etl.countries import citizenship
raw, out = Path(sys.argv[1]), Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
for kind, column in (("staff", "kansalaisuus"), ("students", "citizenship"), ("mobility", "partner_country"),
                     ("partners", "country")):
    frames = [pd.read_csv(p, sep=";" if kind == "staff" else ",", dtype=str, keep_default_na=False)
              for p in sorted(raw.glob(kind + "*.csv"))]
    df = pd.concat(frames)
    df["country"] = df[column].map(lambda v: citizenship(v, "FIN"))
    df.to_parquet(out / (kind + ".parquet"))
"""


def naive_pandas(raw: Path, out: Path) -> float:
    return timed([sys.executable, "-c", NAIVE, str(raw), str(out)])[0]


RERUN = """
import json, os, statistics, sys, time
from streamlit.testing.v1 import AppTest
small, large, root = sys.argv[1:4]
pages = ["dashboard.py", "pages/1_staff.py", "pages/2_students.py", "pages/3_countries.py", "pages/4_mobility.py",
         "pages/5_partners.py", "pages/6_networks.py", "pages/7_methodology.py"]
TRIVIAL = "import streamlit as st\\nwith st.sidebar:\\n    r = st.slider('Years', 2005, 2024, (2005, 2024))\\nst.write(r)"
def app(page):
    if page == "trivial":
        return AppTest.from_string(TRIVIAL, default_timeout=120)
    at = AppTest.from_file(os.path.join(root, "dashboard.py"), default_timeout=120)
    if page != "dashboard.py":
        at.switch_page(page)
    return at
result = {"small": {}, "large": {}}
for page in ["trivial", *pages]:
    # Both sizes side by side, turn about, so that the machine's noise falls on both alike.
    apps = {}
    for size, folder in (("small", small), ("large", large)):
        os.environ["WAREHOUSE_DIR"] = folder
        apps[size] = app(page)
        apps[size].run()
    times = {"small": [], "large": []}
    for first in (2012, 2011, 2013, 2010, 2014, 2012, 2011, 2013, 2010, 2014, 2012):
        for size, folder in (("small", small), ("large", large)):
            os.environ["WAREHOUSE_DIR"] = folder
            at = apps[size]
            at.sidebar.slider[0].set_range(first, 2020)
            start = time.perf_counter(); at.run(); times[size].append(time.perf_counter() - start)
            assert not at.exception, at.exception
    for size in times:
        result[size][page] = statistics.median(times[size][2:])
print(json.dumps(result))
"""


def filter_change(small: Path, large: Path) -> dict[str, dict[str, float]]:
    """Median server-side time of a filter change on each page, both warehouses measured in turn."""
    import json
    out = timed([sys.executable, "-c", RERUN, str(small), str(large), str(ROOT)])[1]
    return json.loads(out.strip().splitlines()[-1])


def png_export(warehouse: Path) -> str:
    return timed([sys.executable, "-m", "benchmarks.export_png", str(warehouse)])[1]


def full_report(warehouse: Path) -> str:
    return timed([sys.executable, "-m", "benchmarks.full_report", str(warehouse)])[1]


COLD = """
import os, subprocess, sys, time, socket
from playwright.sync_api import sync_playwright
warehouse, command = sys.argv[1], sys.argv[2:]
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
    page = browser.new_page()
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, *command, "--server.port", str(port), "--server.headless", "true"],
                              env={**os.environ, "WAREHOUSE_DIR": warehouse},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}/", timeout=2000); break
            except Exception:
                time.sleep(0.05)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
        print(time.perf_counter() - start)
    finally:
        server.terminate(); server.wait(10); browser.close()
"""

TRIVIAL_APP = """import plotly.graph_objects as go
import streamlit as st
st.title("Trivial")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])))
"""

# How bin/dashboard starts the dashboard.
OURS = ["-m", "app.web.serve"]


def cold_start(warehouse: Path, rounds: int = 3) -> tuple[float, float]:
    """Best of `rounds`, ours and the trivial app taking turns."""
    trivial = WORK / "trivial_app.py"
    trivial.write_text(TRIVIAL_APP)
    ours, base = [], []
    for _ in range(rounds):
        ours.append(float(timed([sys.executable, "-c", COLD, str(warehouse), *OURS])[1]))
        base.append(float(timed([sys.executable, "-c", COLD, str(warehouse), "-m", "streamlit", "run", str(trivial)])[1]))
    return min(ours), min(base)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1M,5M,10M")
    parser.add_argument("--naive-up-to", default="5M", help="largest size for the naive pandas ETL")
    parser.add_argument("--write", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    from benchmarks.data import write, write_mobility

    WORK.mkdir(parents=True, exist_ok=True)
    sizes = [s.strip() for s in args.sizes.split(",")]
    lines, warehouses = [], {}
    etl_rows = []
    for size in sizes:
        raw = WORK / f"raw-{size}"
        if not raw.exists():
            write(raw, rows(size))
        if not (raw / "partners.csv").exists():
            write_mobility(raw, rows(size) // 20)
        copy = duckdb_copy(raw, WORK / f"copy-{size}")
        ours, peak = our_etl(raw, WORK / f"warehouse-{size}")
        warehouses[size] = WORK / f"warehouse-{size}"
        naive = naive_pandas(raw, WORK / f"naive-{size}") if rows(size) <= rows(args.naive_up_to) else None
        etl_rows.append((size, copy, ours, peak, naive))
        print(f"{size}: duckdb copy {copy:.1f} s, ours {ours:.1f} s ({ours / copy:.1f}x), peak {peak} MiB"
              + (f", naive pandas {naive:.1f} s ({naive / ours:.1f}x ours)" if naive else ""), flush=True)

    measured = filter_change(warehouses[sizes[0]], warehouses[sizes[-1]])
    reruns = {sizes[0]: measured["small"], sizes[-1]: measured["large"]}
    for size, result in reruns.items():
        print(size, {k: round(v * 1000) for k, v in result.items()}, flush=True)
    png = png_export(warehouses[sizes[0]])
    print(png, flush=True)
    report = full_report(warehouses[sizes[0]])
    print(report, flush=True)
    ours_cold, base_cold = cold_start(warehouses[sizes[0]])
    print(f"cold start: ours {ours_cold:.2f} s, trivial {base_cold:.2f} s", flush=True)

    lines += [
        "# Benchmarks", "",
        f"Measured {dt.date.today().isoformat()} on {machine()}, by `python -m benchmarks.run --sizes {args.sizes}`.",
        "Every row was measured in the same run, side by side; the machine is shared and noisy, so ratios count more "
        "than seconds. Synthetic exports from `benchmarks/data.py`: a quarter staff, the rest students, 20 years, "
        "Finnish and English vocabulary, 56 country spellings, blanks and dual citizenships; besides the rows "
        "counted, exchange periods (5% as many) with 2,000 partner institutions.", "",
        "## ETL", "",
        "| rows | DuckDB bare `COPY` of the same CSVs | our ETL | ratio (target ≤ 2.0 at 5M, 10M) | peak RSS (target ≤ 1 GiB at 5M) | naive pandas ETL | our speed-up over naive |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size, copy, ours, peak, naive in etl_rows:
        lines.append(f"| {size} | {copy:.1f} s | {ours:.1f} s | {ours / copy:.1f}× | {peak} MiB | "
                     + (f"{naive:.1f} s | {naive / ours:.1f}× |" if naive else "— | — |"))
    first, last = sizes[0], sizes[-1]
    lines += ["", "## Dashboard: server-side time of a filter change (AppTest rerun, median)", "",
              "Both sizes measured in turn in one process, eleven changes of the year filter each (median of the "
              "last nine); a trivial one-slider page for scale.", "",
              f"| page | {first} rows | {last} rows | {last} / {first} (target ≤ 1.2) | at {last}: target ≤ 100 ms |",
              "| --- | --- | --- | --- | --- |"]
    for page in reruns[first]:
        a, b = reruns[first][page], reruns[last][page]
        lines.append(f"| {page} | {a * 1000:.0f} ms | {b * 1000:.0f} ms | {b / a:.2f} | "
                     f"{'met' if b <= 0.1 else 'not met'} |")
    lines += ["", "## Exports and start-up", "", "```", png.strip(), "```", "",
              "The full report of the whole dashboard (`python -m benchmarks.full_report`; target ≤ 10 s warm):", "",
              "```", report.strip(), "```", "",
              f"Cold start, from starting the server to the first chart drawn in Chromium (best of three, taking "
              f"turns): ours (`python -m app.web.serve`, as `bin/dashboard` starts it) {ours_cold:.2f} s, a trivial "
              f"one-chart app (`streamlit run`) {base_cold:.2f} s: +{ours_cold - base_cold:.2f} s (target ≤ +1 s).", ""]
    Path(args.write).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
