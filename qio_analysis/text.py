"""Text from the data, made safe to show: invisible characters, HTML escaping, JSON in pages.

Readers remove :data:`INVISIBLE` characters from every text cell at read time
(with a note) through :func:`remove_invisible`, and the explorer cleans a
link's values with it too. :func:`escape_html` is the one way text from the data reaches a
page, a chart label or a table: it is what every report, index, data-checks
page, figure and the explorer call. :func:`script_json` is the one way data
reaches a page inside a ``<script>`` element (a chart's JSON).
"""

from __future__ import annotations

import html
import json
import math
import re

#: Characters removed from text at read time: C0/C1 controls (not tab or line
#: breaks), soft hyphen, zero-width characters, bidi marks, embeddings,
#: overrides and isolates, word joiners and byte-order marks. Each of them can
#: make one name or code display as, or fail to match, another. Also the
#: noncharacters U+FFFE and U+FFFF, which XML forbids: a name holding one
#: would make the workbook properties and chart titles of an .xlsx malformed.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\ufffe\uffff\U000e0000-\U000e007f]"
)
_QUOTES = str.maketrans({'"': "&#34;", "'": "&#39;"})


def remove_invisible(text: str) -> str:
    """``text`` without :data:`INVISIBLE` characters (nothing else changes).

    >>> remove_invisible("ZA\u202e07\u200b")
    'ZA07'
    """
    return INVISIBLE.sub("", text)


def escape_html(value: object) -> str:
    """``value`` as text that can only ever display as itself, in HTML or a plotly label.

    ``&``, ``<`` and ``>`` are escaped, and quotes become numeric entities (safe
    inside attributes, and drawn as quotes by plotly.js, which knows no
    ``&quot;``). Invisible characters readers missed are shown as U+FFFD, so
    nothing can reorder or hide text (a bidi override). None, NaN and NaT are
    empty: a reader never sees ``nan`` or ``None``.

    >>> escape_html("<b>Guy's & St \\"Thomas'\\"</b>")
    '&lt;b&gt;Guy&#39;s &amp; St &#34;Thomas&#39;&#34;&lt;/b&gt;'
    >>> escape_html("left\\u202eright"), escape_html(None), escape_html(float("nan"))
    ('left\\ufffdright', '', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if type(value).__name__ in {"NaTType", "NAType"}:
        return ""
    text = INVISIBLE.sub("\ufffd", str(value))
    return html.escape(text, quote=False).translate(_QUOTES)


def script_json(value: object) -> str:
    r"""``value`` as JSON that is inert inside ``<script>``: no ``<``, ``>`` or ``&`` can end it.

    NaN and infinities are refused (``JSON.parse`` rejects them).

    >>> print(script_json({"title": "</script><b>&"}))
    {"title":"\u003c/script\u003e\u003cb\u003e\u0026"}
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
