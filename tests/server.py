"""A real `streamlit run` on a free port, and a headless Chromium to drive it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium for the browser tests (bin/test installs Debian's chromium)")
        pytest.skip("no Chromium: set CHROMIUM=/path/to/chromium to run the browser tests")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(warehouse: Path, **env: str) -> Iterator[str]:
    port = free_port()
    log = ARTIFACTS / f"streamlit-{port}.log"
    ARTIFACTS.mkdir(exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.web.serve", "--server.port", str(port),   # as bin/dashboard starts it
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "WAREHOUSE_DIR": str(warehouse), "IMAGE_RENDERER_WARM_UP_AFTER": "0", **env})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start:\n{log.read_text()}") from None
                time.sleep(0.3)
        yield url
        assert "warming up failed" not in log.read_text(), log.read_text()   # app/serve.py's head start
    except BaseException:
        print(log.read_text())  # the server's side of a failure
        raise
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        process.kill()


def wait_until_idle(page, timeout: float = 30_000) -> None:
    """Until the app has drawn and stopped running its script."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)   # every page has a title
    page.wait_for_timeout(600)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=timeout)


def wait_for_charts(page, timeout: float = 30_000) -> None:
    """Until every Plotly chart on the page has drawn (they draw after the page settles). A chart
    (or table) whose code is still loading shows a skeleton instead, not yet counted as a chart."""
    page.wait_for_function(
        """() => { const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
                   const drawn = document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg');
                   const loading = document.querySelectorAll('[data-testid="stSkeleton"]');
                   return loading.length === 0 && (charts.length === 0 || drawn.length >= charts.length); }""",
        timeout=timeout)
    page.wait_for_timeout(500)
