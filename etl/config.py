"""Where data lives and whose home country counts as domestic: config.toml,
overridden by environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
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
    """The whole config.toml (empty when there is none); read again only when the file changes.
    Callers must not modify the returned dict: it is shared."""
    _, stamp = config_version()
    return {} if stamp is None else _parsed(CONFIG_FILE, stamp)


def config_version() -> tuple[str, int | None]:
    """Which config.toml, as it is now (its path and when it last changed): a key for figures made with it."""
    try:
        return str(CONFIG_FILE), CONFIG_FILE.stat().st_mtime_ns
    except FileNotFoundError:
        return str(CONFIG_FILE), None


class ConfigError(Exception):
    """config.toml is there but cannot be read: not UTF-8 text, or not TOML."""


@lru_cache(maxsize=4)
def _parsed(path: Path, stamp: int) -> dict:
    # Chart labels ask for unit names many times per page run: parsing TOML each time cost tens of ms.
    try:
        # utf-8-sig: a byte order mark, which Windows Notepad writes, is not an error.
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path} is not UTF-8 text: byte {error.object[error.start]:#04x} at position "
                          f"{error.start} (save it as UTF-8)") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None


def settings() -> Settings:
    data = load_config().get("data", {})
    return Settings(
        home_country=os.environ.get("ETL_HOME_COUNTRY", data.get("home_country", "FI")),
        raw_dir=_path(os.environ.get("RAW_DIR", data.get("raw_dir", "data/raw"))),
        warehouse_dir=_path(os.environ.get("WAREHOUSE_DIR", data.get("warehouse_dir", "data/warehouse"))),
    )
