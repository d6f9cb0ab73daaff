"""Statistical disclosure control: the one place where a count becomes a figure
that may be shown or downloaded.

Every metric passes its counts through `protect()` before returning them, so a
page, a chart or an export never sees an exact small count unless the rule is
`none`. Rules (chosen in config.toml, [privacy] rule):

- vipunen (default, the Finnish national portal's rule): 0 stays 0; 1-4 is
  shown as the range "1–4"; larger counts are rounded to the nearest multiple
  of 3; shares are computed from the protected counts.
- hesa (UK): counts rounded to the nearest 5, values under 2.5 shown as 0;
  shares whose denominator is under 22.5 are suppressed.
- none: exact figures, for internal deployments whose signed-in users may see them.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.i18n import fmt_int
from etl.config import load_config

RULES = ("vipunen", "hesa", "none")


@dataclass(frozen=True)
class Rule:
    name: str

    @property
    def exact(self) -> bool:
        return self.name == "none"


def current_rule() -> Rule:
    name = os.environ.get("DISCLOSURE_RULE")
    if name is None:
        name = load_config().get("privacy", {}).get("rule")
    name = (name or "vipunen").strip().lower()
    if name not in RULES:
        raise ValueError(f"config.toml [privacy] rule = {name!r} is not a rule (accepted: {', '.join(RULES)})")
    return Rule(name)


def protect(frame: pd.DataFrame, columns: list[str], rule: Rule) -> pd.DataFrame:
    """Replace each raw count column `c` by its protected form: `c` (the value
    to plot, NaN when only a range may be shown), `c_low`, `c_high` (the
    range the true count lies in) and `c_label` (the text to show)."""
    out = frame.copy()
    for column in columns:
        raw = frame[column].fillna(0).astype("int64").to_numpy()
        value, low, high = _apply(raw, rule)
        out[column] = value
        out[f"{column}_low"] = low
        out[f"{column}_high"] = high
        out[f"{column}_label"] = [_label(v, lo, hi) for v, lo, hi in zip(value, low, high)]
    return out


def _apply(raw: np.ndarray, rule: Rule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if rule.name == "vipunen":
        small = (raw >= 1) & (raw <= 4)
        rounded = 3 * np.round(raw / 3)
        value = np.where(small, np.nan, rounded).astype(float)
        low = np.where(small, 1, np.maximum(rounded - 1, 0))
        high = np.where(small, 4, rounded + 1)
        low = np.where(raw == 0, 0, low)
        high = np.where(raw == 0, 0, high)
        return value, low.astype(int), high.astype(int)
    if rule.name == "hesa":
        rounded = 5 * np.floor(raw / 5 + 0.5)
        rounded = np.where(raw < 2.5, 0, rounded)
        return rounded.astype(float), np.maximum(rounded - 2, 0).astype(int), (rounded + 2).astype(int)
    return raw.astype(float), raw.astype(int), raw.astype(int)


def _label(value: float, low: int, high: int) -> str:
    return f"{fmt_int(low)}–{fmt_int(high)}" if math.isnan(value) else fmt_int(value)


def share(numerator: pd.Series, denominator: pd.Series, rule: Rule,
          numerator_low: pd.Series | None = None, numerator_high: pd.Series | None = None) -> pd.DataFrame:
    """Shares from protected counts: `share` (NaN when it may not be shown as
    a single figure), `share_low`, `share_high` (NaN when suppressed)."""
    den = denominator.astype(float)
    suppressed = den.isna() | (den <= 0)
    if rule.name == "hesa":
        suppressed |= den < 22.5
    value = (numerator / den).where(~suppressed)
    low = (numerator_low / den).where(~suppressed) if numerator_low is not None else value
    high = (numerator_high / den).where(~suppressed) if numerator_high is not None else value
    return pd.DataFrame({"share": value, "share_low": low.clip(upper=1), "share_high": high.clip(upper=1)},
                        index=numerator.index)
