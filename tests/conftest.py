from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.present import pages as site

TEST_KEY = "test-key-for-the-suite-0123456789"


@pytest.fixture(autouse=True)
def _pseudonym_key(monkeypatch):
    monkeypatch.setenv("ETL_PSEUDONYM_KEY", TEST_KEY)
    monkeypatch.delenv("ETL_PSEUDONYM_KEY_FILE", raising=False)


@pytest.fixture(scope="session")
def demo_raw(tmp_path_factory) -> Path:
    from etl.demo import write_demo

    raw = tmp_path_factory.mktemp("demo") / "raw"
    write_demo(raw)
    return raw


@pytest.fixture(scope="session")
def demo_warehouse(demo_raw, tmp_path_factory) -> Path:
    """The demo built once per run, as the app would build it (demo key)."""
    from etl.build import build

    out = tmp_path_factory.mktemp("demo-warehouse") / "warehouse"
    saved = os.environ.pop("ETL_PSEUDONYM_KEY", None)
    try:
        build(demo_raw, out, say=lambda _: None, demo=True)
    finally:
        if saved is not None:
            os.environ["ETL_PSEUDONYM_KEY"] = saved
    return out


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


ROOT = Path(__file__).resolve().parent.parent
PAGES = {key: page.script for key, page in site.PAGES.items()}   # registered once, in app/present/pages.py


def render(warehouse: Path, page: str = "overview", rule: str | None = None, **query):
    """One page in AppTest on `warehouse` under `rule` (None: as the environment says), as a first visit
    with `query` in the URL; no exception and no error on the page. Callers set the environment with
    monkeypatch (see `open_page`)."""
    from streamlit.testing.v1 import AppTest

    os.environ["WAREHOUSE_DIR"] = str(warehouse)
    if rule:
        os.environ["DISCLOSURE_RULE"] = rule   # else the rule the test set, or the configured one
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for name, value in query.items():
        at.query_params[name] = value
    if page != "overview":
        at.switch_page(PAGES[page])
    at.run()
    assert not at.exception, (page, rule, at.exception)
    assert not at.error, (page, rule, [e.value for e in at.error])
    return at


def years_chosen(at) -> tuple[int, int]:
    """The sidebar's first and last year."""
    return at.selectbox(key="f_first_year").value, at.selectbox(key="f_last_year").value


@pytest.fixture
def render_page(monkeypatch):
    """`render`, with the environment it sets undone after the test."""
    monkeypatch.setenv("WAREHOUSE_DIR", "")
    # Set, then removed: monkeypatch then restores the variable as it was before the test (absent), also when
    # `render` set it; a bare delenv of an absent variable records nothing, and a rule leaked into later tests.
    monkeypatch.setenv("DISCLOSURE_RULE", "vipunen")
    monkeypatch.delenv("DISCLOSURE_RULE")
    return render


@pytest.fixture
def open_page(demo_warehouse, render_page):
    """Run one page in AppTest on the demo warehouse, as a first visit with `query` in the URL."""
    def run(page: str = "overview", **query: str):
        return render_page(demo_warehouse, page, **query)
    return run
