"""Plotly figures to PNG and SVG in the machine's Chromium (kaleido), for any
number of threads at once.

kaleido's own blocking server is not safe to call from two threads: each
caller takes the next answer from one shared queue, so a PNG request could get
another session's SVG (the full report then failed in python-pptx with
`PIL.UnidentifiedImageError`). Here each request has its own future, on one
event loop that owns one browser with several tabs, so figures render side by
side. An image is kept by what it shows (the figure and the options), so a
report asked for twice with the same filters renders nothing the second time.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import json
import logging
import os
import shutil
import threading
from collections import OrderedDict
from pathlib import Path

log = logging.getLogger("dashboard.renderer")

TABS = 2                     # the machine's cores; more tabs only queue for them
TIMEOUT_S = 60               # one figure; a hung tab fails the request, not the app
CACHE_BYTES = 256 * 2**20    # rendered images kept, newest first
BACKGROUND_NICENESS = 10     # the renderer's and its browser's priority below the pages' (see _in_background)
RELOAD_EVERY = 25            # renders in a tab before it is reloaded (see _Browser)
# The browser starts this long after the first page (Renderer.warm_up); the browser tests set 0, as their pages ask
# for images at once.
WARM_UP_AFTER_S = float(os.environ.get("IMAGE_RENDERER_WARM_UP_AFTER", "10"))


class ImageExportUnavailable(Exception):
    """No Chromium to render images with; data downloads still work."""


class RenderFailed(Exception):
    """Chromium gave no image (a crash, a timeout, or bytes that are not the format asked for)."""


def chromium() -> str | None:
    for candidate in (os.environ.get("BROWSER_PATH"), os.environ.get("CHROMIUM"), "/usr/bin/chromium",
                      "/usr/bin/chromium-browser", shutil.which("chromium"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _browser_class():
    import kaleido

    class _Browser(kaleido.Kaleido):
        """kaleido reloads a tab (re-reading plotly.js) after every figure, which took longer than drawing the
        figure; a tab here is reloaded after `RELOAD_EVERY` figures, which still bounds what a long-lived tab
        can accumulate. Tests check that a reused tab draws the same SVG as a fresh one."""

        async def _return_kaleido_tab(self, tab) -> None:
            tab.renders = getattr(tab, "renders", 0) + 1
            if tab.renders >= RELOAD_EVERY:
                tab.renders = 0
                await tab.reload()
            await self.tabs_ready.put(tab)

    return _Browser


class Renderer:
    """One browser for the app's lifetime (a cold start costs seconds, a figure a fraction of one)."""

    def __init__(self, tabs: int = TABS) -> None:
        self._tabs = tabs
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._browser = None
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cached_bytes = 0
        self._warming = False
        self._warming_lock = threading.Lock()

    def _start(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is not None and self._loop.is_running():
                return self._loop
            path = chromium()
            if path is None:
                raise ImageExportUnavailable("no Chromium found")
            # kaleido reads BROWSER_PATH itself: a configured path that does not exist must not stay there.
            os.environ["BROWSER_PATH"] = path
            loop = asyncio.new_event_loop()
            threading.Thread(target=_in_background, args=(loop,), name="image-renderer", daemon=True).start()
            tabs = self._tabs

            async def opened():   # made on the loop that will use it
                browser = _browser_class()(n=tabs, timeout=TIMEOUT_S)
                await browser.open()
                return browser

            try:
                browser = asyncio.run_coroutine_threadsafe(opened(), loop).result(timeout=TIMEOUT_S)
            except Exception as error:
                loop.call_soon_threadsafe(loop.stop)
                raise RenderFailed(f"Chromium did not start: {error}") from error
            self._loop, self._browser = loop, browser
            return loop

    def warm_up(self, after: float = WARM_UP_AFTER_S) -> None:
        """Start the browser in the background, once, `after` seconds from now, so that the first download does
        not wait for it. Not at once: starting Chromium beside the visitor's first page took the two cores from
        it (the first chart was drawn 4 s later); a download asked for before then starts it itself."""
        # Not under `_lock`, which is held while the browser starts: every page run asks for the warm-up, and
        # waited for the whole start (a page switch at 10M rows took 7 s instead of 1.3 s).
        with self._warming_lock:
            if self._warming or chromium() is None:
                return
            self._warming = True

        def start() -> None:
            try:
                self._start()
            except Exception:   # the first real request says what failed
                log.warning("the image renderer did not start", exc_info=True)
        timer = threading.Timer(after, start)
        timer.name, timer.daemon = "image-renderer-start", True
        timer.start()

    def _restart(self) -> None:
        """After a failure the browser may be gone; the next request starts a new one."""
        with self._lock:
            loop, browser, self._loop, self._browser = self._loop, self._browser, None, None
        if loop is not None:
            try:
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(timeout=10)
            except Exception:   # already dead: nothing to close
                log.debug("closing a failed renderer", exc_info=True)
            loop.call_soon_threadsafe(loop.stop)

    @staticmethod
    def key(figure: dict, options: dict) -> str:
        text = json.dumps([figure, options], sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def cached(self, figure: dict, options: dict) -> bytes | None:
        with self._cache_lock:
            key = self.key(figure, options)
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        return None

    def forget(self) -> None:
        """Drop every kept image (benchmarks measure drawing, not the cache)."""
        with self._cache_lock:
            self._cache.clear()
            self._cached_bytes = 0

    def _keep(self, key: str, image: bytes) -> None:
        with self._cache_lock:
            if key not in self._cache:
                self._cache[key] = image
                self._cached_bytes += len(image)
            while self._cached_bytes > CACHE_BYTES and self._cache:
                _, dropped = self._cache.popitem(last=False)
                self._cached_bytes -= len(dropped)

    def submit(self, figure: dict, options: dict, topojson: str | None = None) -> concurrent.futures.Future[bytes]:
        """The image of `figure` (a Plotly figure as a dict) with kaleido's `options` (format, width, height,
        scale), drawn beside any others asked for meanwhile."""
        done: concurrent.futures.Future[bytes] = concurrent.futures.Future()
        image = self.cached(figure, options)
        if image is not None:
            done.set_result(image)
            return done
        key = self.key(figure, options)
        loop = self._start()
        rendering = asyncio.run_coroutine_threadsafe(
            self._browser.calc_fig(figure, opts=options, topojson=topojson), loop)

        def finished(future: concurrent.futures.Future) -> None:
            try:
                image = _checked(future.result(), options["format"])
            except (Exception, concurrent.futures.CancelledError) as error:   # a crash, a timeout, a wrong answer
                log.warning("rendering a figure failed: %r", error)
                if not isinstance(error, RenderFailed):
                    self._restart()
                failure = error if isinstance(error, RenderFailed) else RenderFailed(
                    "the browser stopped" if isinstance(error, (asyncio.CancelledError,
                                                                concurrent.futures.CancelledError))
                    else str(error) or type(error).__name__)
                if done.set_running_or_notify_cancel():   # the caller may have given up on it already
                    done.set_exception(failure)
                return
            self._keep(key, image)
            if done.set_running_or_notify_cancel():
                done.set_result(image)

        rendering.add_done_callback(finished)
        return done

    def render(self, figure: dict, options: dict, topojson: str | None = None) -> bytes:
        return self.submit(figure, options, topojson).result(timeout=TIMEOUT_S * 2)


def _in_background(loop: asyncio.AbstractEventLoop) -> None:
    """Run the renderer's loop at a lower priority, and so the browser it starts (threads and processes inherit
    it on Linux): images are background work beside the pages people are waiting for, and Chromium's start takes
    both cores for seconds; on an idle machine the priority changes nothing."""
    with contextlib.suppress(AttributeError, OSError):   # not on every system; then at the usual priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)
    loop.run_forever()


def _checked(image: bytes | str, fmt: str) -> bytes:
    """The bytes are the format asked for, or the request failed (never a wrong file passed on)."""
    data = image.encode("utf-8") if isinstance(image, str) else bytes(image)
    signatures = {"png": data.startswith(b"\x89PNG\r\n\x1a\n"), "jpg": data.startswith(b"\xff\xd8\xff"),
                  "svg": b"<svg" in data[:2000]}
    ok = signatures.get(fmt, bool(data))
    if not ok:
        raise RenderFailed(f"Chromium returned {len(data)} bytes that are not a {fmt.upper()} image")
    return data


RENDERER = Renderer()
