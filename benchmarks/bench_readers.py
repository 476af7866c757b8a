"""Reader speed and memory: the national (demo) export and a 100,000-row workbook.

Each load runs in a fresh child process so its peak memory (max RSS, which
includes calamine's Rust allocations) is its own. Prints seconds and peak MB
for each, against the targets (national < 1 s; 100,000 rows < 30 s and
< 2 GB), and writes benchmarks/results/readers.json. The workbook is written
once to the temp folder (by hand, as sheet XML: no extra dependency).

    .venv/bin/python benchmarks/bench_readers.py            # full: 100,000 rows
    .venv/bin/python benchmarks/bench_readers.py --rows 5000  # quick smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "readers.json"
TARGETS = {"national": (1.0, None), "large": (30.0, 2048.0)}

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
import qio_analysis as qa
t1 = time.perf_counter()
from qio_analysis import config
kind, path = sys.argv[1], sys.argv[2]
if kind == "national":
    res = qa.read_submissions(config.DEMO_SUBMISSIONS)
    stats = qa.read_statistics(config.DEMO_STATISTICS)
    orgs = qa.read_organisations(config.DEMO_ORGANISATIONS)
    rows = res.rows_in + stats.rows_in + len(orgs)
else:
    res = qa.read_submissions(path)
    rows = res.rows_in
t2 = time.perf_counter()
# Baseline in the same process: calamine alone reading the same workbooks, no checks.
import python_calamine
from qio_analysis.io.locate import expand_sources
files = expand_sources(config.DEMO_SUBMISSIONS) if kind == "national" else [Path(path)]
t3 = time.perf_counter()
for f in files:
    if f.suffix != ".csv":
        book = python_calamine.CalamineWorkbook.from_path(str(f))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
raw = time.perf_counter() - t3
print(json.dumps({"seconds": t2 - t1, "import_seconds": t1 - t0, "rows": rows, "raw_seconds": raw,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_LEVELS = ["0", "1", "2", "3", "4", "N/A"]
_SUBS = ["Low", "Medium", "High", ""]


def _col(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def _cell(ref: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_large_workbook(path: Path, rows: int) -> Path:
    """A wide QIOF export: 4 id columns + 24 level/sub-level columns, ``rows`` organisations."""
    header = ["Organisation code", "Organisation name", "Region", "Cycle"]
    for n in range(1, 7):
        for a in ("self-evaluated", "validated"):
            header += [f"Outcome {n} {a} level", f"Outcome {n} {a} sub-level"]
    regions = ["London", "South West", "Midlands", "North West", "South East", "East of England"]
    cols = [_col(i) for i in range(len(header))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Levels" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        with z.open("xl/worksheets/sheet1.xml", "w") as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            lines = [
                '<row r="1">'
                + "".join(_cell(f"{c}1", h) for c, h in zip(cols, header, strict=True))
                + "</row>"
            ]
            for i in range(rows):
                r = i + 2
                values: list[object] = [f"Z{i:06d}", f"Trust {i} NHS Trust", regions[i % 6], 2023]
                for k in range(12):
                    level = _LEVELS[(i + k) % 6]
                    values += [level, "" if level == "N/A" else _SUBS[(i * 7 + k) % 4]]
                lines.append(
                    f'<row r="{r}">'
                    + "".join(
                        _cell(f"{c}{r}", v) for c, v in zip(cols, values, strict=True) if v != ""
                    )
                    + "</row>"
                )
                if len(lines) >= 5000:
                    out.write("".join(lines).encode())
                    lines = []
            out.write("".join(lines).encode() + b"</sheetData></worksheet>")
    return path


def measure(kind: str, path: Path | None = None) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(path or "")],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    book = Path(tempfile.gettempdir()) / f"qio_bench_{args.rows}.xlsx"
    if not book.exists():
        write_large_workbook(book, args.rows)
    results = {"national": measure("national"), "large": measure("large", book)}
    for kind, res in results.items():
        seconds, mb = TARGETS[kind]
        target = f"target < {seconds:g} s" + (f" and < {mb:,.0f} MB" if mb else "")
        ratio = res["seconds"] / max(res["raw_seconds"], 1e-9)
        print(
            f"{kind:9s} {res['rows']:>8,} rows  {res['seconds']:7.2f} s  peak {res['peak_mb']:7.0f} MB"
            f"  ({target}; {ratio:.1f}x a bare calamine read of the same workbooks)"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"when": dt.datetime.now().isoformat(timespec="seconds"), "rows": args.rows, **results},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
