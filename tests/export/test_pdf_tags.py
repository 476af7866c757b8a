"""Page furniture marked as artifacts: hand-written content streams and a hand-made PDF."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st

from qio_analysis.export.pdf_tags import mark_artifacts, mark_content
from tests import pdf_checks

HEADER = b"q BT /F1 7 Tf <0041> Tj ET Q"
TAGGED = b"/P <</MCID 0>> BDC BT /F1 9 Tf <0042> Tj ET EMC"
A, Z = b"\n/Artifact BMC\n", b"\nEMC\n"


def test_header_and_footer_outside_the_tags_become_artifacts():
    content = HEADER + b" " + TAGGED + b" 0 0 9 9 re f"
    marked, depth = mark_content(content)
    assert marked == A + HEADER + b" " + Z + TAGGED + A + b" 0 0 9 9 re f" + Z
    assert depth == 0


def test_tagged_content_and_state_only_stretches_are_left_alone():
    # Between two tagged sequences only the graphics state changes: nothing is painted there.
    content = TAGGED + b" q 1 0 0 1 5 5 cm /S gs " + TAGGED + b" Q"
    assert mark_content(content) == (None, 0)


def test_nested_sequences_and_names_that_look_like_operators():
    # /S and /F are names, and <0BDC> a hex string: none of them paints or opens a sequence.
    content = b"/Sect <</MCID 1>> BDC /Span BMC BT /F1 9 Tf <0BDC> Tj ET EMC /S gs EMC"
    assert mark_content(content) == (None, 0)


def test_a_property_list_named_by_a_name_and_a_bmc_tag_are_kept_whole():
    content = b"0 0 5 5 re f /Span /MC0 BDC <01> Tj EMC 0 0 5 5 re S /Figure BMC 1 1 m 2 2 l S EMC"
    marked, _ = mark_content(content)
    assert marked == (
        A
        + b"0 0 5 5 re f "
        + Z
        + b"/Span /MC0 BDC <01> Tj EMC"
        + A
        + b" 0 0 5 5 re S "
        + Z
        + b"/Figure BMC 1 1 m 2 2 l S EMC"
    )


def test_a_sequence_open_across_two_streams_of_one_page():
    first, depth = mark_content(b"/P <</MCID 0>> BDC BT <01> Tj")
    assert (first, depth) == (None, 1)
    second, depth = mark_content(b"ET EMC BT <02> Tj ET", depth)
    assert (second, depth) == (b"ET EMC" + A + b" BT <02> Tj ET" + Z, 0)


def test_literal_strings_are_left_alone():
    assert mark_content(b"BT (EMC) Tj ET") == (None, 0)


_PIECES = st.lists(
    st.sampled_from(
        [
            b"q",
            b"Q",
            b"1 0 0 1 2 3 cm",
            b"BT <0041> Tj ET",
            b"0 0 4 4 re f",
            b"1 1 m 3 3 l S",
            b"/G3 gs",
            b"/P <</MCID 7>> BDC",
            b"/Artifact BMC",
            b"EMC",
        ]
    ),
    max_size=30,
)


def _balanced(pieces: list[bytes]) -> list[bytes]:
    """``pieces`` with an EMC dropped when nothing is open, and the open ones closed at the end."""
    out, depth = [], 0
    for piece in pieces:
        if piece == b"EMC":
            if depth == 0:
                continue
            depth -= 1
        elif piece.endswith((b"BDC", b"BMC")):
            depth += 1
        out.append(piece)
    return out + [b"EMC"] * depth


@given(_PIECES)
def test_marking_wraps_every_painting_operator_and_changes_nothing_else(pieces):
    content = b" ".join(_balanced(pieces))
    marked, depth = mark_content(content)
    assert depth == 0
    result = content if marked is None else marked
    assert result.replace(A, b"").replace(Z, b"") == content
    level = 0
    for token in re.findall(rb"\S+", result):
        if token in (b"BDC", b"BMC"):
            level += 1
        elif token == b"EMC":
            level -= 1
        elif token in (b"Tj", b"f", b"S"):
            assert level > 0, result


def _pdf(content: bytes) -> bytes:
    """A one-page tagged PDF (a paragraph, marked-content id 0) with ``content`` as its page."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        BooleanObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    paragraph = DictionaryObject(
        {NameObject("/S"): NameObject("/P"), NameObject("/K"): NumberObject(0)}
    )
    tree = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructTreeRoot"),
            NameObject("/K"): writer._add_object(paragraph),
        }
    )
    root = writer._root_object
    root[NameObject("/StructTreeRoot")] = writer._add_object(tree)
    root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    root[NameObject("/Lang")] = TextStringObject("en-GB")
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    writer.add_metadata({"/Title": "Hand-made"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_marked_streams_are_appended_as_an_incremental_update(tmp_path):
    from pypdf import PdfReader

    original = _pdf(HEADER + b" " + TAGGED)
    updated = mark_artifacts(original)
    assert updated.startswith(original)  # what Chromium printed is kept, byte for byte
    assert updated.count(b"%%EOF") == original.count(b"%%EOF") + 1
    reader = PdfReader(io.BytesIO(updated), strict=True)
    assert reader.pages[0].get_contents().get_data() == A + HEADER + b" " + Z + TAGGED
    assert len(reader.pages) == 1 and reader.metadata.title == "Hand-made"
    # The header was the one thing keeping the page from PDF/UA's checkable rules.
    (tmp_path / "before.pdf").write_bytes(original)
    (tmp_path / "after.pdf").write_bytes(updated)
    assert pdf_checks.ua_problems(tmp_path / "before.pdf") == [
        "UA-01-003 untagged content on page 1"
    ]
    assert pdf_checks.ua_problems(tmp_path / "after.pdf") == []


def test_a_pdf_with_nothing_to_mark_is_returned_as_it_is():
    original = _pdf(TAGGED)
    assert mark_artifacts(original) is original
