"""Every figure, summary and exported table of every page, for several filter sets,
every rule and every language, written to one folder: compare two such folders
(`diff -r`) to show a change of code leaves what people see as it was.

    .venv/bin/python -m tests.dump WAREHOUSE OUT_FOLDER
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import plotly.io as pio

from app.model import mobility
from app.present import pages, views
from app.reports import exports
from app.words import i18n, labels
from app.model.data import Warehouse
from app.model.disclosure import parse_rule
from app.model.filters import Filters, describe, to_query

RULES = ("vipunen", "hesa", "threshold:5", "none")
LANGUAGES = ("en", "fi", "sv")


def filter_sets(wh: Warehouse) -> dict[str, Filters]:
    first, last = wh.options.years[0], wh.options.years[-1]
    return {
        "all": Filters(years=(first, last)),
        "sci-2015-2022": Filters(years=(2015, 2022), units=("SCI",)),
        "deu": Filters(years=(first, last), countries=("DEU",)),
        "nordic-female-professors": Filters(years=(first, last), countries=("region:nordic",), genders=("female",),
                                            staff_groups=("professor",)),
        "master-2020": Filters(years=(2020, 2020), levels=("master",), units=("ELEC", "SCI")),
    }


def dump(wh: Warehouse, out: Path) -> int:
    written = 0
    meta = exports.Meta("Demo University", wh.built_at, "", "note", labels.country(wh.home), wh.synthetic)
    for language in LANGUAGES:
        i18n.set_language(language)
        for rule_name in RULES:
            rule = parse_rule(rule_name)
            for name, filters in filter_sets(wh).items():
                folder = out / language / rule_name.replace(":", "-") / name
                folder.mkdir(parents=True, exist_ok=True)
                for number, chart in enumerate(pages.everything(wh, filters, rule)):
                    stem = f"{number:02d}-{chart.key}"
                    # The figures as the browser and the exports receive them (Plotly's JSON).
                    figure = json.loads(pio.to_json(chart.figure)) if chart.figure is not None else None
                    screen = json.loads(pio.to_json(views.on_screen(chart))) if chart.figure is not None else None
                    (folder / f"{stem}.json").write_text(json.dumps(
                        {"title": chart.title, "subtitle": chart.subtitle, "summary": chart.summary,
                         "figure": figure, "screen": screen}, sort_keys=True, indent=1, default=str),
                        encoding="utf-8")
                    if not chart.empty:   # as on the page: an empty chart offers no download
                        (folder / f"{stem}.csv").write_bytes(exports.csv_bytes(chart, meta))
                    written += 2
                (folder / "filters.txt").write_text(
                    f"{describe(filters, wh.options)}\n{to_query(filters, wh.options)}\n", encoding="utf-8")
                table = mobility.partners(wh, filters, rule)
                (folder / "partners.csv").write_text(table.to_csv(index=False), encoding="utf-8")
                written += 1
    return written


if __name__ == "__main__":
    count = dump(Warehouse(Path(sys.argv[1])), Path(sys.argv[2]))
    print(f"{count} files written to {sys.argv[2]}")
