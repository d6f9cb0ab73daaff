"""Text from the data (partner, network, unit and city names come from the
exports) shown where it could otherwise turn into markup.

Plotly reads a subset of HTML in every text it draws (links, images by style,
line breaks), and Streamlit's Markdown makes links, images, formulas and icons.
Exported files (CSV, Excel, PowerPoint) take the plain text; only the screen
and the image renderer need these.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable

from anyascii import anyascii

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@&=^\"'])")
# GitHub Markdown's autolinks find web and e-mail addresses in the text as shown, escaped or not: a word joiner
# (U+2060: invisible, not read out) after "https:", "www" and "@" keeps each from reading as an address.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def markdown(text: str) -> str:
    """`text` as literal characters inside Streamlit Markdown (every ASCII punctuation escaped, no address
    turned into a link)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, str(text)))


def plotly(text: str) -> str:
    """`text` as literal characters inside a Plotly label, title or hover text."""
    return html.escape(str(text), quote=False)


# The keys of a trace whose values are texts taken from the data (categories, labels, hover texts).
_DATA_TEXT_KEYS = ("x", "y", "text", "customdata", "labels", "label", "name")


def plotly_traces(traces: Iterable[dict]) -> list[dict]:
    """Traces with every text value of their data escaped (see `plotly`); numbers stay as they are.
    Templates (hovertemplate) are ours and keep their markup."""
    return [_escape_trace(trace) for trace in traces]


def _escape_trace(trace: dict) -> dict:
    out = {}
    for key, value in trace.items():
        if isinstance(value, dict):
            out[key] = _escape_trace(value)
        elif key in _DATA_TEXT_KEYS:
            out[key] = _escape_values(value)
        else:
            out[key] = value
    return out


def _escape_values(value):
    if isinstance(value, str):
        return plotly(value)
    if hasattr(value, "tolist") and not isinstance(value, (int, float)):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [plotly(v) if isinstance(v, str) else v for v in value]
    return value


SLUG_LENGTH = 80


def slug(text: str, length: int = SLUG_LENGTH) -> str:
    """A file-name-safe form of a title: 'Countries of origin' -> 'countries-of-origin'. Every script is
    transliterated (a network named in Chinese or Arabic gave an empty name, so its files took another
    network's names), and one longer than `length` is cut, with a short fingerprint of the whole to keep it
    distinct (file systems allow 255 bytes)."""
    ascii_text = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-") or "report"
    if len(ascii_text) <= length:
        return ascii_text
    cut = ascii_text[:length + 1].rsplit("-", 1)[0][:length]
    return f"{cut}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:6]}"
