"""Text from the data made safe: one HTML escape for every page and label, inert JSON in scripts."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from qio_analysis.text import INVISIBLE, escape_html, script_json

EVIL = "<script>alert(1)</script> & Co"


def test_markup_and_quotes_cannot_escape_text_or_an_attribute():
    assert escape_html(EVIL) == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"
    assert escape_html('" onmouseover="x') == "&#34; onmouseover=&#34;x"
    assert escape_html("Guy's") == "Guy&#39;s"


def test_hidden_text_direction_characters_are_shown_not_obeyed():
    assert escape_html("Trust\u202e evil") == "Trust\ufffd evil"


def test_missing_values_read_as_nothing():
    assert [escape_html(v) for v in (None, float("nan"))] == ["", ""]


@given(st.text())
def test_escaped_text_never_holds_markup_or_invisible_characters(text):
    out = escape_html(text)
    assert not set("<>\"'") & set(out)
    assert INVISIBLE.search(out) is None


def test_script_json_cannot_close_a_script_element():
    text = script_json({"name": EVIL})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": EVIL}
