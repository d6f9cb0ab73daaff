"""Finnish and Swedish: complete catalogues, and no English left on any page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from app.present import pages as site
from app.words import i18n, labels
from tests.truth import each_tab

ROOT = Path(__file__).resolve().parent.parent
PAGES = [page.script for page in site.PAGES.values()]
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::[^}]*)?\}")


def catalogue(lang: str):
    with (ROOT / "locale" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def template():
    with (ROOT / "locale" / "messages.pot").open("rb") as handle:
        return read_po(handle)


def test_the_template_holds_every_message_in_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-k", "t", "-k", "tc:1c,2",
                    "-k", "tn:1,2", "--no-location", "-o", str(fresh), "app", "pages", "dashboard.py"],
                   cwd=ROOT, check=True, capture_output=True)
    with fresh.open("rb") as handle:
        in_code = {(m.context, m.id) for m in read_po(handle) if m.id}
    assert in_code == {(m.context, m.id) for m in template() if m.id}, "run bin/translations"


def test_every_message_the_code_asks_for_is_in_the_template():
    # The extractor skips calls inside f-strings and under other names: "Other countries" and two balance
    # phrases stayed English in Finnish and Swedish.
    import ast

    known = {m.id if isinstance(m.id, str) else m.id[0] for m in template() if m.id}
    asked = set()
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else None)
            first = node.args[1] if name == "tc" and len(node.args) > 1 else node.args[0]
            if name in {"t", "tc", "tn", "translate"} and isinstance(first, ast.Constant) and isinstance(first.value,
                                                                                                         str):
                asked.add((path.relative_to(ROOT).as_posix(), first.value))
    assert [a for a in asked if a[1] not in known] == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_message_is_translated_with_the_same_placeholders(lang):
    translations = {(m.context, m.id): m.string for m in catalogue(lang) if m.id}
    for message in template():
        if not message.id:
            continue
        translated = translations.get((message.context, message.id))
        # A plural message: every form translated, and the forms together use the English forms' placeholders.
        forms = translated if isinstance(translated, (tuple, list)) else (translated,)
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        assert forms and all(forms), f"{lang}: no translation for {message.id!r}"
        assert {p for form in forms for p in PLACEHOLDER.findall(form)} == \
            {p for form in english for p in PLACEHOLDER.findall(form)}, message.id


def english_phrases(lang: str) -> set[str]:
    """English messages that must not appear on a Finnish or Swedish page: the
    fixed parts of every message (unless the translation itself contains them,
    as "IV Professori" contains "IV Professor")."""
    translations = {(m.context, m.id): m.string for m in catalogue(lang) if m.id}
    phrases = set()
    for message in template():
        if not message.id:
            continue
        translated = translations[(message.context, message.id)]
        # A plural message has a form for one and for many, in English and in the translation.
        forms = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = " ".join(translated) if isinstance(translated, (tuple, list)) else translated
        for part in (part for form in forms for part in PLACEHOLDER.split(form)[::2]):
            part = part.strip(" .,:;—–-()*#")
            if len(part) >= 12 and " " in part and part not in translated:
                phrases.add(part)
    return phrases


def rendered_text(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [m.label for m in at.metric] + [str(m.value) for m in at.metric] + [str(m.delta or "") for m in at.metric]
    for kind in ("selectbox", "multiselect", "slider", "text_input", "button"):
        parts += [w.label for w in getattr(at, kind)]
    parts += [w.label for w in at.sidebar.selectbox] + [w.label for w in at.sidebar.multiselect]
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        layout = figure["layout"]
        parts.append(layout.get("title", {}).get("text", ""))
        parts.append(layout.get("title", {}).get("subtitle", {}).get("text", ""))
        for axis in ("xaxis", "yaxis"):
            parts.append(layout.get(axis, {}).get("title", {}).get("text", ""))
        parts += [str(trace.get("name", "")) for trace in figure["data"]]
        parts += [str(h) for trace in figure["data"] for h in (trace.get("customdata") or [])[:3] if isinstance(h, str)]
    for frame in at.dataframe:
        parts += [str(c) for c in frame.value.columns]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_finnish_and_swedish_without_english_left(demo_warehouse, monkeypatch, lang, page):
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    if page != "dashboard.py":
        at.switch_page(page)
    at.run()
    assert not at.exception and not at.error
    # AppTest formats select box values in this thread when it reruns for the next tab: same language here.
    i18n.set_language(lang)
    try:
        text = "\n".join(rendered_text(at) + "\n".join(tab.label for tab in at.tabs) for at in each_tab(at))
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)
    leftovers = sorted(p for p in english_phrases(lang) if p in text)
    assert not leftovers, leftovers
    assert at.query_params["lang"] == lang


def test_numbers_and_percentages_follow_the_language(demo_warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    values = {}
    for lang in ("en", "fi", "sv"):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        values[lang] = at.metric[0].value
    assert values["en"] == "29%" and values["fi"] == "29\xa0%" and values["sv"] == "29\xa0%"
    i18n.set_language("fi")
    assert i18n.fmt_int(1234) == "1\xa0234" and i18n.fmt_pct(0.271, 1) == "27,1\xa0%"
    i18n.set_language("en")
    assert i18n.fmt_int(1234) == "1,234" and i18n.fmt_pct(0.27) == "27%"


def test_the_published_headline_in_finnish(demo_warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "fi"
    at.query_params["years"] = "2010-2022"
    at.run()
    text = " ".join(m.value for m in at.text)
    assert "Kansainvälisten professorien osuus kasvoi: 9\xa0% vuonna 2010, 27\xa0% vuonna 2022." in text


@pytest.mark.parametrize("lang, germany, russia", [("en", "Germany", "Russia"), ("fi", "Saksa", "Venäjä"),
                                                   ("sv", "Tyskland", "Ryssland")])
def test_country_names_in_each_language(lang, germany, russia):
    i18n.set_language(lang)
    try:
        assert labels.country("DEU") == germany and labels.country("RUS") == russia
    finally:
        i18n.set_language("en")


def test_the_browser_language_picks_the_default():
    assert i18n.browser_language("fi-FI", None) == "fi"
    assert i18n.browser_language(None, "de-DE,sv;q=0.8,en;q=0.5") == "sv"
    assert i18n.browser_language("ja-JP", "ja") == "en"
