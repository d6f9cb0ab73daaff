"""Every chart's figure is a valid Plotly figure, and the browser receives what validation would give.

The pages build figures without Plotly's validation (charts.made: it cost 20-30 ms a chart at every run), so a
mistyped property would reach the browser unnoticed, and a value Plotly's validation would have converted could
be sent differently. Here every chart of every page is made twice, once with validation (which raises on an
unknown property or a bad value), and what each sends (the chart, the page's copy of it and the exports' copies)
must be the same; the exports' copies are validated too.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from app.model.data import Warehouse
from app.model.disclosure import parse_rule
from app.model.filters import Filters, defaults
from app.present import charts, pages, views
from app.reports import exports
from app.words import i18n, safe_text


VALIDATED: list[int] = []


def _validated(data: list[dict], layout: dict) -> go.Figure:
    VALIDATED.append(1)
    return go.Figure(data=safe_text.plotly_traces(data), layout=layout)


def _sent(wh: Warehouse, filters: Filters, rule: str) -> dict[str, tuple[dict, ...]]:
    """Each chart as the page sends it, and as the exports draw it (with and without its footnote)."""
    made = pages.everything(wh, filters, parse_rule(rule))
    meta = exports.Meta.of(wh, filters, parse_rule(rule))
    return {chart.key: tuple(json.loads(pio.to_json(figure, validate=False)) for figure in (
                chart.figure, views.on_screen(chart), exports.figure_for_export(chart, meta),
                exports.figure_for_export(chart, meta, footnote=False)))
            for chart in made if chart.figure is not None}


# Ranges drawn as bars from a base (vipunen); a filtered view in Finnish under another definition and a threshold
# rule (country filter: the single-country charts).
@pytest.mark.parametrize("rule, language, filtered", [("vipunen", "en", False), ("threshold:5", "fi", True)])
def test_every_figure_is_valid_and_sent_as_a_validated_one_would_be(demo_warehouse, monkeypatch, rule, language,
                                                                      filtered):
    wh = Warehouse(demo_warehouse)
    first, last = wh.options.years[0], wh.options.years[-1]
    filters = Filters(years=(first, last), countries=("DEU",), units=("SCI",), definition="any_foreign") \
        if filtered else defaults(wh.options)
    i18n.set_language(language)
    try:
        fast = _sent(wh, filters, rule)
        VALIDATED.clear()
        with monkeypatch.context() as m:
            m.setattr(charts, "made", _validated)
            # Opened anew: a warehouse keeps the figures it made (Warehouse.remembered), which would be compared
            # with themselves.
            strict = _sent(Warehouse(demo_warehouse), filters, rule)
    finally:
        i18n.set_language("en")
    assert len(fast) > 20 and fast.keys() == strict.keys() and len(VALIDATED) >= len(fast) - 2
    for key in fast:
        assert fast[key] == strict[key], key
        for sent in fast[key][2:]:
            go.Figure(sent)   # the exports' additions to the figure are valid too
