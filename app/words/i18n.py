"""Every user-visible string and number passes through here.

`t()` looks the message up in the gettext catalogue of the current language
(locale/<lang>/LC_MESSAGES/messages.mo) and fills in the placeholders; numbers
and percentages are formatted with Babel for that language.
"""

from __future__ import annotations

import math

import contextvars
import io
import re
import gettext
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar
from pathlib import Path

from babel import Locale
from babel.numbers import NumberPattern, format_decimal, parse_pattern

T = TypeVar("T")

LANGUAGES: dict[str, str] = {"en": "English", "fi": "Suomi", "sv": "Svenska"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"

# Streamlit runs each session's script in its own thread; a context variable
# keeps one session's language from leaking into another's.
_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


def set_language(language: str) -> None:
    _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def language() -> str:
    return _language.get()


def in_this_language(make: Callable[[], T]) -> Callable[[], T]:
    """`make`, to be called later on another thread (a download made when clicked), in the language of now:
    Streamlit runs such callables outside the session's thread, where the language was English."""
    chosen = language()

    def run() -> T:
        def inside() -> T:
            set_language(chosen)
            return make()
        return contextvars.copy_context().run(inside)   # a fresh context: nothing leaks into the caller's
    return run


@lru_cache(maxsize=None)
def _catalogue(language: str) -> gettext.NullTranslations:
    """The language's .po file, compiled in memory (no .mo files to keep in step)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():   # English: the messages are the text
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def t(message: str, /, **values: object) -> str:
    """The message in the current language, with {placeholders} filled in."""
    text = _catalogue(language()).gettext(message)
    return text.format(**values) if values else text


def tc(context: str, message: str, /, **values: object) -> str:
    """As t(), for a message whose translation depends on its use (e.g. a grammatical case)."""
    text = _catalogue(language()).pgettext(context, message)
    return text.format(**values) if values else text


def sentence(text: str) -> str:
    """Capitalise the first letter: templates may start with a lower-case placeholder."""
    return text[:1].upper() + text[1:] if text else text


def plotly_separators() -> str:
    """Decimal and thousands separators as Plotly wants them ("." and "," in English)."""
    locale = Locale.parse(language())
    return locale.number_symbols["latn"]["decimal"] + locale.number_symbols["latn"]["group"].replace("\u00a0", " ")


def browser_language(locale: str | None, accept_language: str | None) -> str:
    """The first of the browser's preferred languages that the dashboard speaks."""
    candidates = [locale or ""] + [part.split(";")[0] for part in (accept_language or "").split(",")]
    for candidate in candidates:
        code = candidate.strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def tn(singular: str, plural: str, n: int, /, **values: object) -> str:
    text = _catalogue(language()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def fmt_int(value: float | int) -> str:
    return _fmt_int(round(value), language())


@lru_cache(maxsize=65536)
def _fmt_int(value: int, lang: str) -> str:
    # Babel is exact but not fast, and charts repeat the same few numbers.
    return format_decimal(value, locale=lang)


def fmt_pct(share: float, decimals: int = 0) -> str:
    locale, pattern = _percent_format(language(), decimals)
    return pattern.apply(share, locale)


@lru_cache(maxsize=None)
def _percent_format(lang: str, decimals: int) -> tuple[Locale, NumberPattern]:
    # Parsed once per language: charts format hundreds of percentages per page run.
    locale = Locale.parse(lang)
    pattern = locale.percent_formats[None].pattern  # "#,##0%" in English, "#,##0 %" in Finnish
    if decimals:
        pattern = re.sub(r"0(\s?%)", "0." + "0" * decimals + r"\1", pattern)
    return locale, parse_pattern(pattern)


def share_decimals(share: float) -> int:
    """Shares under 5% get one decimal (a rise from 0.2% to 0.4% must not read "0% and 0%"; below 5% a whole
    percent can be a tenth off); larger ones none. The same everywhere a share is written: cards, charts,
    summaries, files."""
    return 1 if 0 < abs(share) < 0.05 else 0


def share_shown(share: float) -> float:
    """A share in percent as written."""
    return round(share * 100, share_decimals(share)) + 0.0


def fmt_share(share: float) -> str:
    return fmt_pct(share, share_decimals(share))


def fmt_share_range(low: float, high: float) -> str:
    """A share known only as a range ("0.3%–1.0%"); one figure when both ends read the same ("0.2%"), and
    "–" when not even a range is known."""
    if math.isnan(low) or math.isnan(high):
        return "–"
    decimals = max(share_decimals(low), share_decimals(high))   # "4.9%–6.0%", not "4.9%–6%"
    first, last = fmt_pct(low, decimals), fmt_pct(high, decimals)
    return first if first == last else f"{first}–{last}"


def fmt_decimal(value: float, decimals: int = 1) -> str:
    """A measure that is not a count ("23.4", Finnish "23,4")."""
    return format_decimal(round(value, decimals), format="#,##0." + "0" * decimals, locale=language())


def fmt_decimal_range(low: float, high: float, decimals: int = 1) -> str:
    """A measure known only as a range ("17.4–30.5"); one figure when both ends read the same."""
    if math.isnan(low) or math.isnan(high):
        return "–"
    first, last = fmt_decimal(low, decimals), fmt_decimal(high, decimals)
    return first if first == last else f"{first}–{last}"


def pp_shown(change: float) -> float:
    """A change of a share in percentage points as written (one decimal): its sign is the sign people read."""
    return round(change * 100, 1) + 0.0   # + 0.0: no "-0.0"


def fmt_pp(change: float) -> str:
    """A change of a share in percentage points, signed by the figure as written ("±0.0 pp", never "−0.0 pp")."""
    shown = pp_shown(change)
    sign = "+" if shown > 0 else ("−" if shown < 0 else "±")
    return t("{sign}{value} pp", sign=sign, value=format_decimal(abs(shown), format="#,##0.0", locale=language()))
