"""Start the dashboard: `python -m app.web.serve [streamlit options]` is `streamlit
run dashboard.py` with one addition, for the first visitor after a start.

Streamlit runs a page, and so its imports, only when a browser has connected.
The first visitor would wait for pandas, DuckDB and the dashboard's modules to
load (about 0.6 s), although the server sat idle for about a second before,
while the browser fetched and started the app's JavaScript. Here a thread
loads them in that idle second: it waits until the server listens (so the
start itself is not slowed down), then imports.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _listening(address: str, port: int) -> bool:
    try:
        socket.create_connection((address, port), timeout=0.05).close()
        return True
    except OSError:
        return False


def warm(timeout: float = 60.0) -> None:
    """Once the server listens: import what the pages need, open the warehouse, draw the overview."""
    from streamlit import config
    from streamlit.runtime import Runtime

    deadline = time.monotonic() + timeout
    # The runtime exists once the command line's options are in force (reading the port sooner
    # would read the config files early, which Streamlit then reports as a changed config).
    while not Runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    address = config.get_option("server.address") or "127.0.0.1"
    while not _listening(address, int(config.get_option("server.port"))) and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        head_start()
    except Exception:  # only a head start: the first page does all of this itself, and reports what fails
        logging.getLogger(__name__).exception("warming up failed")


def head_start() -> None:
    """Import what the pages need and, when there is a warehouse, open it (cached for every session) and
    make the overview's charts once, which also fills the caches of Babel's number formats, country names
    and Plotly's validators."""
    from streamlit import delta_generator

    # Before the first element of the process, Streamlit asks whether it runs in a Python REPL to warn that it
    # does not: inspect.stack() there looked up the file of every module loaded (1,500 here), 0.2 s of the first
    # visitor's page. This server is `streamlit run`: the answer is known.
    if hasattr(delta_generator, "_use_warning_has_been_displayed"):   # tests/test_site.py fails when it goes
        delta_generator._use_warning_has_been_displayed = True
    from app.model import filters
    from app.model.data import current_build
    from app.model.disclosure import current_rule
    from app.present import pages
    from app.web import frame, layout, sidebar, widgets  # noqa: F401  (imported for the head start)
    from etl.config import settings

    if current_build(settings().warehouse_dir) is None:
        return  # the first visitor's page builds the demo, showing its progress
    warehouse = frame.open_warehouse()
    pages.page_charts("overview", warehouse, filters.defaults(warehouse.options), current_rule())


def main(arguments: list[str]) -> None:
    from streamlit.web import cli

    threading.Thread(target=warm, name="warm-imports", daemon=True).start()
    sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *arguments]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
