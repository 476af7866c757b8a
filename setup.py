"""One build step on top of pyproject.toml: the package carries its notebooks and demo data.

The clone keeps ``notebooks/`` and ``data/demo/`` at the top level, where people
edit them. A built package (wheel, or a wheel built from the sdist) gets a copy
of both in ``qio_analysis/_bundled/``, which ``qio_analysis.config`` uses when
it is not run from a clone. Editable installs copy nothing: they use the clone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Folder of the clone -> the files of it the package carries.
BUNDLED = {"notebooks": "*.ipynb", "data/demo": "**/*"}


class BuildPyWithBundledData(build_py):
    """``build_py`` that also copies the notebooks and demo data into ``qio_analysis/_bundled``."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "qio_analysis" / "_bundled"
        for folder, pattern in BUNDLED.items():
            files = sorted(p for p in (ROOT / folder).glob(pattern) if p.is_file())
            if not files:
                raise FileNotFoundError(f"{ROOT / folder} has no {pattern} to bundle")
            for source in files:
                if ".ipynb_checkpoints" in source.parts:
                    continue
                copy = target / folder / source.relative_to(ROOT / folder)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)


setup(cmdclass={"build_py": BuildPyWithBundledData})
