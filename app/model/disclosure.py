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
- threshold:K: counts below K are suppressed (shown as "<K"), with secondary
  suppression so that a suppressed cell cannot be recovered from a total and
  the other cells of its group (see `secondary`).
- none: exact figures, for internal deployments whose signed-in users may see them.

Filters open a second way in: the total of everyone minus the total of "all
but one small group". `complement` closes it: a filtered count whose
unfiltered counterpart differs from it by 1-4 is shown only as the range the
unfiltered figure allows.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.words.i18n import fmt_int, t
from etl.config import load_config

@dataclass(frozen=True)
class Rule:
    """A disclosure rule with its words: the one-line note under every chart and in every file,
    and its description on the methodology page."""
    name: str
    k: int = 0          # the threshold of threshold:K

    @property
    def exact(self) -> bool:
        return self.name == "none"

    def note(self) -> str:
        if self.name == "vipunen":
            return t("Counts rounded to the nearest multiple of 3; 1–4 shown as a range (Vipunen rule).")
        if self.name == "hesa":
            return t("Counts rounded to the nearest 5; shares of fewer than 22.5 people suppressed (HESA rule).")
        if self.name == "threshold":
            return t("Counts under {k} suppressed, with secondary suppression (threshold rule).", k=self.k)
        return t("Exact figures (no disclosure control): for authorised internal use only.")

    def description(self) -> str:
        if self.name == "vipunen":
            return t("**Rule in force: Vipunen** (the Finnish national education statistics portal's rule). "
                     "0 stays 0; counts from 1 to 4 are shown only as the range 1–4, drawn hatched to the top of the "
                     "range; larger counts are rounded to the nearest multiple of 3; shares are computed from the "
                     "rounded counts, so a share may differ slightly from one computed from exact counts.")
        if self.name == "hesa":
            return t("**Rule in force: HESA** (UK Higher Education Statistics Agency). Counts are rounded to the "
                     "nearest 5, values under 2.5 shown as 0; shares of a base under 22.5 people are not shown.")
        if self.name == "threshold":
            return t("**Rule in force: threshold {k}.** Counts from 1 to {below} are not shown (\"<{k}\"); where "
                     "one hidden count could be worked out from a total and the other counts of its group, the next "
                     "smallest count is hidden too. Larger counts are exact, so two overlapping views (two choices "
                     "of units, or two year ranges) can be subtracted to find a hidden count: use this rule only "
                     "where every user may see near-exact figures.", k=self.k, below=self.k - 1)
        return t("**Rule in force: none — exact figures.** For an internal deployment whose signed-in users may see "
                 "exact counts. Do not publish these figures.")


def parse_rule(text: str) -> Rule:
    name = text.strip().lower() if isinstance(text, str) else ""   # `rule = 5` in config.toml is no rule either
    if name in ("vipunen", "hesa", "none"):
        return Rule(name)
    if name.startswith("threshold:") and name.split(":", 1)[1].isdigit() and 2 <= int(name.split(":", 1)[1]) <= 100:
        return Rule("threshold", int(name.split(":", 1)[1]))
    raise ValueError(f"disclosure rule {text!r} is not a rule (accepted: vipunen, hesa, threshold:K with K from "
                     "2 to 100, none)")


def current_rule() -> Rule:
    name = os.environ.get("DISCLOSURE_RULE")
    if name is None:
        name = load_config().get("privacy", {}).get("rule")
    return parse_rule(name or "vipunen")


def protect(frame: pd.DataFrame, columns: list[str], rule: Rule) -> pd.DataFrame:
    """Replace each raw count column `c` by its protected form: `c` (the value
    to plot, NaN when only a range may be shown), `c_low`, `c_high` (the
    range the true count lies in) and `c_label` (the text to show)."""
    new: dict[str, object] = {}
    for column in columns:
        raw = frame[column].fillna(0).astype("int64").to_numpy()
        value, low, high = _apply(raw, rule)
        labels = _labels(value, low, high)
        if rule.name == "threshold":
            labels = [_threshold_label(rule) if math.isnan(v) else text for v, text in zip(value, labels)]
        new |= {column: value, f"{column}_low": low, f"{column}_high": high, f"{column}_label": labels}
    # Built in one go: column by column assignment was a large part of a page's run time.
    kept = {c: frame[c] for c in frame.columns if c not in new}
    order = list(frame.columns) + [c for c in new if c not in frame.columns]
    return pd.DataFrame({c: (kept[c] if c in kept else new[c]) for c in order}, index=frame.index)


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
    if rule.name == "threshold":
        small = (raw >= 1) & (raw < rule.k)
        return (np.where(small, np.nan, raw).astype(float), np.where(small, 1, raw).astype(int),
                np.where(small, rule.k - 1, raw).astype(int))
    return raw.astype(float), raw.astype(int), raw.astype(int)


def _labels(values: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> list[str]:
    # Tables repeat the same few counts: each distinct one is formatted once.
    known: dict[tuple, str] = {}
    out = []
    for value, low, high in zip(values.tolist(), lows.tolist(), highs.tolist()):
        key = (None if math.isnan(value) else value, low, high)
        text = known.get(key)
        if text is None:
            text = known[key] = _label(value, low, high)
        out.append(text)
    return out


def _label(value: float, low: int, high: int) -> str:
    return f"{fmt_int(low)}–{fmt_int(high)}" if math.isnan(value) else fmt_int(value)


def _threshold_label(rule: Rule) -> str:
    return f"<{rule.k}"


def secondary(frame: pd.DataFrame, column: str, groups: list[str], rule: Rule) -> pd.DataFrame:
    """Under threshold:K, a group (e.g. the categories of one year) with exactly
    one suppressed cell would give it away through the group's total: the next
    smallest non-zero cell of that group is suppressed too."""
    if rule.name != "threshold" or frame.empty:
        return frame
    out = frame.copy()
    keys = out[groups].apply(tuple, axis=1) if groups else pd.Series([()] * len(out), index=out.index)
    for key in keys.unique():
        rows = out.index[keys == key]
        hidden = out.loc[rows, column].isna()
        if hidden.sum() == 1:
            candidates = out.loc[rows][~hidden & (out.loc[rows, column] > 0)]
            if not candidates.empty:
                victim = candidates[column].idxmin()
                out.loc[victim, column] = np.nan
                out.loc[victim, f"{column}_low"] = 0
                out.loc[victim, f"{column}_high"] = 0   # drawn as nothing: not even a bound is given away
                out.loc[victim, f"{column}_label"] = "…"
    return out


def smallest_shown(rule: Rule) -> int:
    """The smallest count the rule shows as a figure of its own (not a range, not suppressed)."""
    return rule.k if rule.name == "threshold" else 5 if not rule.exact else 1


def complement_window(rule: Rule) -> int:
    """The largest gap between a filtered count and its unfiltered counterpart that must not be
    worked out: the rule's hidden counts (1-4, or 1 to K-1), widened by the uncertainty of the two
    shown figures (a count rounded to 3 lies within 1 of it, to 5 within 2), once for the difference of
    the shown figures and once for the true gap, which can lie that far on the other side. With only
    1-4, an exact figure beside its rounded counterpart showed the gap was not 1-4, and the rounding then
    left 5; with the slack counted once (6 under vipunen), a unit's 4 exchanges with Austria followed from all
    units' 36 and the other units' 30, whose true gap was 7 (exchanges without a unit made the rest)."""
    if rule.name == "threshold":
        return rule.k - 1
    slack = {"vipunen": 1, "hesa": 2}.get(rule.name, 0)
    return 4 + 4 * slack


def complement(protected: pd.DataFrame, filtered_raw: pd.DataFrame, whole_raw: pd.DataFrame, column: str,
               rule: Rule) -> pd.DataFrame:
    """Close the differencing attack: where the unfiltered count exceeds the
    filtered one by 1 to `complement_window(rule)`, the filtered count is shown
    only as the range that the (protected) unfiltered count allows, so
    subtracting reveals nothing."""
    return _near(protected, filtered_raw, whole_raw, column, rule, either_way=False)


def closed(protected: pd.DataFrame, raw: pd.DataFrame, keys: list[str], columns: list[str] | tuple[str, ...],
           wholes: Iterable[pd.DataFrame], rule: Rule) -> pd.DataFrame:
    """`protected` (made from `raw`, row for row) with the differencing attack closed (`complement`) against each
    of `wholes`: the same counts without one of the filters in force, by the `keys` columns (a row missing there
    is a count of nobody)."""
    for whole in wholes:
        whole = raw[keys].merge(whole, on=keys, how="left").fillna({c: 0 for c in columns})
        for column in columns:
            protected = complement(protected, raw, whole, column, rule)
    return protected


def differ(protected: pd.DataFrame, raw: pd.DataFrame, reference_raw: pd.DataFrame, column: str,
           rule: Rule, gained: np.ndarray | None = None, lost: np.ndarray | None = None) -> pd.DataFrame:
    """Close the differencing attack between two counts of the same people made two ways (two definitions of
    international): where they differ by 1 to `complement_window(rule)` either way and the difference is made
    by a few people (`gained` or `lost`, the people one definition counts and the other does not, is within the
    window), this one is shown only as the range of counts within that window of the (protected) reference, so
    comparing the two views reveals neither how many people the definitions tell apart nor who. A small
    difference between two large groups (100 gained, 97 lost) tells nothing about anyone and is shown where
    the rule rounds every count; never under a threshold rule, whose exact counts let a filter split such a
    difference into its parts, nor where `gained` and `lost` are not given."""
    window = complement_window(rule)
    if gained is None or lost is None or rule.name == "threshold":
        return _near(protected, raw, reference_raw, column, rule, either_way=True)
    few = (gained <= window) | (lost <= window)
    return _near(protected, raw, reference_raw, column, rule, either_way=True, only=few)


def _near(protected: pd.DataFrame, raw: pd.DataFrame, reference_raw: pd.DataFrame, column: str, rule: Rule,
          either_way: bool, only: np.ndarray | None = None) -> pd.DataFrame:
    """`protected` with each count within the window of its reference shown only as a range around the
    reference: below it (a part of the reference, `either_way` off) or on both sides."""
    if rule.exact:
        return protected
    window = complement_window(rule)
    gap = reference_raw[column].to_numpy() - raw[column].to_numpy()
    gap = np.abs(gap) if either_way else gap
    # A count already shown only as a range is widened too: "1–4" beside a reference of "8–10" pinned a gap of
    # 1–4 to exactly 4. (Not a cell withheld without bounds: it gives nothing to widen.)
    withheld = protected[column].isna().to_numpy() & (protected[f"{column}_high"].to_numpy() == 0)
    risky = (gap >= 1) & (gap <= window) & ~withheld
    if only is not None:
        risky &= only
    if not risky.any():
        return protected
    reference = protect(reference_raw[[column]], [column], rule)
    out = protected.copy()
    low = np.maximum(reference[f"{column}_low"].to_numpy() - window, 0)
    high = reference[f"{column}_high"].to_numpy() + window if either_way else \
        np.maximum(reference[f"{column}_high"].to_numpy() - 1, 0)
    low = np.minimum(low, out[f"{column}_low"].to_numpy())
    high = np.maximum(high, out[f"{column}_high"].to_numpy())
    out.loc[risky, column] = np.nan
    out.loc[risky, f"{column}_low"] = low[risky]
    out.loc[risky, f"{column}_high"] = high[risky]
    out.loc[risky, f"{column}_label"] = [_label(math.nan, lo, hi) for lo, hi in zip(low[risky], high[risky])]
    return out


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
