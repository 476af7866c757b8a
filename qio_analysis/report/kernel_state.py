"""Runs *inside* a warm kernel: capture a clean baseline, reset to it, check nothing is left.

The warm engine calls :func:`capture` once after start-up and :func:`reset`
before every notebook. ``reset`` clears the user namespace (imported modules
stay warm) and restores pandas options, plotly and plotly-express defaults,
numpy print options, warnings filters, the working directory, environment
variables and ``sys.path``. It then compares a fingerprint with the
baseline; anything it cannot restore (a thread left running, a module-level
change it does not know) makes it return False, and the engine replaces the
kernel.
"""

from __future__ import annotations

import copy
import os
import sys
import threading
import warnings
from typing import Any

_BASELINE: dict[str, Any] = {}


def _pandas_keys() -> list[str]:
    import pandas as pd

    def walk(prefix: str, node: Any) -> list[str]:
        keys = []
        for name in dir(node):
            full = f"{prefix}.{name}" if prefix else name
            value = getattr(node, name)
            keys += walk(full, value) if type(value).__name__ == "DictWrapper" else [full]
        return keys

    return walk("", pd.options)


def _pandas_options() -> dict[str, Any]:
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {key: pd.get_option(key) for key in _pandas_keys()}


def _plotly_defaults() -> dict[str, Any]:
    import plotly.io as pio

    out: dict[str, Any] = {
        "template": pio.templates.default,
        "renderer": pio.renderers.default,
        "templates": sorted(pio.templates),
    }
    express = sys.modules.get("plotly.express")
    if express is not None:
        defaults = express.defaults
        out["px"] = {k: copy.copy(getattr(defaults, k)) for k in type(defaults).__slots__}
    return out


def _user_names() -> list[str]:
    from IPython import get_ipython

    shell = get_ipython()
    hidden = shell.user_ns_hidden if shell else {}
    return sorted(
        n for n in (shell.user_ns if shell else {}) if not n.startswith("_") and n not in hidden
    )


def _state() -> dict[str, Any]:
    import numpy as np

    return {
        "pandas": _pandas_options(),
        "plotly": _plotly_defaults(),
        "numpy": np.get_printoptions(),
        "warnings": list(warnings.filters),
        "cwd": os.getcwd(),  # noqa: PTH109 (a str, compared and restored as is)
        "env": dict(os.environ),
        "sys_path": list(sys.path),
        "threads": threading.active_count(),
        "user_names": _user_names(),
    }


def clear_namespace(shell: Any) -> None:
    """Forget every user variable and cached output; count executions from 1 again.

    Like ``InteractiveShell.reset``, minus the forced ``gc.collect()`` it runs
    (about 30 ms with pandas and plotly loaded, on every notebook): Python
    collects garbage on its own schedule.
    """
    namespace, hidden = shell.user_ns, shell.user_ns_hidden
    for name in [n for n in namespace if n not in hidden]:
        del namespace[name]
    for name in ("_", "__", "___"):
        namespace[name] = ""
    for cache in ("_oh", "_ih", "_dh"):
        value = namespace.get(cache)
        if isinstance(value, dict | list):
            value.clear()
    shell.history_manager.output_hist.clear()
    shell.last_execution_result = None
    shell.execution_count = 1


def capture() -> None:
    """Record the clean state that every notebook should start from."""
    _BASELINE.clear()
    _BASELINE.update(_state())


def differences() -> list[str]:
    """Which parts of the state differ from the baseline (empty when clean)."""
    now = _state()
    return [key for key in _BASELINE if repr(now[key]) != repr(_BASELINE[key])]


def reset() -> list[str]:
    """Restore the baseline; return what still differs (empty means clean)."""
    import numpy as np
    import pandas as pd
    import plotly.io as pio
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        clear_namespace(shell)
    base = _BASELINE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, value in base["pandas"].items():
            if repr(pd.get_option(key)) != repr(value):
                pd.set_option(key, value)
    plotly = base["plotly"]
    for name in set(pio.templates) - set(plotly["templates"]):
        del pio.templates[name]
    # Only when changed: plotly validates and deep-copies a template on every assignment.
    if pio.templates.default != plotly["template"]:
        pio.templates.default = plotly["template"]
    if pio.renderers.default != plotly["renderer"]:
        pio.renderers.default = plotly["renderer"]
    express = sys.modules.get("plotly.express")
    if express is not None and "px" in plotly:
        for name, value in plotly["px"].items():
            setattr(express.defaults, name, copy.copy(value))
    np.set_printoptions(**base["numpy"])
    warnings.filters[:] = base["warnings"]
    os.chdir(base["cwd"])
    os.environ.clear()
    os.environ.update(base["env"])
    sys.path[:] = base["sys_path"]
    return differences()


def warm_up(modules: tuple[str, ...] = ()) -> list[str]:
    """Import what reports use (so it stays warm), clear the namespace and capture the baseline."""
    import importlib

    for name in (
        "pandas",
        "numpy",
        "plotly.graph_objects",
        "plotly.io",
        "plotly.express",
        "IPython.display",
        "qio_analysis",
        "qio_analysis.report",
        *modules,
    ):
        importlib.import_module(name)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        clear_namespace(shell)
    capture()
    return differences()
