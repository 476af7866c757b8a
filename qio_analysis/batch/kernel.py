"""The warm kernel: one long-lived Jupyter kernel per process, reset between notebooks.

Two engines execute notebooks. ``fresh`` is papermill's own ``nbclient``
engine: a new kernel for every notebook (about 3 s of start-up each).
``warm`` is :class:`WarmKernelEngine`, registered with papermill as
``qio-warm`` through the ``papermill.engine`` entry point in pyproject.toml
(the one registration): one kernel per process, reused across notebooks and
reset between them by :mod:`qio_analysis.batch.kernel_reset` (code that runs
*inside* the kernel), so imports and loaded data stay warm.

Both engines are driven by papermill's engine machinery, through
:func:`qio_analysis.batch.render.execute` for ``qio reports`` or
``papermill.execute_notebook`` for anyone else, so parameters are injected
and papermill's metadata (parameters, duration, exception) is recorded the
same way.

This module is imported whenever papermill is (through its entry point), so it
must stay cheap to import.
"""

from __future__ import annotations

import ast
import atexit
import copy
import logging
import shutil
import tempfile
from typing import TYPE_CHECKING

import nbformat
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine

from qio_analysis.aliases import Untyped
from qio_analysis.platform_support import kernel_transport, kill_process_tree

if TYPE_CHECKING:
    from typing import IO

    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

logger = logging.getLogger("qio_analysis.batch")

ENGINES = {"fresh": "nbclient", "warm": "qio-warm"}
_RESET = "__import__('qio_analysis.batch.kernel_reset', fromlist=['x'])"


class KernelUnusableError(RuntimeError):
    """A warm kernel could not be reset to a clean state."""


#: The fields of each kind of output message, in nbformat's order.
_OUTPUT_FIELDS = {
    "execute_result": ("metadata", "data", "execution_count"),
    "display_data": ("metadata", "data"),
    "stream": ("name", "text"),
    "error": ("ename", "evalue", "traceback"),
}


class ReportClient(PapermillNotebookClient):
    """papermill's notebook client, minus nbformat's schema check of every single output.

    ``nbformat.v4.output_from_msg`` validates each output against the notebook
    schema as it arrives (about 2 ms each with jsonschema, some 40 ms a report);
    the outputs come from our own kernel and the nodes built here are the same.
    Widget output hooks and unusual messages still take nbclient's own path.
    """

    clear_before_next_output: bool  # nbclient's flag, declared for the type checker

    def output(
        self,
        outs: list[nbformat.NotebookNode],
        msg: dict[str, Untyped],  # a Jupyter message, as jupyter_client types it
        display_id: str | None,
        cell_index: int,
    ) -> Untyped:  # what nbclient's own ``output`` returns
        fields = _OUTPUT_FIELDS.get(msg["msg_type"])
        if fields is None or self.output_hook_stack[msg["parent_header"].get("msg_id")]:
            return super().output(outs, msg, display_id, cell_index)
        content = msg["content"]
        out = nbformat.from_dict(
            {"output_type": msg["msg_type"], **{f: content[f] for f in fields}}
        )
        if self.clear_before_next_output:
            outs[:] = []
            self.clear_display_id_mapping(cell_index)
            self.clear_before_next_output = False
        if display_id:
            cell_map = self._display_id_map.setdefault(display_id, {})
            cell_map.setdefault(cell_index, []).append(len(outs))
        outs.append(out)
        return out


class WarmKernel:
    """One long-lived Jupyter kernel, reset to a clean baseline before each notebook."""

    def __init__(self, kernel_name: str, startup_timeout: int = 60) -> None:
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.km: AsyncKernelManager | None = None
        self.kc: AsyncKernelClient | None = None
        self.runs = 0
        self.restarts = 0
        self._socket_dir = ""

    def start(self) -> None:
        # An async manager and client, as nbclient expects: with a blocking
        # client, a dead kernel blocks nbclient's event loop instead of raising.
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        from qio_analysis.config import NOTEBOOKS_DIR

        # IPC sockets where the platform has them: nothing listens on the network.
        # Each kernel gets its own private socket prefix, because jupyter_client
        # picks IPC "ports" by probing file names, which races between workers
        # starting together.
        self._socket_dir = tempfile.mkdtemp(prefix="qio-kernel-")
        self.km = AsyncKernelManager(
            kernel_name=self.kernel_name, **kernel_transport(self._socket_dir)
        )
        # No input history database: batch kernels never need it, and it would
        # object when the execution count restarts at 1 for each notebook.
        run_sync(self.km.start_kernel)(
            cwd=str(NOTEBOOKS_DIR), extra_arguments=["--HistoryManager.enabled=False"]
        )
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        left = self._ask(f"{_RESET}.warm_up()", timeout=self.startup_timeout)
        if left:
            raise KernelUnusableError(f"a fresh kernel is not clean after warm-up: {left}")

    def stop(self) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None and self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)
        self.km = self.kc = None
        if self._socket_dir:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = ""

    def restart(self) -> None:
        """Replace the kernel with a new one."""
        self.stop()
        self.restarts += 1
        self.start()

    @property
    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and run_sync(self.km.is_alive)()

    def _ask(self, expression: str, timeout: float = 30) -> list[str]:
        """Evaluate ``expression`` (a call of kernel_reset returning what it could not
        reset) silently in the kernel and return its value."""
        from jupyter_core.utils import run_sync

        if self.kc is None:
            raise KernelUnusableError("the kernel is not running")
        msg_id = self.kc.execute(
            "", silent=True, store_history=False, user_expressions={"v": expression}
        )
        get = run_sync(self.kc.get_shell_msg)
        reply = get(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = get(timeout=timeout)
        value = reply["content"].get("user_expressions", {}).get("v", {})
        if value.get("status") != "ok":
            raise KernelUnusableError(
                f"kernel could not evaluate {expression}: {value.get('evalue', value)}"
            )
        return [str(left) for left in ast.literal_eval(value["data"]["text/plain"])]

    def ensure_clean(self) -> None:
        """Start the kernel if needed, reset it, and replace it if the reset is incomplete."""
        if not self.alive:
            if self.km is not None:
                logger.warning("warm kernel died; starting a new one")
                self.restarts += 1
            self.stop()
            self.start()
            return
        try:
            left = self._ask(f"{_RESET}.reset()")
        except Exception as exc:  # any failure to talk to the kernel means: replace it
            left = [f"reset failed: {exc}"]
        if left:
            logger.warning(
                "warm kernel kept state it cannot reset (%s); replacing it",
                ", ".join(left),
            )
            self.restart()

    def run(self, nb_man: Untyped, **client_kwargs: object) -> Untyped:
        """Execute a papermill-managed notebook in this kernel."""
        self.ensure_clean()
        client = ReportClient(nb_man, km=self.km, kernel_name=self.kernel_name, **client_kwargs)
        client.kc = self.kc  # reuse our client: no new channels, kernel left running afterwards
        self.runs += 1
        return client.execute()


_KERNELS: dict[str, WarmKernel] = {}


def warm_kernel(kernel_name: str, startup_timeout: int = 60) -> WarmKernel:
    """This process's warm kernel for ``kernel_name`` (created on first use)."""
    if kernel_name not in _KERNELS:
        _KERNELS[kernel_name] = WarmKernel(kernel_name, startup_timeout)
    return _KERNELS[kernel_name]


@atexit.register
def shutdown_kernels() -> None:
    """Stop every warm kernel this process started."""
    for kernel in _KERNELS.values():
        kernel.stop()
    _KERNELS.clear()


def kill_kernels() -> None:
    """Kill every warm kernel of this process at once, without talking to it.

    For a process about to exit because its own parent died: no messages,
    no event loop, just each kernel's process tree stopped
    (:func:`~qio_analysis.platform_support.kill_process_tree`) and their socket
    folders removed.
    """
    for kernel in list(_KERNELS.values()):
        pid = getattr(getattr(kernel.km, "provisioner", None), "pid", None)
        if pid:
            kill_process_tree(pid)
        if kernel._socket_dir:
            shutil.rmtree(kernel._socket_dir, ignore_errors=True)


class WarmKernelEngine(Engine):
    """papermill engine ``qio-warm``: reuse one kernel per process, reset between notebooks.

    A kernel that dies, or hangs past the per-cell timeout, is replaced and the
    notebook is run once more from the start; a second failure is raised.
    """

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Untyped,  # papermill's NotebookExecutionManager (papermill has no types)
        kernel_name: str,
        log_output: bool = False,
        stdout_file: IO[str] | None = None,
        stderr_file: IO[str] | None = None,
        start_timeout: int = 60,
        execution_timeout: int | None = None,
        **kwargs: object,
    ) -> Untyped:  # what papermill's engines return
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        kernel = warm_kernel(kernel_name, start_timeout)
        options = {
            "timeout": execution_timeout,
            "startup_timeout": start_timeout,
            "log": logger,
            "log_output": log_output,
            "stdout_file": stdout_file,
            "stderr_file": stderr_file,
        }
        broken = (DeadKernelError, CellTimeoutError, KernelUnusableError)
        pristine = copy.deepcopy(nb_man.nb.cells)
        try:
            return kernel.run(nb_man, **options)
        except broken as first:
            logger.warning(
                "kernel failed (%s: %s); replacing it and retrying once",
                type(first).__name__,
                first,
            )
            kernel.restart()
            nb_man.nb.cells = copy.deepcopy(pristine)
            nb_man.notebook_start()
            try:
                return kernel.run(nb_man, **options)
            except broken:
                kernel.restart()  # never leave a dead or hung kernel for the next notebook
                raise
