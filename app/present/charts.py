"""Plotly figures for the dashboard and its exports, built from protected frames.

Protected counts that may only be shown as a range ("1–4") are drawn as
hatched bars reaching the top of the range and labelled as ranges, never as
an exact number; shares that can only be a range are drawn as an interval.

Each figure is written as one plain spec (traces and layout as dicts) and
handed to `go.Figure` once, unvalidated (`made`): building it up with
add_trace/update_layout validated every step and cost ~25 ms a chart, and even
one validation cost 20-30 ms.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.model import definitions
from app.present import theme
from app.words import labels, safe_text
from app.words.i18n import (fmt_decimal, fmt_decimal_range, fmt_pct, fmt_share, fmt_share_range, plotly_separators,
                            sentence, t, tn)
from app.words.labels import SMALL_COUNTRIES

HEIGHT = 440


def _share_text(share: float, low: float, high: float, international: str, known: str) -> str:
    if not math.isnan(share):
        return t("{share} — {international} of {known}", share=fmt_share(share), international=international, known=known)
    if math.isnan(low):
        return t("not shown: too few people for the disclosure rule")   # 1–4 (Vipunen), under 22.5 (HESA)
    return t("{shares} — {international} of {known}", shares=fmt_share_range(low, high),
             international=international, known=known)


def _count_or_top(values: pd.Series, highs: pd.Series) -> pd.Series:
    """Bar lengths: the protected count, or the top of its range where only a range may be shown."""
    return values.where(values.notna(), highs)


def _year_ticks(years: pd.Series, most: int = 16) -> list[int]:
    """Every year, or every second (or more) when more than `most` would not fit (a chart half the page wide
    fits about 8)."""
    first, last = int(years.min()), int(years.max())
    step = max(1, math.ceil((last - first) / most))
    return list(range(first, last + 1, step))


def _title(title: str, subtitle: str) -> dict:
    # Titles name partners, networks and units from the data: escaped, so no name becomes a link.
    return dict(text=f"<b>{safe_text.plotly(title)}</b>", subtitle=dict(text=safe_text.plotly(subtitle)))


def made(data: list[dict], layout: dict) -> go.Figure:
    """The figure of `data` (traces, their text escaped) and `layout`, not validated: Plotly's validation cost
    20-30 ms a chart at every page run, and these specs are the same at every run but for their numbers. Plotly's
    validation never escaped anything (safe_text does); tests/test_figures.py makes every chart of every page
    with and without it and requires the same figure, and validates the exports' copies."""
    for trace in data:
        if "base" in trace and not isinstance(trace["base"], (int, float)):
            # Validation turned an array `base` (a property of any type, for Plotly) into a plain list; so does
            # this, so the browser receives what it did.
            trace["base"] = np.asarray(trace["base"]).tolist()
    return go.Figure(data=safe_text.plotly_traces(data), layout=layout, _validate=False)


def _figure(data: list[dict], title: str, subtitle: str, x_title: str, y_title: str, *,
            xaxis: dict | None = None, yaxis: dict | None = None, **layout) -> go.Figure:
    """The common layout of the dashboard's cartesian charts around `data`."""
    return made(data, {
        "template": theme.TEMPLATE, "title": _title(title, subtitle), "height": HEIGHT, "hovermode": "closest",
        "separators": plotly_separators(), "xaxis": dict(title=dict(text=x_title), **(xaxis or {})),
        "yaxis": dict(title=dict(text=y_title), **(yaxis or {})), **layout})


# Counts on an axis with the language's thousands separator (1 224, not 1224); never years, whose axes
# name their ticks (tickvals), nor shares (percent_ticks).
def count_ticks(top: float) -> dict:
    """Ticks of a count axis up to `top`: whole numbers only (no "0.5 people" when the counts are small)."""
    return dict(tickformat=",~f", **({"tick0": 0, "dtick": 1} if top <= 8 else {}))


def percent_ticks(top: float) -> dict:
    """Percentage ticks written as the language writes them (27% / 27 %), for one axis."""
    step = next(s for s in (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25) if top / s <= 8)
    values = [round(i * step, 4) for i in range(int(top / step) + 1)]
    return dict(tickvals=values, ticktext=[fmt_pct(v, 1 if step < 0.01 else 0) for v in values])


def _range_bars(x: pd.Series, low: pd.Series, high: pd.Series, hover: list[str], colour: str, name: str) -> dict:
    """Figures known only as a range ("1–4"), each drawn as a pale bar from its lowest to its highest
    value, never as a point: a point at the middle read as a number (2.5 people)."""
    xs, ys, texts = [], [], []
    for year, lo, hi, text in zip(x, low, high, hover):
        xs += [year, year, None]
        ys += [lo, hi, None]
        texts += [text, text, None]
    return dict(type="scatter", x=xs, y=ys, mode="lines", showlegend=False, name=name, opacity=0.45,
                line=dict(color=colour, width=9), customdata=texts,
                hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{customdata}}<extra></extra>")


def share_lines(frame: pd.DataFrame, keys: tuple[str, ...], title: str, subtitle: str, *, series: str = "population",
                names=labels.population, colours: dict[str, str] | None = None, part: str = "international",
                whole: str = "known", y_title: str | None = None, narrow: bool = False) -> go.Figure:
    """A share per year, one line per series (populations by default), labelled at both ends;
    the hover says what it is a share of ("27% — 105 of 387")."""
    colours = colours or theme.POPULATION_COLOURS
    data, ends = [], []
    for key in keys:
        rows = frame[frame[series] == key].sort_values("year")
        if rows.empty:
            continue
        colour = colours[key]
        hover = [_share_text(s, lo, hi, i, k) for s, lo, hi, i, k in
                 zip(rows["share"], rows["share_low"], rows["share_high"], rows[f"{part}_label"], rows[f"{whole}_label"])]
        name = names(key)
        data.append(dict(
            type="scatter", x=rows["year"], y=rows["share"], name=name, mode="lines+markers",
            line=dict(color=colour, width=3), marker=dict(size=7), customdata=hover,
            hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{customdata}}<extra></extra>"))
        ranged = rows["share"].isna() & rows["share_low"].notna()
        if ranged.any():
            data.append(_range_bars(rows["year"][ranged], rows["share_low"][ranged], rows["share_high"][ranged],
                                    [h for h, r in zip(hover, ranged) if r], colour, name))
        known = rows.dropna(subset=["share"])
        if len(known) >= 2:
            ends.append((known.iloc[0], known.iloc[-1], colour))
    # A floor of 5%: when every share is 0 the axis still has a height (it divided by zero).
    top = min(1.0, max(0.05, float(frame["share_high"].max()) * 1.08)) if frame["share_high"].notna().any() else 1.0
    years = frame["year"]
    return _figure(data, title, subtitle, t("Year"), y_title or t("Share"),
                   xaxis=dict(tickvals=_year_ticks(years, 8 if narrow else 16),
                              range=[years.min() - 1.2, years.max() + 1.2]),
                   yaxis=dict(range=[0, top], **percent_ticks(top)),
                   **({"annotations": _end_labels(ends, top)} if ends else {}))


def _end_labels(ends: list, top: float) -> list[dict]:
    """The first and last value of each line, written beside it; labels that
    would overlap are pushed apart vertically."""
    pixels_per_unit = (HEIGHT - 170) / top
    gap = 16 / pixels_per_unit
    annotations = []
    for side, anchor, shift in ((0, "right", -8), (1, "left", 8)):
        points = sorted(((row["share"], row["year"], colour) for *rows, colour in ends for row in [rows[side]]),
                        key=lambda p: p[0])
        placed: list[float] = []
        for value, year, colour in points:
            offset = 0.0
            if placed and (value + offset) - placed[-1] < gap:
                offset = placed[-1] + gap - value
            placed.append(value + offset)
            annotations.append(dict(x=year, y=value, text=f"<b>{fmt_share(value)}</b>", showarrow=False, xanchor=anchor,
                                    xshift=shift, yshift=offset * pixels_per_unit, font=dict(color=theme.ink(colour), size=13)))
    return annotations


def composition_bars(frame: pd.DataFrame, title: str, subtitle: str) -> go.Figure:
    """People per year by citizenship: home country, international, unknown."""
    data = []
    order = ["international", "other_international", "home", "unknown"]
    totals = frame.groupby("year")["headcount_high"].sum()
    for category in [c for c in order if c in set(frame["category"])]:
        rows = frame[frame["category"] == category].sort_values("year")
        ranged = rows["headcount"].isna()
        heights = _count_or_top(rows["headcount"], rows["headcount_high"])
        name = labels.category(category)
        shares = [fmt_share(h / totals[y]) if totals[y] else "" for h, y in zip(heights, rows["year"])]
        hover = [t("{count} people ({share} of all)", count=label, share=share) for label, share in
                 zip(rows["headcount_label"], shares)]
        data.append(dict(
            type="bar", x=rows["year"], y=heights, name=name, marker=dict(
                color=theme.CATEGORY_COLOURS[category], line=dict(color="#9CA3AF", width=0.5),
                pattern=dict(shape=["/" if r else "" for r in ranged], fgcolor="#6B7280")),
            customdata=hover, hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{customdata}}<extra></extra>"))
    return _figure(data, title, subtitle, t("Year"), t("Headcount (people)"),
                   xaxis=dict(tickvals=_year_ticks(frame["year"])), yaxis=count_ticks(float(totals.max())), barmode="stack",
                   bargap=0.25)


def share_bars(frame: pd.DataFrame, column: str, names, title: str, subtitle: str, x_title: str) -> go.Figure:
    """One year's international share by unit, stage or level, as horizontal bars."""
    # A share known only as a range is a hatched bar from its lowest to its highest value, labelled with the
    # range (a bar to the top of the range labelled "range" read as a share of its length).
    middle = frame["share"].fillna((frame["share_low"] + frame["share_high"]) / 2)
    rows = frame.assign(_order=middle).sort_values("_order", na_position="first")
    text = [_share_text(s, lo, hi, i, k) for s, lo, hi, i, k in
            zip(rows["share"], rows["share_low"], rows["share_high"], rows["international_label"], rows["known_label"])]
    exact = rows["share"].notna()
    base = rows["share_low"].where(~exact, 0).fillna(0)
    length = rows["share"].where(exact, rows["share_high"] - rows["share_low"]).fillna(0)
    bars = dict(
        type="bar", y=[names(v) for v in rows[column]], x=length, base=base, orientation="h",
        marker=dict(color=theme.BLUE, pattern=dict(shape=["" if e else "/" for e in exact], fgcolor="white"),
                    line=dict(color=theme.BLUE, width=1)),
        text=[fmt_share(s) if e else fmt_share_range(lo, hi) for s, e, lo, hi in
              zip(rows["share"], exact, rows["share_low"], rows["share_high"])], textposition="outside",
        cliponaxis=False, customdata=text, hovertemplate="<b>%{y}</b><br>%{customdata}<extra></extra>")
    shown = base + length
    right = max(0.1, float(shown.max()) * 1.18)
    return _figure([bars], title, subtitle, x_title, "",
                   xaxis=dict(range=[0, right], gridcolor=theme.GRID, showgrid=True, **percent_ticks(right)),
                   yaxis=dict(showgrid=False), height=max(280, 90 + 46 * len(rows)))


def count_bars(frame: pd.DataFrame, title: str, subtitle: str, x_title: str) -> go.Figure:
    """Top countries of origin as horizontal bars of headcount."""
    rows = frame.iloc[::-1]
    ranged = rows["headcount"].isna()
    heights = _count_or_top(rows["headcount"], rows["headcount_high"])
    shares = [fmt_share(s) if not math.isnan(s) else fmt_share_range(lo, hi)
              for s, lo, hi in zip(rows["share"], rows["share_low"], rows["share_high"])]
    hover = [t("{count} people — {share} of {total} international people", count=c, share=s, total=total)
             for c, s, total in zip(rows["headcount_label"], shares, rows["all_international_label"])]
    bars = dict(
        type="bar", y=[labels.country(c) for c in rows["citizenship"]], x=heights, orientation="h",
        # One colour: the bars differ in length only (a colour per region had no legend; the regions have their
        # own chart).
        marker=dict(color=theme.BLUE, pattern=dict(shape=["/" if r else "" for r in ranged], fgcolor="white")),
        text=list(rows["headcount_label"]), textposition="outside", cliponaxis=False,
        customdata=hover, hovertemplate="<b>%{y}</b><br>%{customdata}<extra></extra>")
    return _figure([bars], title, subtitle, x_title, "",
                   xaxis=dict(range=[0, float(heights.max()) * 1.15 + 1], gridcolor=theme.GRID, showgrid=True,
                              **count_ticks(float(heights.max()))),
                   height=max(280, 90 + 42 * len(rows)))


CHANGE_KINDS = ("international", "home", "unknown")   # what the definition makes of people, one colour each


def change_bars(frame: pd.DataFrame, title: str, subtitle: str) -> go.Figure:
    """People counted on another side by a definition than by register citizenship, one bar per change, coloured
    by which way they move (a legend says), with the definition and why as its label."""
    rows = frame.iloc[::-1].reset_index(drop=True)
    heights = _count_or_top(rows["headcount"], rows["headcount_high"])
    # Labels on two lines (the definition in bold, why under it), the why wrapped: long Finnish labels squeezed
    # the bars into a corner.
    names = [f"<b>{safe_text.plotly(sentence(definitions.name(d)))}</b><br>"
             + "<br>".join(safe_text.plotly(part) for part in textwrap.wrap(r, 44))
             for d, r in zip(rows["definition"], rows["reason"])]
    kinds = ["unknown" if "unknown" in (b, a) else a for b, a in zip(rows["before"], rows["after"])]
    legend = {"international": t("Counted as international instead"), "home": t("Counted as home instead"),
              "unknown": t("Known by one definition only")}
    colours = {"international": theme.BLUE, "home": "#D97706", "unknown": "#9CA3AF"}
    data = []
    for kind in CHANGE_KINDS:
        at = [i for i, k in enumerate(kinds) if k == kind]
        if not at:
            continue
        data.append(dict(
            type="bar", y=[names[i] for i in at], x=[heights.iloc[i] for i in at], orientation="h",
            name=legend[kind], marker=dict(color=colours[kind], pattern=dict(
                shape=["/" if rows["headcount"].isna().iloc[i] else "" for i in at], fgcolor="white")),
            text=[rows["headcount_label"].iloc[i] for i in at], textposition="outside", cliponaxis=False,
            customdata=[t("{count} people: {move}", count=rows["headcount_label"].iloc[i],
                          move=f"{labels.category(rows['before'].iloc[i])} → {labels.category(rows['after'].iloc[i])}")
                        for i in at],
            hovertemplate="%{customdata}<extra></extra>"))
    figure = _figure(data, title, subtitle, t("Headcount (people)"), "",
                     xaxis=dict(range=[0, float(heights.max()) * 1.15 + 1], gridcolor=theme.GRID, showgrid=True,
                                **count_ticks(float(heights.max()))),
                     yaxis=dict(automargin=True, categoryorder="array", categoryarray=names),
                     height=max(300, 130 + 64 * len(rows)), barmode="overlay",
                     legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    # The labels carry markup made from escaped parts (_figure escaped the data's own texts).
    for trace, kind in zip(figure.data, [k for k in CHANGE_KINDS if k in kinds]):
        trace.y = [names[i] for i, k in enumerate(kinds) if k == kind]
    return figure


MAP_GEO = dict(showframe=False, showcoastlines=False, projection=dict(type="natural earth"),
               lonaxis=dict(range=[-180, 180]), lataxis=dict(range=[-58, 85]), fitbounds=False, showcountries=True,
               countrycolor="#E5E7EB", landcolor="#F3F4F6", showland=True)


def _map(data: list[dict], title: str, subtitle: str, geo: dict) -> go.Figure:
    return made(data, dict(
        template=theme.TEMPLATE,
        title=_title(title, subtitle), height=480, margin=dict(l=0, r=0, t=90, b=0), separators=plotly_separators(),
        geo=geo))


def _nice_step(top: float, ticks: int = 5) -> int:
    """A whole step of 1, 2 or 5 × 10ⁿ that splits 0…top into at most `ticks` parts."""
    magnitude = 10 ** math.floor(math.log10(max(top / ticks, 1)))
    return next(int(m * magnitude) for m in (1, 2, 5, 10) if top / (m * magnitude) <= ticks)


def _count_scale(counts: pd.Series, title: str) -> dict:
    """A colour scale for counts: from 0 (a country with 6 people is not "none"), whole numbers on its bar."""
    top = max(float(counts.max()) if len(counts) else 1.0, 1.0)
    return dict(zmin=0, zmax=top, colorbar=dict(title=dict(text=title), thickness=12, len=0.7, tickformat=",~f",
                                                tick0=0, dtick=_nice_step(top)))


def world_map(frame: pd.DataFrame, title: str, subtitle: str) -> go.Figure:
    """Countries of origin shaded by headcount; ranges in a hatched grey of their own. The countries
    too small to name (one row, SMALL_COUNTRIES) have no place on a map."""
    frame = frame[frame["citizenship"] != SMALL_COUNTRIES]
    exact = frame[frame["headcount"].notna() & (frame["headcount"] > 0)]
    ranged = frame[frame["headcount"].isna()]
    data = [dict(
        type="choropleth", locations=exact["citizenship"], z=exact["headcount"], locationmode="ISO-3",
        colorscale=[[i / (len(theme.SEQUENTIAL) - 1), c] for i, c in enumerate(theme.SEQUENTIAL)],
        **_count_scale(exact["headcount"], t("People")), marker=dict(line=dict(color="white", width=0.5)),
        text=[labels.country(c) for c in exact["citizenship"]], customdata=exact["headcount_label"],
        hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>", name="")]
    if not ranged.empty:
        data.append(dict(
            type="choropleth", locations=ranged["citizenship"], z=[1] * len(ranged), locationmode="ISO-3",
            colorscale=[[0, "#D1D5DB"], [1, "#D1D5DB"]], showscale=False,
            marker=dict(line=dict(color="white", width=0.5)),
            text=[labels.country(c) for c in ranged["citizenship"]], customdata=ranged["headcount_label"],
            hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>", name=t("1–4 people")))
    return _map(data, title, subtitle, {**MAP_GEO, "projection": dict(type="natural earth", rotation=dict(lon=0))})


def headcount_lines(frame: pd.DataFrame, column: str, names, colours: dict[str, str], title: str,
                    subtitle: str, y_title: str | None = None, order: tuple[str, ...] = ()) -> go.Figure:
    """Headcount per year, one line per value of `column`: in `order`, else largest last year first.
    A count known only as a range is drawn as that range (see _range_bars), the line broken there."""
    data = []
    last = frame[frame["year"] == frame["year"].max()].sort_values("headcount_high", ascending=False)[column]
    present = set(frame[column])
    for series in [s for s in dict.fromkeys([*order, *last, *present]) if s in present]:
        rows = frame[frame[column] == series].sort_values("year")
        if rows["headcount_high"].sum() == 0:
            continue
        name = names(series)
        data.append(dict(
            type="scatter", x=rows["year"], y=rows["headcount"], name=name, mode="lines+markers",
            line=dict(color=colours[series], width=2.5), marker=dict(size=7), connectgaps=False,
            customdata=rows["headcount_label"], hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{customdata}}<extra></extra>"))
        ranged = rows["headcount"].isna() & (rows["headcount_high"] > 0)
        if ranged.any():
            data.append(_range_bars(rows["year"][ranged], rows["headcount_low"][ranged], rows["headcount_high"][ranged],
                                    list(rows["headcount_label"][ranged]), colours[series], name))
    return _figure(data, title, subtitle, t("Year"), y_title or t("Headcount (people)"),
                   xaxis=dict(tickvals=_year_ticks(frame["year"])),
                   yaxis=dict(rangemode="tozero", **count_ticks(float(frame["headcount_high"].max()))))


def paired_bars(frame: pd.DataFrame, column: str, names, title: str, subtitle: str) -> go.Figure:
    """Incoming and outgoing side by side for each category, largest first."""
    rows = frame.iloc[::-1]
    data = []
    for direction, colour in (("outgoing", theme.ORANGE), ("incoming", theme.BLUE)):
        ranged = rows[direction].isna()
        name = labels.direction(direction)
        data.append(dict(
            type="bar", y=[names(v) for v in rows[column]], x=_count_or_top(rows[direction], rows[f"{direction}_high"]),
            name=name, orientation="h", marker=dict(color=colour, pattern=dict(shape=["/" if r else "" for r in ranged],
                                                                                fgcolor="white")),
            text=list(rows[f"{direction}_label"]), textposition="outside", cliponaxis=False,
            customdata=list(rows[f"{direction}_label"]), hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{customdata}}<extra></extra>"))
    top = float(max(rows["incoming_high"].max(), rows["outgoing_high"].max()))
    return _figure(data, title, subtitle, t("Exchange periods"), "",
                   xaxis=dict(gridcolor=theme.GRID, showgrid=True, **count_ticks(top)),
                   barmode="group", bargap=0.25, legend=dict(traceorder="reversed"),
                   height=max(300, 110 + 52 * len(rows)))


def diverging_bars(frame: pd.DataFrame, column: str, names, title: str, subtitle: str) -> go.Figure:
    """Incoming minus outgoing per category: right of zero, more came than went. A balance known only as a
    range is a hatched bar from its lowest to its highest value, never a bar to a point in between."""
    rows = frame.iloc[::-1]
    exact = rows["balance"].notna()
    low, high = rows["balance_low"], rows["balance_high"]
    base = low.where(~exact, 0)
    value = rows["balance"].where(exact, high - low)
    middle = rows["balance"].where(exact, (low + high) / 2)   # which side of zero it leans to, for its colour
    hover = [t("In {incoming} · out {outgoing} · balance {balance}", incoming=i, outgoing=o,
               balance=(f"{int(b):+d}" if ok else f"{int(lo):+d}…{int(hi):+d}"))
             for i, o, b, ok, lo, hi in zip(rows["incoming_label"], rows["outgoing_label"], rows["balance"], exact,
                                            rows["balance_low"], rows["balance_high"])]
    bars = dict(
        type="bar", y=[names(v) for v in rows[column]], x=value, base=base, orientation="h",
        marker=dict(color=[theme.BLUE if v >= 0 else theme.ORANGE for v in middle],
                    pattern=dict(shape=["" if ok else "/" for ok in exact], fgcolor="white")),
        customdata=hover, hovertemplate="<b>%{y}</b><br>%{customdata}<extra></extra>")
    zero = dict(type="line", x0=0, x1=0, xref="x", y0=0, y1=1, yref="y domain", line=dict(color="#6B7280", width=1))
    return _figure([bars], title, subtitle, t("Incoming minus outgoing exchange periods"), "",
                   xaxis=dict(gridcolor=theme.GRID, showgrid=True, zeroline=False,
                              **count_ticks(float(max(high.abs().max(), low.abs().max())))), shapes=[zero],
                   height=max(300, 100 + 30 * len(rows)))


def flow_sankey(incoming: pd.DataFrame, outgoing: pd.DataFrame, home: str, title: str, subtitle: str) -> go.Figure:
    """Partner countries sending students and staff (left) and receiving them (right); each country's
    node says its count as the rule writes it (a flow of one country alone is otherwise a block without a number)."""
    other = t("Other countries")   # outside the f-string: the message extractor does not look inside one

    def named(country: str, label: str) -> str:
        return f"{labels.country(country) if country != 'other' else other} ({label})"
    sources = [named(c, n) for c, n in zip(incoming["partner_country"], incoming["incoming_label"])]
    targets = [named(c, n) for c, n in zip(outgoing["partner_country"], outgoing["outgoing_label"])]
    nodes = sources + [home] + targets
    centre = len(sources)
    link_source = list(range(len(sources))) + [centre] * len(targets)
    link_target = [centre] * len(sources) + [centre + 1 + i for i in range(len(targets))]
    values = list(_count_or_top(incoming["incoming"], incoming["incoming_high"])) + \
        list(_count_or_top(outgoing["outgoing"], outgoing["outgoing_high"]))
    hover = list(incoming["incoming_label"]) + list(outgoing["outgoing_label"])
    colours = ["rgba(0,114,178,0.35)"] * len(sources) + ["rgba(230,159,0,0.45)"] * len(targets)
    sankey = dict(
        type="sankey", arrangement="snap",
        node=dict(label=nodes, pad=12, thickness=14, color=[theme.BLUE] * len(sources) + [theme.TEXT] + [theme.ORANGE] * len(targets),
                  hovertemplate="<b>%{label}</b><extra></extra>"),
        link=dict(source=link_source, target=link_target, value=values, color=colours, customdata=hover,
                  hovertemplate="%{source.label} → %{target.label}: %{customdata}<extra></extra>"))
    return made([sankey], dict(template=theme.TEMPLATE, title=_title(title, subtitle), height=560,
                               margin=dict(l=10, r=10, t=100, b=20), font=dict(size=13)))


def value_lines(frame: pd.DataFrame, column: str, value: str, names, colours: dict[str, str], title: str,
                subtitle: str, y_title: str, hover_unit: str) -> go.Figure:
    """A plain measure (not a count) per year, one line per series."""
    data = []
    for series in frame[column].unique():
        rows = frame[frame[column] == series].sort_values("year")
        name = names(series)
        data.append(dict(
            type="scatter", x=rows["year"], y=rows[value], name=name, mode="lines+markers",
            line=dict(color=colours[series], width=2.5),
            hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{y:.0f}} {hover_unit}<extra></extra>"))
    return _figure(data, title, subtitle, t("Year"), y_title,
                   xaxis=dict(tickvals=_year_ticks(frame["year"])),
                   yaxis=dict(rangemode="tozero", **count_ticks(float(frame[value].max()))))


def partner_map(frame: pd.DataFrame, title: str, subtitle: str) -> go.Figure:
    """Partner agreements per country (institutions, not people: exact)."""
    data = [dict(
        type="choropleth", locations=frame["country"], z=frame["partners"], locationmode="ISO-3",
        colorscale=[[i / (len(theme.SEQUENTIAL) - 1), c] for i, c in enumerate(theme.SEQUENTIAL)],
        marker=dict(line=dict(color="white", width=0.5)), **_count_scale(frame["partners"], t("Partners")),
        text=[labels.country(c) for c in frame["country"]], customdata=frame["hover"],
        hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>", name="")]
    return _map(data, title, subtitle, MAP_GEO)


def measure_lines(frame: pd.DataFrame, series: tuple[str, ...], names, colours: dict[str, str], title: str,
                  subtitle: str, y_title: str, percent: bool = False) -> go.Figure:
    """Measures per year, one series each (`<series>`, `<series>_low`, `<series>_high` columns). A series known
    in some year only as a range is drawn as a band from its low to its high end (as wide as the range, never a
    line through its middle); otherwise as a line."""
    data = []
    written = fmt_share if percent else fmt_decimal
    for key in series:
        if key not in frame or frame[f"{key}_low"].isna().all():
            continue
        rows = frame.dropna(subset=[f"{key}_low"]).sort_values("year")
        name = names(key)
        hover = [written(v) if v == v else (fmt_share_range(lo, hi) if percent else fmt_decimal_range(lo, hi))
                 for v, lo, hi in zip(rows[key], rows[f"{key}_low"], rows[f"{key}_high"])]
        if rows[key].notna().all():
            data.append(dict(type="scatter", x=rows["year"], y=rows[key], name=name, mode="lines+markers",
                             line=dict(color=colours[key], width=3), marker=dict(size=7), customdata=hover,
                             hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{customdata}}<extra></extra>"))
            continue
        years = list(rows["year"])
        data.append(dict(type="scatter", x=years + years[::-1],
                         y=list(rows[f"{key}_high"]) + list(rows[f"{key}_low"])[::-1], fill="toself",
                         mode="lines", line=dict(color=colours[key], width=1), fillcolor=colours[key], opacity=0.35,
                         name=name, hoverinfo="skip"))
        data.append(dict(type="scatter", x=years, y=rows[f"{key}_high"], mode="markers", showlegend=False,
                         marker=dict(size=12, opacity=0), name=name, customdata=hover,
                         hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{customdata}}<extra></extra>"))
    top = max(float(frame[f"{key}_high"].max()) for key in series if key in frame and frame[f"{key}_high"].notna().any())
    top = top * 1.1 if top > 0 else 1.0
    yaxis = dict(range=[0, min(top, 1.0)], **percent_ticks(min(top, 1.0))) if percent else \
        dict(range=[0, top], tickformat=",~f")
    years = frame["year"]
    return _figure(data, title, subtitle, t("Year"), y_title,
                   xaxis=dict(tickvals=_year_ticks(years, 8), range=[years.min() - 0.6, years.max() + 0.6]),
                   yaxis=yaxis)


def _translucent(colour: str, alpha: float) -> str:
    """A "#RRGGBB" colour as rgba with `alpha` (a band in its line's colour)."""
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def target_path(frame: pd.DataFrame, projection: pd.DataFrame | None, population: str, target: float,
                target_year: int, target_words: str, title: str, subtitle: str, y_title: str) -> go.Figure:
    """A population's share per year, the straight line of its recent pace on to the target year (dashed, with
    its band), and the target as a point."""
    figure = share_lines(frame, (population,), title, subtitle, y_title=y_title)
    colour = theme.POPULATION_COLOURS[population]
    extra: list[dict] = []
    if projection is not None and not projection.empty:
        hover = [fmt_share(s) + (f" ({fmt_share_range(lo, hi)})" if lo == lo else "")
                 for s, lo, hi in zip(projection["share"], projection["share_low"], projection["share_high"])]
        if projection["share_low"].notna().all():
            extra.append(dict(type="scatter", x=list(projection["year"]) + list(projection["year"])[::-1],
                              y=list(projection["share_high"]) + list(projection["share_low"])[::-1], fill="toself",
                              mode="lines",
                              fillcolor=_translucent(colour, 0.15), line=dict(width=0), hoverinfo="skip",
                              name=t("Band of the recent variation"), showlegend=True))
        extra.append(dict(type="scatter", x=projection["year"], y=projection["share"], mode="lines",
                          line=dict(color=colour, width=2, dash="dash"), name=t("At the recent pace"),
                          customdata=hover, hovertemplate="%{x}: %{customdata}<extra></extra>"))
    extra.append(dict(type="scatter", x=[target_year], y=[target], mode="markers+text", name=t("Target"),
                      marker=dict(symbol="star", size=18, color=theme.VERMILLION, line=dict(color="white", width=1)),
                      text=[target_words], textposition="top center",
                      textfont=dict(color=theme.ink(theme.VERMILLION), size=13),
                      hovertemplate=f"{safe_text.plotly(target_words)}<extra></extra>"))
    highs = [float(frame["share_high"].max()) if not frame.empty else 0.0, target * 1.15]
    if projection is not None and not projection.empty:
        highs.append(float(projection["share_high"].fillna(projection["share"]).max()))
    top = min(1.0, max(highs) * 1.1)
    first = int(frame["year"].min()) if not frame.empty else target_year
    figure.add_traces(safe_text.plotly_traces(extra))
    figure.update_layout(
        showlegend=True, xaxis=dict(tickvals=_year_ticks(pd.Series([first, target_year])),
                                    range=[first - 1.2, target_year + 1.2]),
        yaxis=dict(range=[0, top], **percent_ticks(top)))
    return figure


def retention_bars(frame: pd.DataFrame, title: str, subtitle: str) -> go.Figure:
    """The share still present 1, 3 and 5 years after starting, international and home side by side; a share
    known only as a range is a hatched bar from its low to its high end; a withheld one is not drawn."""
    data = []
    for origin in ("international", "home"):
        rows = frame[frame["origin"] == origin].sort_values("years_after")
        exact = rows["share"].notna()
        base = rows["share_low"].where(~exact, 0).fillna(0)
        length = rows["share"].where(exact, rows["share_high"] - rows["share_low"]).fillna(0)
        written = [fmt_share(s) if e else (fmt_share_range(lo, hi) if lo == lo else t("withheld"))
                   for s, e, lo, hi in zip(rows["share"], exact, rows["share_low"], rows["share_high"])]
        hover = [t("{share}: {retained} of the {cohort} who started", share=w, retained=r, cohort=c)
                 for w, r, c in zip(written, rows["retained_label"], rows["headcount_label"])]
        name = labels.origin(origin)
        colour = ORIGIN_COLOURS[origin]
        data.append(dict(
            type="bar", x=[tn("after {n} year", "after {n} years", int(a)) for a in rows["years_after"]],
            y=length, base=base, name=name, text=written, textposition="outside", cliponaxis=False,
            marker=dict(color=colour, pattern=dict(shape=["" if e else "/" for e in exact], fgcolor="white"),
                        line=dict(color=colour, width=1)),
            customdata=hover, hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{customdata}}<extra></extra>"))
    return _figure(data, title, subtitle, "", t("Still at the university"), barmode="group", bargap=0.3,
                   yaxis=dict(range=[0, 1.12], **percent_ticks(1.0)), showlegend=True)


# International and home people side by side (lines and bars): blue and grey, as in the composition charts.
ORIGIN_COLOURS = {"international": theme.BLUE, "home": theme.GREY}
STAGE_COLOURS = {1: theme.SKY, 2: theme.GREEN, 3: theme.ORANGE, 4: theme.BLUE}
