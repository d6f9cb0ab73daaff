"""Where data lives and whose home country counts as domestic: config.toml,
overridden by environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "config.toml"


@dataclass(frozen=True)
class Settings:
    home_country: str
    raw_dir: Path
    warehouse_dir: Path


def _path(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else ROOT / path


def load_config() -> dict:
    """The whole config.toml (empty when there is none)."""
    return tomllib.loads(CONFIG_FILE.read_text(encoding="utf-8")) if CONFIG_FILE.exists() else {}


def settings() -> Settings:
    data = load_config().get("data", {})
    return Settings(
        home_country=os.environ.get("ETL_HOME_COUNTRY", data.get("home_country", "FI")),
        raw_dir=_path(os.environ.get("RAW_DIR", data.get("raw_dir", "data/raw"))),
        warehouse_dir=_path(os.environ.get("WAREHOUSE_DIR", data.get("warehouse_dir", "data/warehouse"))),
    )
