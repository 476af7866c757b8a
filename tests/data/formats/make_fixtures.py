"""Write the file-format fixtures in this folder (run once; the outputs are checked in).

Every fixture holds the same two QIOF rows (long layout), so each test can
compare with one hand-worked expectation:

    ZQ1, St Mary’s NHS Trust, London, 2023, outcome 1, self-evaluated: 2 High (score 2.75)
    ZQ1, St Mary’s NHS Trust, London, 2023, outcome 1, validated:      2      (score 2.0)

The name holds a right single quotation mark (U+2019) so every encoding is
exercised. ``levels.xls`` needs ``xlwt`` and ``encrypted.xlsx`` needs
``msoffcrypto-tool``; neither is a project dependency: they were installed
into a scratch folder just to run this script once, e.g.
``pip install --target /tmp/gen xlwt msoffcrypto-tool`` and
``PYTHONPATH=/tmp/gen python tests/data/formats/make_fixtures.py``.
The ``.ods`` is written by hand (an OpenDocument zip), so no tool is needed.

One statistics fixture, ``statistics_semicolon_lists.csv``, is a comma-separated
return whose "Organisations served" cells hold unquoted ``;``-separated lists,
so a row holds more semicolons than commas (see :func:`statistics_fixture`).
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
HEADER = ["Org code", "Org name", "Region", "Cycle", "Outcome", "Assessment", "Level"]
NAME = "St Mary\u2019s NHS Trust"
ROWS = [
    ["ZQ1", NAME, "London", "2023", "1", "self", "2 High"],
    ["ZQ1", NAME, "London", "2023", "1", "validated", "2"],
]


def _delimited(delimiter: str) -> str:
    return "\r\n".join(delimiter.join(r) for r in [HEADER, *ROWS]) + "\r\n"


def text_fixtures() -> None:
    (HERE / "levels_semicolon.csv").write_bytes(_delimited(";").encode("utf-8"))
    (HERE / "levels_tab.csv").write_bytes(_delimited("\t").encode("utf-8"))
    (HERE / "levels_utf8.csv").write_bytes(_delimited(",").encode("utf-8"))
    (HERE / "levels_utf8_bom.csv").write_bytes(codecs.BOM_UTF8 + _delimited(",").encode("utf-8"))
    (HERE / "levels_cp1252.csv").write_bytes(_delimited(",").encode("cp1252"))
    # Excel "Unicode Text": UTF-16 little-endian with a BOM, tab-separated.
    (HERE / "levels_unicode_text.txt").write_bytes(
        codecs.BOM_UTF16_LE + _delimited("\t").encode("utf-16-le")
    )
    # UTF-8 file whose second data row (line 3) was pasted in from a Windows-1252 file.
    lines = _delimited(",").split("\r\n")
    mixed = "\r\n".join(lines[:2]).encode("utf-8") + b"\r\n" + lines[2].encode("cp1252") + b"\r\n"
    (HERE / "mixed_encoding.csv").write_bytes(mixed)
    # UTF-8 text that was once decoded as Windows-1252: 'St Maryâ€™s' on line 2.
    (HERE / "mojibake.csv").write_bytes(
        _delimited(",").replace(NAME, NAME.encode("utf-8").decode("cp1252"), 1).encode("utf-8")
    )
    # An opening quote never closed on line 2: without a check it swallows line 3.
    (HERE / "unbalanced_quote.csv").write_bytes(
        _delimited(",").replace(NAME, '"' + NAME, 1).encode("utf-8")
    )
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "header_only.csv").write_bytes((",".join(HEADER) + "\r\n").encode("utf-8"))
    (HERE / "html_saved.xlsx").write_bytes(
        b"<!DOCTYPE html><html><body><table><tr><td>Org code</td></tr></table></body></html>"
    )
    (HERE / "zero_byte.xlsx").write_bytes(b"")


#: Three services; ZS3's list of twelve codes puts 11 semicolons on a row of 8 commas.
STATISTICS = [
    [
        *("Service code", "Service name", "Lead organisation code", "Organisations served"),
        *("Region", "Year", "Qualified LKS staff WTE", "NHS staff WTE served", "Enquiries"),
    ],
    ["ZS1", "Quayside LKS", "ZZ2501", "ZZ2501;ZZ2502", "London", "2024/25", "4.5", "7500", "1234"],
    ["ZS2", "Riverton LKS", "ZZ2503", "ZZ2503", "South West", "2024/25", "2", "3000", "500"],
    [
        *("ZS3", "Moorside LKS", "ZZ2504", ";".join(f"ZZ25{n:02d}" for n in range(4, 16))),
        *("North West", "2024/25", "6", "15000", "2100"),
    ],
]


def statistics_fixture() -> None:
    text = "\r\n".join(",".join(r) for r in STATISTICS) + "\r\n"
    (HERE / "statistics_semicolon_lists.csv").write_bytes(text.encode("utf-8"))


def _workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Levels"
    for row in [HEADER, *ROWS]:
        sheet.append(row)
    book.save(path)


def workbook_fixtures() -> None:
    _workbook(HERE / "levels.xlsx")
    data = (HERE / "levels.xlsx").read_bytes()
    (HERE / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    (HERE / "levels.xlsx").unlink()


def ods_fixture() -> None:
    (HERE / "levels.ods").write_bytes(_ods(""))
    # The validated level of row 3 shows #N/A, as LibreOffice saves an error result.
    error = (
        '<table:table-cell table:formula="of:=NA()" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>#N/A</text:p>'
        "</table:table-cell>"
    )
    (HERE / "error_cell.ods").write_bytes(_ods(error))


def _ods(last_cell: str) -> bytes:
    def cell(value: str) -> str:
        text = value.replace("&", "&amp;").replace("<", "&lt;")
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    table = [HEADER, *ROWS]
    rows = "".join(
        "<table:table-row>"
        + "".join(
            last_cell if last_cell and i == len(table) - 1 and j == len(r) - 1 else cell(v)
            for j, v in enumerate(r)
        )
        + "</table:table-row>"
        for i, r in enumerate(table)
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        'office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Levels">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("mimetype", date_time=(2025, 1, 1, 0, 0, 0))
        archive.writestr(info, "application/vnd.oasis.opendocument.spreadsheet")
        for name, text in (("content.xml", content), ("META-INF/manifest.xml", manifest)):
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


def xls_fixture() -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Levels")
    for r, row in enumerate([HEADER, *ROWS]):
        for c, value in enumerate(row):
            # Cycle and outcome as numbers, as Excel stores them.
            sheet.write(r, c, int(value) if r and c in (3, 4) else value)
    book.save(str(HERE / "levels.xls"))


def encrypted_fixture() -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    book = openpyxl.Workbook()
    for row in [HEADER, *ROWS]:
        book.active.append(row)
    book.save(plain)
    plain.seek(0)
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("qio-test", out)
    (HERE / "encrypted.xlsx").write_bytes(out.getvalue())


if __name__ == "__main__":
    text_fixtures()
    statistics_fixture()
    workbook_fixtures()
    ods_fixture()
    xls_fixture()
    encrypted_fixture()
