"""One colour-blind-safe look for every chart (Okabe-Ito palette), on screen and in exports.

The same colours are set for Streamlit in .streamlit/config.toml.
"""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe-Ito, with orange, sky blue and yellow darkened to at least 3:1 against white (WCAG's contrast for
# lines and bars; the originals were 2.3, 2.3 and 1.3).
BLUE, ORANGE, GREEN, PINK, SKY, VERMILLION, YELLOW, GREY = (
    "#0072B2", "#C27C00", "#009E73", "#CC79A7", "#3A9AD9", "#D55E00", "#9A8400", "#8C8C8C")
PALETTE = [BLUE, ORANGE, GREEN, PINK, SKY, VERMILLION, GREY, YELLOW]
# Regions need a ninth hue: darkened yellow beside darkened orange read as one gold (Oceania and Asia).
PURPLE = "#6F4E9E"
TEXT = "#1F2937"
MUTED = "#6B7280"
GRID = "#E5E7EB"

POPULATION_COLOURS = {
    "professors": BLUE, "teaching_research": SKY, "other_teaching_research": SKY, "other_staff": GREY,
    "all_staff": GREEN, "degree_students": ORANGE, "bachelor": PINK, "master": ORANGE, "doctoral": VERMILLION,
    "new_students": PINK,
}
CATEGORY_COLOURS = {"international": BLUE, "other_international": SKY, "home": "#C9D3DD", "unknown": "#F2F2F2"}
REGION_COLOURS = {"nordic": SKY, "eu_eea": BLUE, "europe_other": GREEN, "asia": ORANGE, "africa": VERMILLION,
                  "americas": PINK, "oceania": PURPLE, "other": GREY,
                  "several": GREY}
SEQUENTIAL = ["#E8F1F8", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B"]
FONT = "Inter, 'Source Sans Pro', 'Helvetica Neue', Arial, sans-serif"

# Every figure names this template itself (charts.py), not through plotly's default template, which
# changes with import order (importing Streamlit makes its own the default).
TEMPLATE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=14, color=TEXT),
    title=dict(font=dict(size=18, color=TEXT), x=0.01, xanchor="left", xref="container", y=0.98, yanchor="top",
               subtitle=dict(font=dict(size=13, color=MUTED))),
    colorway=PALETTE,
    paper_bgcolor="white",
    plot_bgcolor="white",
    margin=dict(l=20, r=30, t=110, b=20),
    xaxis=dict(automargin=True, showgrid=False, linecolor="#9CA3AF", ticks="outside", tickcolor="#9CA3AF", zeroline=False,
               title=dict(font=dict(size=13, color=MUTED))),
    yaxis=dict(automargin=True, gridcolor=GRID, zeroline=False, linecolor="#9CA3AF", title=dict(font=dict(size=13, color=MUTED))),
    legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", title=dict(text=""),
                font=dict(size=13)),
    hoverlabel=dict(bgcolor="white", font=dict(family=FONT, size=13, color=TEXT), bordercolor="#9CA3AF"),
    separators=".,",
))


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(colour: str, background: str = "#FFFFFF") -> float:
    """WCAG contrast ratio of two colours."""
    a, b = _luminance(colour), _luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def ink(colour: str) -> str:
    """`colour` darkened until text in it reaches 4.5:1 against white (WCAG AA), for labels in a series' colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    while contrast("#%02X%02X%02X" % tuple(channels)) < 4.5:
        channels = [int(c * 0.92) for c in channels]
    return "#%02X%02X%02X" % tuple(channels)
