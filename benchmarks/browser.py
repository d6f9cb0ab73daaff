"""Time in the browser, as a person feels it: ours beside a trivial two-page Streamlit app, in one run.

    .venv/bin/python -m benchmarks.browser WAREHOUSE_DIR [--rounds N]

Each measurement runs in Chromium (Debian's, as the browser tests use) against a real server:

- cold start: from starting the server (a browser already open) to the first chart drawn;
- filter change: a new first year picked in the sidebar, until the script has finished and every chart is drawn;
- page switch: a sidebar link clicked, until the new page's script has finished and every chart is drawn; told
  apart: the first visit of a page with the filters in force, and a page seen before with them (whose figures
  the dashboard keeps);
- tab switch (ours only; the trivial app has no tabs): a Mobility tab clicked, until its charts are drawn; the
  first opening of a tab and a tab opened before, told apart likewise.

"Finished" is Streamlit's own message that the script run ended (read from the websocket), "drawn" is every
Plotly chart on the page holding its SVG with nothing stale or loading. The trivial app has the same sidebar
widgets for years (two lists) and a chart on each page, so the difference is what our pages cost. The apps take
turns, and each figure is the median of its rounds. Prints one JSON line at the end for `benchmarks.run`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]

TRIVIAL_MAIN = '''import plotly.graph_objects as go
import streamlit as st
years = list(range(2005, 2025))
with st.sidebar:
    first = st.selectbox("First year", years, key="first")
    last = st.selectbox("Last year", years, index=len(years) - 1, key="last")
st.title("Trivial")
shown = [y for y in years if first <= y <= last]
st.plotly_chart(go.Figure(go.Scatter(x=shown, y=[y % 7 for y in shown])))
'''
TRIVIAL_OTHER = '''import plotly.graph_objects as go
import streamlit as st
st.title("Other")
st.plotly_chart(go.Figure(go.Bar(x=[1, 2, 3], y=[3, 1, 2])))
'''

# Every chart drawn, none stale, none still loading its code.
DRAWN = """() => {
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    const drawn = document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg');
    return charts.length > 0 && drawn.length >= charts.length
        && !document.querySelector('[data-stale="true"]') && !document.querySelector('[data-testid="stSkeleton"]');
}"""


PAGE_FIRST, PAGE_AGAIN = "page switch (first visit)", "page switch (seen before)"
TAB_FIRST, TAB_AGAIN = "tab switch (first visit)", "tab switch (seen before)"
MEASURES = ("filter change", PAGE_FIRST, PAGE_AGAIN, TAB_FIRST, TAB_AGAIN, "cold start")


def trivial_app(folder: Path) -> Path:
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    (folder / "trivial.py").write_text(TRIVIAL_MAIN)
    (folder / "pages" / "2_other.py").write_text(TRIVIAL_OTHER)
    return folder / "trivial.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(command: list[str], warehouse: Path, cwd: Path = ROOT) -> Iterator[tuple[str, float]]:
    """A server on a free port; yields its address and the moment it was started."""
    port = _free_port()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, *command, "--server.port", str(port), "--server.address",
                                "127.0.0.1", "--server.headless", "true"], cwd=cwd,
                               env={**os.environ, "WAREHOUSE_DIR": str(warehouse)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        yield url, started
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        process.kill()


class Runs:
    """Counts the script runs that finished, from the messages the server sends the page."""

    DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}

    def __init__(self, page: Page) -> None:
        self.finished = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        with contextlib.suppress(Exception):
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "script_finished" and message.script_finished in self.DONE:
                self.finished += 1


def _until_done(page: Page, runs: Runs, before: int, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while runs.finished <= before:
        if time.perf_counter() > deadline:
            raise TimeoutError("the script run did not finish")
        page.wait_for_timeout(5)
    page.wait_for_function(DRAWN, polling="raf", timeout=timeout * 1000)


def timed(page: Page, runs: Runs, action: Callable[[], None]) -> float:
    before = runs.finished
    start = time.perf_counter()
    action()
    _until_done(page, runs, before)
    return time.perf_counter() - start


def _open(page: Page, url: str, runs: Runs) -> None:
    """Load the page as soon as the server answers (asking the browser to load a page from a server not yet
    listening cost it seconds of error pages)."""
    deadline = time.perf_counter() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).close()
            break
        except OSError:
            if time.perf_counter() > deadline:
                raise
            time.sleep(0.02)
    page.goto(url + "/")
    _until_done(page, runs, 0)


def _pick_first_year(page: Page, year: int) -> Callable[[], None]:
    def pick() -> None:
        page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="First year").click()
        page.get_by_role("option", name=str(year), exact=True).click()
    return pick


def measure(browser, command: list[str], warehouse: Path, pages: tuple[str, str], tab: str | None,
            years: list[int], cwd: Path = ROOT) -> dict[str, list[float]]:
    """One session of one app: cold start, filter changes, page switches (and tab switches)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    runs = Runs(page)
    result: dict[str, list[float]] = {what: [] for what in MEASURES}
    try:
        with server(command, warehouse, cwd) as (url, started):
            _open(page, url, runs)
            result["cold start"].append(time.perf_counter() - started)
            for year in years:
                result["filter change"].append(timed(page, runs, _pick_first_year(page, year)))
            sidebar = page.locator('[data-testid="stSidebar"]')
            # The first page was drawn by the last filter change: only the first switch shows a page not seen
            # with these filters (whose figures are made), the others one seen before (whose figures are kept).
            for visit, name in enumerate((pages[1], pages[0], pages[1], pages[0])):
                link = sidebar.get_by_role("link", name=re.compile(name, re.I)).first
                result[PAGE_FIRST if visit == 0 else PAGE_AGAIN].append(timed(page, runs, link.click))
            if tab is not None:
                sidebar.get_by_role("link", name="Mobility").first.click()
                page.wait_for_function(DRAWN, polling="raf", timeout=120_000)
                page.wait_for_timeout(300)
                tabs = page.locator('[data-testid="stTab"]')
                opened = {0}
                for index in (1, 2, 0, 1, 2, 0):
                    result[TAB_AGAIN if index in opened else TAB_FIRST].append(
                        timed(page, runs, tabs.nth(index).click))
                    opened.add(index)
    finally:
        page.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout of the dashboard, measured as a third app "
                                                     "(what a change bought)")
    args = parser.parse_args()
    trivial = trivial_app(Path(tempfile.mkdtemp(prefix="trivial-app-")))
    apps = {"ours": (["-m", "app.web.serve"], ("Overview", "Staff"), "Mobility"),
            # Started from here, it reads our .streamlit/config.toml: the same settings, its own page list shown.
            "trivial": (["-m", "streamlit", "run", str(trivial), "--client.showSidebarNavigation", "true"],
                        ("trivial", "other"), None)}
    roots = {app: ROOT for app in apps}
    if args.before:
        apps["before"], roots["before"] = apps["ours"], args.before
    years = [2012, 2010, 2014, 2011, 2013]
    found: dict[str, dict[str, list[float]]] = {app: {} for app in apps}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                    args=CHROMIUM_ARGS)
        for _ in range(args.rounds):
            for app, (command, pages, tab) in apps.items():   # turn about: the machine's noise falls on both
                for what, times in measure(browser, command, args.warehouse, pages, tab, years, roots[app]).items():
                    found[app].setdefault(what, []).extend(times)
        browser.close()
    medians = {app: {what: statistics.median(t) for what, t in found[app].items() if t} for app in apps}
    for what in medians["ours"]:
        base = medians["trivial"].get(what)
        print(f"{what}: ours {medians['ours'][what]:.2f} s"
              + (f", trivial {base:.2f} s (+{medians['ours'][what] - base:.2f} s)" if base is not None else "")
              + (f", before {medians['before'][what]:.2f} s" if "before" in medians else ""))
    print(json.dumps(medians))


if __name__ == "__main__":
    main()
