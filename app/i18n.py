"""Every user-visible string and number passes through here.

`t()` looks the message up in the gettext catalogue of the current language
(locale/<lang>/LC_MESSAGES/messages.mo) and fills in the placeholders; numbers
and percentages are formatted with Babel for that language.
"""

from __future__ import annotations

import contextvars
import re
import gettext
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal, format_percent

LANGUAGES: dict[str, str] = {"en": "English", "fi": "Suomi", "sv": "Svenska"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# Streamlit runs each session's script in its own thread; a context variable
# keeps one session's language from leaking into another's.
_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


def set_language(language: str) -> None:
    _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def language() -> str:
    return _language.get()


@lru_cache(maxsize=None)
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("messages", LOCALE_DIR, languages=[language], fallback=True)


def t(message: str, /, **values: object) -> str:
    """The message in the current language, with {placeholders} filled in."""
    text = _catalogue(language()).gettext(message)
    return text.format(**values) if values else text


def tn(singular: str, plural: str, n: int, /, **values: object) -> str:
    text = _catalogue(language()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def fmt_int(value: float | int) -> str:
    return format_decimal(round(value), locale=language())


def fmt_pct(share: float, decimals: int = 0) -> str:
    pattern = Locale.parse(language()).percent_formats[None].pattern  # "#,##0%" in English, "#,##0 %" in Finnish
    if decimals:
        pattern = re.sub(r"0(\s?%)", "0." + "0" * decimals + r"\1", pattern)
    return format_percent(share, format=pattern, locale=language())


def fmt_pp(change: float) -> str:
    """A change of a share in percentage points, signed."""
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return t("{sign}{value} pp", sign=sign, value=format_decimal(abs(change) * 100, format="#,##0.0", locale=language()))
