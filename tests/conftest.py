from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
        build(demo_raw, out, say=lambda _: None)
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
