"""The record of what a report was built from, and the mark a page gets when it no longer matches.

make's rule: a report is current only while the hash of everything it was
made from is the one recorded when it was built. That is the data (every
input file's content), its notebook, the options and parameters, the
package (version and source) and the shared assets it links (plotly.js).
Each is hashed separately (:func:`report_inputs`), so a stale report can say
*what* changed (:func:`stale_reason`), and combined into one input hash.

A stale report left in the folder says so on the page itself: the report
template holds a marker (:data:`NOTICE`) where :func:`mark_stale` puts an
"out of date" notice, and :func:`unmark_stale` takes it away again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from qio_analysis.config import PACKAGE_DIR
from qio_analysis.io.files import file_digest
from qio_analysis.io.writers import write_text_atomic
from qio_analysis.text import escape_html
from qio_analysis.version import __version__

if TYPE_CHECKING:
    from qio_analysis.batch.parameters import ReportParameters

#: What changed, in words, for each input of a report (in this order).
CHANGED = {
    "data": "the data changed",
    "notebook": "its notebook changed",
    "options": "the options changed",
    "package": "qio-analysis was updated",
    "assets": "plotly.js was updated",
}
#: Where the report template lets a notice be added at the top of the page.
NOTICE = "<!--qio:notice-->"
_STALE_START, _STALE_END = "<!--qio:stale-->", "<!--/qio:stale-->"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def files_digest(named: Iterable[tuple[str, str]]) -> str:
    """One digest for files given as (name, content digest) pairs, in any order."""
    return _sha(json.dumps(sorted(named)))


@cache
def package_digest() -> str:
    """The installed package version plus a digest of its source and templates.

    Including the source (not only the version) means a code change during
    development rebuilds the reports it could affect.
    """
    files = sorted(
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and p.suffix in {".py", ".j2", ".json", ".css", ".js"}
    )
    named = [(p.relative_to(PACKAGE_DIR).as_posix(), file_digest(p)) for p in files]
    return f"{__version__}:{files_digest(named)}"


@cache
def shared_asset() -> tuple[str, str]:
    """The shared plotly.js every report links: its file name and its text."""
    from qio_analysis.report.html import PLOTLY_JS_NAME, plotly_js

    return PLOTLY_JS_NAME, plotly_js()


@cache
def assets_digest() -> str:
    name, text = shared_asset()
    return f"{name}:{_sha(text)}"


def notebook_digest(path: Path) -> str:
    return file_digest(path)


def report_inputs(
    *, data: str, notebook: str, parameters: ReportParameters, self_contained: bool
) -> dict[str, str]:
    """The hash of each input of one report (see the module docstring)."""
    options = json.dumps(
        {"parameters": parameters, "self_contained": self_contained}, sort_keys=True, default=str
    )
    return {
        "data": data,
        "notebook": notebook,
        "options": _sha(options),
        "package": package_digest(),
        "assets": assets_digest(),
    }


def input_hash(inputs: dict[str, str]) -> str:
    """The one hash of a report's inputs (recorded in the manifest and the page)."""
    return _sha(json.dumps(inputs, sort_keys=True))[:20]


def stale_reason(recorded: dict[str, str], now: dict[str, str]) -> str:
    """Why a record no longer matches, in words ("the data changed and its notebook changed")."""
    if not recorded:
        return "it was built by an earlier version of qio-analysis"
    changed = [words for key, words in CHANGED.items() if recorded.get(key) != now.get(key)]
    if not changed:
        return "it was built from other inputs"
    return (
        " and ".join(changed)
        if len(changed) < 3
        else ", ".join(changed[:-1]) + " and " + changed[-1]
    )


# --------------------------------------------------------------------- the page


def _without_notice(text: str) -> str:
    start = text.find(_STALE_START)
    if start < 0:
        return text
    end = text.find(_STALE_END, start)
    return text if end < 0 else text[:start] + text[end + len(_STALE_END) :]


def stale_notice(reason: str) -> str:
    """The notice at the top of a stale report (plain words, not colour alone)."""
    return (
        f'{_STALE_START}<p class="qio-banner qio-stale" role="note" id="qio-stale">'
        f"<strong>Out of date.</strong> This report was built before {escape_html(reason)}, "
        "so it does not show the current inputs. Run <code>qio reports</code> again to "
        f"update it.</p>{_STALE_END}"
    )


def mark_stale(path: Path, reason: str) -> None:
    """Put (or replace) the out-of-date notice at the top of the report at ``path``."""
    text = _without_notice(path.read_text(encoding="utf-8"))
    notice = stale_notice(reason)
    if NOTICE in text:
        text = text.replace(NOTICE, NOTICE + notice, 1)
    else:  # a page from before the template had the marker
        text = text.replace("<body>", "<body>" + notice, 1)
    write_text_atomic(path, text)


def unmark_stale(path: Path) -> None:
    """Take the out-of-date notice away (the report matches its inputs again)."""
    text = path.read_text(encoding="utf-8")
    plain = _without_notice(text)
    if plain != text:
        write_text_atomic(path, plain)


def is_marked_stale(path: Path) -> bool:
    return _STALE_START in path.read_text(encoding="utf-8")
