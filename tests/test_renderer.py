"""The image renderer: right answers for many threads at once, the same drawing from a reused tab as from a
fresh one, a cache by content, a wrong answer refused; and a pack whose images fail says so in words."""

from __future__ import annotations

import concurrent.futures
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import plotly.graph_objects as go
import pytest

from app.reports import exports, packs, renderer
from app.reports.renderer import Renderer, RenderFailed
from tests.server import chromium_path
from tests.test_exports import META

OPTIONS = {"width": 800, "height": 450, "scale": 1}


def figure(n: int) -> dict:
    return go.Figure(go.Bar(x=["a", "b", "c"], y=[n, n + 1, n + 2]),
                     layout=dict(title=dict(text=f"Figure number {n}"))).to_dict()


@pytest.fixture(scope="module")
def browser():
    chromium_path()
    fresh = Renderer(tabs=2)
    yield fresh
    fresh._restart()


def test_many_threads_each_get_their_own_image_in_the_format_they_asked_for(browser):
    # kaleido's blocking server handed one thread's answer to another: a PNG request got an SVG.
    asks = [(n, "png" if n % 2 else "svg") for n in range(16)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda ask: browser.render(figure(ask[0]), {**OPTIONS, "format": ask[1]}), asks))
    for (n, fmt), image in zip(asks, got):
        if fmt == "png":
            assert image.startswith(b"\x89PNG")
        else:
            assert image.lstrip().startswith((b"<svg", b"<?xml")) and f"Figure number {n}<".encode() in image


def same_drawing(one: bytes, other: bytes) -> bool:
    """Two SVGs alike but for the random id Plotly gives each drawing and the order of attributes, compared as
    canonical XML (the root's `style` and `viewBox` came in either order; where they differ is printed)."""
    def named(svg: bytes) -> bytes:
        uid = re.search(rb'<defs id="defs-([0-9a-f]+)"', svg).group(1)
        return ET.canonicalize(svg.replace(uid, b"UID").decode("utf-8")).encode("utf-8")
    one, other = named(one), named(other)
    if one != other:
        at = next((i for i, (a, b) in enumerate(zip(one, other)) if a != b), min(len(one), len(other)))
        print("first difference:", one[max(0, at - 200):at + 200], other[max(0, at - 200):at + 200], sep="\n")
    return one == other


def test_a_reused_tab_draws_what_a_fresh_one_draws(browser):
    options = {**OPTIONS, "format": "svg"}
    for n in range(renderer.RELOAD_EVERY + 3):   # through a reload, too
        browser.render(figure(100 + n), options)
    reused = browser.render(figure(7), {**options, "width": 801})
    fresh = Renderer(tabs=1)
    try:
        assert same_drawing(fresh.render(figure(7), {**options, "width": 801}), reused)
    finally:
        fresh._restart()


def test_an_image_is_drawn_once_per_content(browser, monkeypatch):
    options = {**OPTIONS, "format": "svg"}
    first = browser.render(figure(500), options)
    monkeypatch.setattr(browser, "_start", lambda: pytest.fail("drawn again"))
    assert browser.render(figure(500), options) == first


def test_a_browser_path_that_does_not_exist_is_not_passed_on(monkeypatch):
    # kaleido reads BROWSER_PATH itself: a mistyped one made every report fail although Chromium was there.
    chromium_path()
    monkeypatch.setenv("BROWSER_PATH", "/nowhere/chromium")
    fresh = Renderer(tabs=1)
    try:
        assert fresh.render(figure(3), {**OPTIONS, "format": "svg"}).count(b"<svg") >= 1
        assert renderer.chromium() != "/nowhere/chromium"
    finally:
        fresh._restart()


def test_bytes_that_are_not_the_format_asked_for_are_refused():
    with pytest.raises(RenderFailed, match="not a PNG"):
        renderer._checked(b"<svg></svg>", "png")
    with pytest.raises(RenderFailed, match="not a SVG"):
        renderer._checked(b"", "svg")
    assert renderer._checked("<svg/>", "svg") == b"<svg/>"


def failing(*args, **kwargs) -> concurrent.futures.Future:
    future: concurrent.futures.Future = concurrent.futures.Future()
    future.set_exception(RenderFailed("Chromium returned 0 bytes that are not a PNG image"))
    return future


def test_a_pack_whose_images_fail_says_why_in_words(monkeypatch, demo_warehouse):
    from app.model.data import Warehouse
    from app.model.disclosure import Rule
    from app.model.filters import defaults
    from app.present import pages

    warehouse = Warehouse(demo_warehouse)
    charts = pages.page_charts("staff", warehouse, defaults(warehouse.options), Rule("vipunen"))
    monkeypatch.setattr(exports, "image_later", failing)
    with pytest.raises(packs.PackFailed, match="could not be drawn as images .*not a PNG.*try again"):
        packs.pack(charts, META, "Staff", "")
    monkeypatch.undo()
    assert zipfile.ZipFile(io.BytesIO(packs.pack(charts, META, "Staff", "", with_images=False))).namelist()

    def no_browser(*args, **kwargs):   # the browser does not start: the request fails at once, not later
        raise RenderFailed("Chromium did not start: gone")

    monkeypatch.setattr(exports, "picture_later", no_browser)
    with pytest.raises(packs.PackFailed, match="could not be drawn as images .*did not start.*try again"):
        packs.pack(charts, META, "Staff", "")


def test_the_export_browser_runs_below_the_pages_priority(browser):
    """Chromium for images is background work: started beside a page, it took the two cores from the visitor."""
    import os

    ours = os.nice(0)
    browser.render(figure(1), {"format": "svg", **OPTIONS})
    process = browser._browser.subprocess.pid
    assert os.getpriority(os.PRIO_PROCESS, process) == max(renderer.BACKGROUND_NICENESS, ours)
    assert os.nice(0) == ours   # the page's own thread keeps its priority


def test_a_page_asking_for_the_warm_up_does_not_wait_for_a_browser_that_is_starting(monkeypatch):
    """Every page run asks for the warm-up; while the browser started (its lock held), each page waited for it."""
    import threading

    monkeypatch.setattr(renderer, "chromium", lambda: "/usr/bin/chromium")
    starting = Renderer()
    with starting._lock:   # as while `_start` opens the browser
        asked = threading.Thread(target=starting.warm_up, kwargs={"after": 3600})
        asked.start()
        asked.join(timeout=5)
        assert not asked.is_alive()
