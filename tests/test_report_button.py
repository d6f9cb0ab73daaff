"""The report buttons as a person uses them: a click makes the pack with its progress, then a download button
that stays while the view is the same; a failure is said in words with a button to try again."""

from __future__ import annotations

import concurrent.futures
import io
import zipfile

from app.reports import exports
from app.reports.renderer import RenderFailed
from tests.server import chromium_path


def button(at, key):
    found = [b for b in at.button if b.key == key]
    return found[0] if found else None


def download(at, key):
    found = [b for b in at.get("download_button") if b.proto.id and key in b.proto.id]
    return found[0] if found else None


def failing(*args, **kwargs) -> concurrent.futures.Future:
    future: concurrent.futures.Future = concurrent.futures.Future()
    future.set_exception(RenderFailed("Chromium returned 0 bytes that are not a PNG image"))
    return future


def test_the_full_report_is_made_on_a_click_and_kept_while_the_view_is_the_same(open_page):
    chromium_path()
    at = open_page("overview", lang="fi")
    make = button(at, "full-report-make")
    assert make.label == "Koko raportti (ZIP, diat ja PDF)" and download(at, "full-report-download") is None
    make.click().run(timeout=240)
    assert not at.exception and not at.error
    ready = download(at, "full-report-download")
    assert ready is not None and ready.proto.label.startswith("Lataa raportti (")
    assert [(s.proto.label, s.proto.state) for s in at.get("status")] == [("Raportti on valmis", 2)]   # COMPLETE
    assert [p.proto.text for p in at.get("progress")] == ["Valmis."]
    at.run()   # another rerun of the same view: the pack is kept, not made again
    assert download(at, "full-report-download") is not None and button(at, "full-report-make") is None
    at.selectbox(key="f_first_year").set_value(2015).run()
    assert download(at, "full-report-download") is None and button(at, "full-report-make") is not None


def test_a_failed_report_says_why_and_can_be_tried_again(open_page, monkeypatch):
    chromium_path()
    at = open_page("staff", lang="sv")
    monkeypatch.setattr(exports, "image_later", failing)
    button(at, "page-pack-make").click().run(timeout=120)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Diagrammen kunde inte ritas som bilder (Chromium returned 0 bytes that are not a PNG image). Serverns "
        "webbläsare kan ha stannat; försök igen."]
    again = button(at, "page-pack-make")
    assert again.label == "Försök igen"
    monkeypatch.undo()
    again.click().run(timeout=120)
    assert not at.exception and not at.error
    assert download(at, "page-pack-download") is not None


def test_an_unexpected_failure_is_logged_and_said_politely(open_page, monkeypatch):
    at = open_page("students")

    def broken(*args, **kwargs):
        raise KeyError("a bug")
    monkeypatch.setattr(exports, "xlsx_bytes", broken)
    button(at, "page-pack-make").click().run(timeout=120)
    assert not at.exception
    assert [e.value for e in at.error] == ["Something went wrong while making the report; it has been logged. Try "
                                           "again, or download the charts one by one."]
    assert button(at, "page-pack-make").label == "Try again"


def test_without_a_browser_the_pack_holds_the_data(open_page, monkeypatch):
    monkeypatch.setattr(exports, "chromium", lambda: None)
    at = open_page("staff")
    button(at, "page-pack-make").click().run(timeout=120)
    assert not at.exception and not at.error
    assert download(at, "page-pack-download") is not None
    from app.reports import packs
    assert zipfile.ZipFile(io.BytesIO(packs.pack([], exports.Meta("U", "2026-01-01", "", "", "F", False), "T", "",
                                                 with_images=False))).namelist() == ["README.txt"]
