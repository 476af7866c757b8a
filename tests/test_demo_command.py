"""`qio demo`: what `make demo` does, without make; PDFs and images only when a browser is found."""

from __future__ import annotations

import pytest

from qio_analysis import cli, config
from qio_analysis.errors import QioConfigError


@pytest.fixture
def runs(monkeypatch):
    """The `qio reports` command lines `qio demo` runs (recorded, not run)."""
    seen: list[list[str]] = []
    real_main = cli.main

    def fake_main(argv=None):
        if argv and argv[0] == "reports":
            seen.append(list(argv))
            return 0
        return real_main(argv)

    monkeypatch.setattr(cli, "main", fake_main)
    return seen


def test_with_a_browser_it_adds_pdfs_and_images(runs, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(config, "chromium_path", lambda: "/usr/bin/chromium")
    assert cli.main(["demo", "--out", str(tmp_path), "--jobs", "2"]) == 0
    assert runs == [
        [
            *("reports", "--cycle", "2025", "--xlsx", "--out", str(tmp_path), "--jobs", "2"),
            *("--pdf", "--images"),
        ]
    ]
    assert capsys.readouterr().out == ""


def test_without_a_browser_it_builds_the_rest_and_says_what_it_skipped(
    runs, monkeypatch, tmp_path, capsys
):
    def none_found():
        raise QioConfigError(
            "No Chromium-family browser was found (looked at /usr/bin/chromium; chromium on "
            "PATH). Install one, or set QIO_CHROMIUM to the browser's program, then run again."
        )

    monkeypatch.setattr(config, "chromium_path", none_found)
    assert cli.main(["demo", "--out", str(tmp_path)]) == 0
    assert runs == [["reports", "--cycle", "2025", "--xlsx", "--out", str(tmp_path)]]
    assert capsys.readouterr().out == (
        "qio demo skipped the PDFs and the headline image pack, which need a browser. "
        "No Chromium-family browser was found (looked at /usr/bin/chromium; chromium on PATH). "
        "Install one, or set QIO_CHROMIUM to the browser's program, then run again.\n"
    )


def test_outputs_go_to_the_clone_or_the_current_folder(monkeypatch):
    assert cli.OUTPUTS_HELP == "outputs/ in the clone"
    assert "Reports go to outputs/ in the clone" in cli.build_parser().format_help()
    assert str(config.OUTPUTS_DIR) == str(config.PROJECT_ROOT / "outputs")
