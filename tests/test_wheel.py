"""The built wheel is whole: installed in a fresh virtualenv outside the clone, it runs the main job.

The wheel is built from a copy of the source (nothing is written into the
repository) and installed with ``--no-deps`` into a new virtualenv, which sees
the dependencies already installed for these tests through a ``.pth`` file (so
the test is quick and needs no network beyond the build backend). Jupyter's
data files (nbconvert's templates) live under the test environment's prefix,
so ``JUPYTER_PATH`` points there, as a normal install puts them in its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_SHIPPED = (".git", ".venv", "outputs", "build", "dist", "tests", "benchmarks", "docs")
REGION_REPORTS = ["london.html", "london-improvement.html", "london-validation.html"]


def _run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, **kw)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv with only the built wheel installed; returns its ``qio`` program."""
    where = tmp_path_factory.mktemp("wheel")
    source = where / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            *NOT_SHIPPED, "*.egg-info", "__pycache__", ".hypothesis", ".ruff_cache"
        ),
    )
    wheels = where / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)])
    [wheel] = wheels.glob("qio_analysis-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"qio_analysis/_bundled/notebooks/{notebook.name}" in names
    assert "qio_analysis/_bundled/data/demo/organisations.csv" in names
    assert "qio_analysis/report/templates/qio/index.html.j2" in names

    venv = where / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "qio-test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ]
    )
    return python.parent / "qio"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QIO_PROJECT_ROOT", "PYTHONPATH")}
    return env | {"JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}


def _reports(out: Path) -> tuple[list[str], dict]:
    manifest = json.loads((out / "manifest.json").read_text())
    return sorted(i["item"] for i in manifest["items"]), manifest


@pytest.mark.slow
def test_the_installed_wheel_runs_the_main_job_from_any_folder(installed, tmp_path):
    work = tmp_path / "somewhere"
    work.mkdir()
    where = _run(
        [
            str(installed.with_name("python")),
            "-c",
            "import qio_analysis.config as c; print(c.PROJECT_ROOT, c.IN_CLONE)",
        ],
        cwd=work,
        env=_env(),
    ).stdout
    assert "site-packages" in where
    assert where.strip().endswith("_bundled False")

    # The demo data, into ./outputs (the default when installed).
    args = ["reports", "--cycle", "2025", "--org", "ZA07", "--region", "London"]
    done = _run([str(installed), *args, "--jobs", "1", "--quiet", "--xlsx"], cwd=work, env=_env())
    assert "Traceback" not in done.stderr
    demo_items, manifest = _reports(work / "outputs")
    assert manifest["run"]["state"] == "complete"
    assert {i["status"] for i in manifest["items"]} == {"built"}
    assert "2025/organisations/ZA07" in demo_items
    assert {f"2025/regions/{name[:-5]}" for name in REGION_REPORTS} <= set(demo_items)
    for name in REGION_REPORTS:
        assert (work / "outputs" / "2025" / "regions" / name).stat().st_size > 10_000
    page = (work / "outputs" / "2025" / "organisations" / "ZA07.html").read_text("utf-8")
    assert "Claybridge Mental Health NHS Trust" in page
    assert "synthetic" in page.lower()

    # New synthetic exports go under the folder the command is run from, never into the
    # installed package, and say how to report from them.
    bundled_demo = Path(where.split()[0]) / "data" / "demo"
    bundled = {p: p.read_bytes() for p in bundled_demo.rglob("*") if p.is_file()}
    done = _run(
        [str(installed), "demo-data", "--organisations", "30", "--seed", "3"], cwd=work, env=_env()
    )
    written = sorted(
        p.relative_to(work).as_posix() for p in (work / "data").rglob("*") if p.is_file()
    )
    assert written == sorted(f"data/demo/{p.relative_to(bundled_demo).as_posix()}" for p in bundled)
    assert "30 fictional organisations, seed 3" in (work / "data/demo/SYNTHETIC.txt").read_text()
    assert {p: p.read_bytes() for p in bundled_demo.rglob("*") if p.is_file()} == bundled
    assert "qio reports --submissions data/demo/qiof" in done.stdout.replace("\\", "/")

    # The same exports passed by path: the same reports, still marked as synthetic (a copy of
    # the demo data carries its mark).
    exports = tmp_path / "exports"
    shutil.copytree(ROOT / "data" / "demo", exports)
    done = _run(
        [
            *(str(installed), *args, "--jobs", "1", "--quiet", "--out", str(tmp_path / "mine")),
            *("--submissions", str(exports / "qiof")),
            *("--statistics", str(exports / "lks_statistics_returns.xlsx")),
            *("--organisations", str(exports / "organisations.csv")),
        ],
        cwd=work,
        env=_env(),
    )
    assert "Traceback" not in done.stderr
    by_path, manifest = _reports(tmp_path / "mine")
    assert by_path == demo_items
    assert {i["status"] for i in manifest["items"]} == {"built"}
    assert sorted(p.name for p in (tmp_path / "mine" / "2025" / "regions").iterdir()) == sorted(
        REGION_REPORTS
    )
    mine = (tmp_path / "mine" / "2025" / "organisations" / "ZA07.html").read_text("utf-8")
    assert "Synthetic demo data." in mine
