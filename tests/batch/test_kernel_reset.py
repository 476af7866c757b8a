"""The warm kernel's reset is honest: what a notebook changes is restored, or the kernel is replaced.

Each case runs a notebook that changes some global state, then one that
asserts the change is not visible, in the same warm kernel; ``restarts``
tells whether the reset restored the state (0) or detected it and replaced
the kernel (1).
"""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest
from nbformat.v4 import new_code_cell, new_notebook

pytestmark = pytest.mark.slow

CASES = {
    "random seeded": (
        "import random\nrandom.seed(1)",
        "import random\nassert random.random() != random.Random(1).random()",
        0,
    ),
    "numpy global generator seeded": (
        "import numpy as np\nnp.random.seed(1)",
        "import numpy as np\nassert np.random.random_sample() != np.random.RandomState(1).random_sample()",
        0,
    ),
    "config constant rebound": (
        "import qio_analysis.config as c\nc.STAFF_RATIO_TARGET = 1",
        "import qio_analysis.config as c\nassert c.STAFF_RATIO_TARGET == 1250",
        0,
    ),
    "package function monkeypatched": (
        "import qio_analysis as qa\nqa.metrics.levels.level_profile = None",
        "import qio_analysis as qa\nassert callable(qa.metrics.levels.level_profile)",
        0,
    ),
    "plotly template changed in place": (
        "from qio_analysis.figures.template import NHS_TEMPLATE\nNHS_TEMPLATE.layout.font.size = 40",
        "from qio_analysis.figures.template import NHS_TEMPLATE\nassert NHS_TEMPLATE.layout.font.size != 40",
        1,
    ),
    "colour table changed in place": (
        "from qio_analysis.figures.template import NHS_COLOURS\nNHS_COLOURS['blue'] = '#000000'",
        "from qio_analysis.figures.template import NHS_COLOURS\nassert NHS_COLOURS['blue'] == '#005EB8'",
        1,
    ),
    "plotly default template changed in place": (
        "import plotly.io as pio\npio.templates[pio.templates.default].layout.font.size = 33",
        "import plotly.io as pio\nassert pio.templates[pio.templates.default].layout.font.size != 33",
        1,
    ),
    "pandas monkeypatched": (
        "import pandas as pd\n"
        "pd.DataFrame.head = lambda self, n=5: 'patched'\n"
        "pd.read_csv = None\n"
        "pd.api.extensions.register_dataframe_accessor('evil')(lambda frame: 'evil')",
        "import pandas as pd\n"
        "assert isinstance(pd.DataFrame({'a': [1]}).head(), pd.DataFrame)\n"
        "assert callable(pd.read_csv)\n"
        "assert not hasattr(pd.DataFrame, 'evil')",
        0,
    ),
}


def _notebook(path, source):
    nb = new_notebook(cells=[new_code_cell(source)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def shared_kernel():
    """One warm kernel for every case (a case that replaces it leaves a new one)."""
    from qio_analysis.batch import kernel

    kernel.shutdown_kernels()
    yield kernel.warm_kernel("python3")
    kernel.shutdown_kernels()


@pytest.mark.parametrize("case", list(CASES))
def test_reset_restores_or_replaces(case, shared_kernel, tmp_path):
    dirty, check, replaced = CASES[case]
    before = shared_kernel.restarts
    for name, source in (("dirty", dirty), ("check", check)):
        pm.execute_notebook(
            str(_notebook(tmp_path / f"{name}.ipynb", source)),
            str(tmp_path / f"{name}.out.ipynb"),
            engine_name="qio-warm",
            kernel_name="python3",
            progress_bar=False,
        )
    assert shared_kernel.restarts - before == replaced


def test_a_clean_notebook_keeps_the_kernel(shared_kernel, tmp_path):
    """The control: reading data and drawing a chart leaves nothing the reset reports."""
    source = (
        "import qio_analysis as qa\n"
        "from qio_analysis.figures.template import NHS_TEMPLATE\n"
        "import plotly.graph_objects as go\n"
        "fig = go.Figure(layout={'template': NHS_TEMPLATE})\n"
        "subs = qa.load_submissions(qa.config.DEMO_SUBMISSIONS)"
    )
    path = _notebook(tmp_path / "clean.ipynb", source)
    before = shared_kernel.restarts
    for _ in range(2):
        pm.execute_notebook(
            str(path), str(tmp_path / "clean.out.ipynb"), engine_name="qio-warm", progress_bar=False
        )
    assert shared_kernel.restarts == before
