"""``qio export``: an executed notebook becomes offline HTML that keeps its charts."""

from __future__ import annotations

import nbformat

from qio_analysis.cli import main
from tests.export.helpers import report_notebook


def test_export_keeps_the_charts_offline(london, tmp_path, capsys):
    path = tmp_path / "analysis.ipynb"
    nbformat.write(report_notebook(london), path)
    assert main(["export", str(path)]) == 0
    html = (tmp_path / "analysis.html").read_text(encoding="utf-8")
    assert html.count('class="qio-plot-data"') == 1
    assert "Plotly.newPlot" in html or "newPlot" in html  # plotly.js inlined
    assert 'src="http' not in html and "<link" not in html  # nothing loads from a CDN
    assert "1 chart" in capsys.readouterr().out


def test_shared_plotly_writes_it_once_beside(london, tmp_path):
    path = tmp_path / "analysis.ipynb"
    nbformat.write(report_notebook(london), path)
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    assert main(["export", str(path), "--out", str(out), "--shared-plotly"]) == 0
    assert len(list(out.parent.glob("plotly-*.min.js"))) == 1
    assert out.stat().st_size < 200_000


def test_an_unexecuted_notebook_says_run_it_first(tmp_path, capsys):
    path = tmp_path / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), path)
    assert main(["export", str(path)]) == 2
    assert "Run it first" in capsys.readouterr().err
    assert not (tmp_path / "empty.html").exists()
