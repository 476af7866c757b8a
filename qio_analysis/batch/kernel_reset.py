"""Runs *inside* a warm kernel: capture a clean baseline, reset to it, say what is left.

The warm kernel (:mod:`qio_analysis.batch.kernel`) calls :func:`warm_up` once
after start-up and :func:`reset` before every notebook. ``reset`` returns the
list of things it could not restore; anything in it makes the warm kernel
replace the kernel with a new one, so nothing a notebook did can reach the next.

Restored (then checked):
  the user namespace (imported modules stay warm), pandas options, plotly's
  default template and renderer, plotly-express defaults, numpy print options,
  the global random generators (``random`` and numpy's legacy global one),
  warnings filters, working directory, environment variables, ``sys.path``;
  names rebound in a ``qio_analysis`` module (``config.STAFF_RATIO_TARGET = 1``),
  in ``pandas``, ``numpy`` or ``plotly.io``, and attributes added to or replaced
  on ``DataFrame``, ``Series``, ``Index`` and plotly's ``Figure`` (monkeypatches).

Detected only (the kernel is replaced):
  a thread left running; a public module-level object of ``qio_analysis``
  changed in place (the NHS plotly template, a colour table, the region list);
  a registered plotly template changed in place; a new plotly template name
  left behind is removed.

Not checked: the contents of private (``_``-prefixed) module-level objects,
which is where the package keeps its deliberate per-kernel caches (read
cache, memoised per-cycle tables), and attributes of other classes.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import json
import os
import pkgutil
import random
import sys
import threading
import warnings
from types import ModuleType

from qio_analysis.aliases import Untyped

_BASELINE: dict[str, Untyped] = {}
_NAMESPACES: dict[str, tuple[Untyped, dict[str, Untyped]]] = {}  # label -> (object, {name: value})

#: Modules imported at warm-up so they stay warm (and are part of the baseline).
WARM_MODULES = (
    "pandas",
    "numpy",
    "plotly.graph_objects",
    "plotly.io",
    "plotly.express",
    "IPython.display",
    "qio_analysis",
    "qio_analysis.report",
)
#: qio_analysis modules that notebooks never use (the command line, the Voila app, the batch).
_NOT_IN_KERNEL = ("qio_analysis.cli", "qio_analysis.explorer.server", "qio_analysis.batch")


# --------------------------------------------------------------------- pandas options


def _option_keys() -> list[str]:
    """Every pandas option name, found through the public option API."""
    import pandas as pd

    def walk(prefix: str, node: object) -> list[str]:
        keys = []
        for name in dir(node):
            full = f"{prefix}.{name}" if prefix else name
            try:
                pd.get_option(full)
            except pd.errors.OptionError:  # several options match: a group, so walk into it
                keys += walk(full, getattr(node, name))
                continue
            keys.append(full)
        return keys

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return walk("", pd.options)


def _pandas_options() -> dict[str, Untyped]:
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {key: pd.get_option(key) for key in _BASELINE.get("pandas_keys", ())}


# --------------------------------------------------------------------- plotly


def _plotly_defaults() -> dict[str, Untyped]:
    import plotly.io as pio

    out: dict[str, Untyped] = {
        "template": pio.templates.default,
        "renderer": pio.renderers.default,
        "templates": sorted(pio.templates),
    }
    express = sys.modules.get("plotly.express")
    if express is not None:
        defaults = express.defaults
        out["px"] = {k: copy.copy(getattr(defaults, k)) for k in type(defaults).__slots__}
    return out


def _template_digest() -> str:
    """Digest of the default plotly template's content (changes made in place show here)."""
    import plotly.io as pio

    name = pio.templates.default
    if not name or name not in pio.templates:
        return ""
    return _digest(pio.templates[name].to_plotly_json())


# --------------------------------------------------------------------- random generators


def _random_states() -> tuple[Untyped, Untyped]:
    import numpy as np

    return random.getstate(), np.random.get_state()


def _random_digest() -> str:
    import numpy as np

    py_state, (name, keys, pos, has_gauss, gauss) = _random_states()
    return _digest([repr(py_state), name, np.asarray(keys).tobytes().hex(), pos, has_gauss, gauss])


# --------------------------------------------------------------------- module namespaces


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def _content(value: object) -> str | None:
    """A digest of a public module-level object's content, or None to compare identity only.

    Immutable values can only be rebound, which the identity check catches.
    """
    if isinstance(value, str | int | float | bool | bytes | frozenset | type(None)):
        return None
    if isinstance(value, dict | list | set | tuple):
        return _digest(repr(value))
    if hasattr(value, "to_plotly_json"):
        return _digest(value.to_plotly_json())
    return None


def _watched_namespaces() -> dict[str, Untyped]:
    """The namespaces whose names are snapshotted: qio_analysis modules and patched libraries."""
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
    import plotly.io as pio

    spaces: dict[str, Untyped] = {
        name: module
        for name, module in sys.modules.items()
        if (name == "qio_analysis" or name.startswith("qio_analysis."))
        and not name.startswith(_NOT_IN_KERNEL)
        and module is not None
    }
    spaces.update(
        {
            "pandas": pd,
            "numpy": np,
            "plotly.io": pio,
            "pandas.DataFrame": pd.DataFrame,
            "pandas.Series": pd.Series,
            "pandas.Index": pd.Index,
            "plotly.graph_objects.Figure": go.Figure,
        }
    )
    return spaces


def _names(space: object) -> dict[str, Untyped]:
    return {k: v for k, v in vars(space).items() if not (k.startswith("__") and k.endswith("__"))}


def _module_contents() -> dict[str, str]:
    """Content digests of the public module-level objects of qio_analysis that can change in place.

    Which objects those are (containers, plotly objects) is decided once, at
    capture; an object shared by several modules is digested once.
    """
    by_id: dict[int, str | None] = {}
    out = {}
    for key, value in _MUTABLE_PUBLIC:
        if id(value) not in by_id:
            by_id[id(value)] = _content(value)
        digest = by_id[id(value)]
        if digest is not None:
            out[key] = digest
    return out


def _mutable_public() -> list[tuple[str, Untyped]]:
    """(name, object) of every public module-level object of qio_analysis with a content digest."""
    found = []
    for label, (space, _) in _NAMESPACES.items():
        if not label.startswith("qio_analysis"):
            continue
        for name, value in _names(space).items():
            if not name.startswith("_") and _content(value) is not None:
                found.append((f"{label}.{name}", value))
    return found


_MUTABLE_PUBLIC: list[tuple[str, Untyped]] = []


def _restore_namespaces() -> None:
    """Put back every name rebound, added or removed since the baseline."""
    for space, before in _NAMESPACES.values():
        now = _names(space)
        for name in _added(now, before):
            delattr(space, name)
        for name, value in before.items():
            if now.get(name, _MISSING) is not value:
                setattr(space, name, value)


_MISSING = object()


def _added(now: dict[str, Untyped], before: dict[str, Untyped]) -> list[str]:
    """Names added since the baseline, except submodules (a side effect of importing them)."""
    return [k for k in now.keys() - before.keys() if not isinstance(now[k], ModuleType)]


def _rebound() -> list[str]:
    out = []
    for label, (space, before) in _NAMESPACES.items():
        now = _names(space)
        if _added(now, before) or any(now.get(k, _MISSING) is not v for k, v in before.items()):
            out.append(label)
    return out


# --------------------------------------------------------------------- the state


def _user_names() -> list[str]:
    from IPython import get_ipython

    shell = get_ipython()
    hidden = shell.user_ns_hidden if shell else {}
    return sorted(
        n for n in (shell.user_ns if shell else {}) if not n.startswith("_") and n not in hidden
    )


def _state() -> dict[str, Untyped]:
    import numpy as np

    return {
        "pandas": _pandas_options(),
        "plotly": _plotly_defaults(),
        "plotly_template": _template_digest(),
        "numpy": np.get_printoptions(),
        "random": _random_digest(),
        "warnings": list(warnings.filters),
        "cwd": os.getcwd(),  # noqa: PTH109 (a str, compared and restored as is)
        "env": dict(os.environ),
        "sys_path": list(sys.path),
        "threads": _threads(),
        "user_names": _user_names(),
        "rebound": _rebound(),
        "modules": _module_contents(),
    }


def _threads() -> int:
    """Threads the report's code started: pyzmq's garbage collector is not one of them.

    The kernel starts that thread itself the first time it sends a large output
    (a big chart) without copying it, and keeps it for good.
    """
    return sum(1 for t in threading.enumerate() if type(t).__module__ != "zmq.utils.garbage")


def clear_namespace(shell: Untyped) -> None:
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
    _BASELINE["pandas_keys"] = _option_keys()
    _BASELINE["random_states"] = _random_states()
    _NAMESPACES.clear()
    _NAMESPACES.update(
        {label: (space, _names(space)) for label, space in _watched_namespaces().items()}
    )
    _MUTABLE_PUBLIC[:] = _mutable_public()
    _BASELINE.update(_state())


def differences() -> list[str]:
    """Which parts of the state differ from the baseline (empty when clean)."""
    now = _state()
    out = [
        key
        for key in now
        if key not in {"modules", "rebound"} and repr(now[key]) != repr(_BASELINE[key])
    ]
    out += [f"rebound: {label}" for label in now["rebound"]]
    base = _BASELINE["modules"]
    out += [
        f"changed in place: {k}" for k in sorted(now["modules"]) if base.get(k) != now["modules"][k]
    ]
    return out


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
    _restore_namespaces()  # first: a patched pandas or plotly function must not run below
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
    py_state, np_state = base["random_states"]
    random.setstate(py_state)
    np.random.set_state(np_state)
    # typeshed declares ``filters`` a Sequence; it is the list the warnings module reads.
    warnings.filters[:] = base["warnings"]  # type: ignore[index]
    os.chdir(base["cwd"])
    os.environ.clear()
    os.environ.update(base["env"])
    sys.path[:] = base["sys_path"]
    return differences()


def _import_package() -> None:
    """Import every qio_analysis module a notebook may use, so all are in the baseline."""
    import qio_analysis

    for info in pkgutil.walk_packages(qio_analysis.__path__, "qio_analysis."):
        if not info.name.startswith(_NOT_IN_KERNEL):
            importlib.import_module(info.name)


def warm_up(modules: tuple[str, ...] = ()) -> list[str]:
    """Import what reports use (so it stays warm), clear the namespace and capture the baseline."""
    for name in (*WARM_MODULES, *modules):
        importlib.import_module(name)
    _import_package()
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        clear_namespace(shell)
    capture()
    return differences()
