"""The explorer's kernels: one per open page, shut down soon after the page goes.

A closed tab normally tells the server at once (Voila's page posts a shutdown
when it unloads). When it cannot (the browser crashed, the laptop slept, the
network dropped) the kernel's last websocket closes all the same, and
:class:`ExplorerKernelManager` shuts the kernel down ``closed_grace`` seconds
(:data:`CLOSED_GRACE_SECONDS`) later unless a page has connected again.

A kernel handed to a page that never connects is shut down ``connect_wait``
seconds (:data:`CONNECT_WAIT_SECONDS`) after it was handed out, counted from
the hand-out itself (not from when the culler first sees it): longer than a
browser waits for the page's scripts, so a slow or loaded browser that
connects late still finds its kernel. Pages left open are culled after
``cull_idle_timeout`` as before, and preheated kernels, which no page has
opened yet, are never culled (Voila's pool keeps them out of the culler's
sight).

What the server noted about a visit (the hand-out time, Voila's request
information for the page) is forgotten when its kernel is shut down.
"""

from __future__ import annotations

import asyncio
import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float

from qio_analysis.explorer.server import CLOSED_GRACE_SECONDS, CONNECT_WAIT_SECONDS

__all__ = ["CLOSED_GRACE_SECONDS", "CONNECT_WAIT_SECONDS", "ExplorerKernelManager"]


class ExplorerKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, shutting a kernel down shortly after its last page disconnects."""

    closed_grace = Float(
        CLOSED_GRACE_SECONDS,
        config=True,
        help="Seconds after its last page disconnects before a kernel is shut down.",
    )
    connect_wait = Float(
        CONNECT_WAIT_SECONDS,
        config=True,
        help="Seconds a page has, from the hand-out of its kernel, to connect to it.",
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._closed_at: dict[str, float] = {}
        self._connected: set[str] = set()
        self._handed_out: dict[str, float] = {}
        self._started: dict[str, float] = {}

    def handed_out(self, kernel_id: str) -> None:
        """A page was given this kernel: its wait to connect starts now."""
        self._handed_out[kernel_id] = time.monotonic()

    async def start_kernel(self, *args: object, **kwargs: object) -> str:
        """Start a kernel, noting when (a kernel started for a page is handed out as it starts)."""
        kernel_id = await super().start_kernel(*args, **kwargs)
        self._started[kernel_id] = time.monotonic()
        return kernel_id

    def _busy(self, kernel_id: str) -> bool:
        kernel = self._kernels.get(kernel_id)
        return getattr(kernel, "execution_state", None) == "busy"

    def _in_pool(self, kernel_id: str) -> bool:
        """A preheated kernel not yet handed out (still running its notebook, or ready)."""
        if kernel_id in self._handed_out:
            return False
        notebooks = getattr(self, "notebook_data", None) or {}
        return any(kernel_id in data.get("kernel_ids", ()) for data in notebooks.values())

    def notify_connect(self, kernel_id: str) -> None:
        """A page connected: the kernel is in use again."""
        super().notify_connect(kernel_id)
        self._closed_at.pop(kernel_id, None)
        self._connected.add(kernel_id)

    def notify_disconnect(self, kernel_id: str) -> None:
        """A page disconnected: when it was the last one, shut the kernel down after the grace."""
        super().notify_disconnect(kernel_id)
        if self._kernel_connections.get(kernel_id, 0) > 0:
            return
        closed = self._closed_at[kernel_id] = time.monotonic()
        asyncio.get_running_loop().call_later(
            self.closed_grace, lambda: asyncio.ensure_future(self._shut_if_gone(kernel_id, closed))
        )

    async def _shut_if_gone(self, kernel_id: str, closed: float) -> None:
        if self._closed_at.get(kernel_id) != closed or kernel_id not in self:
            return
        self._closed_at.pop(kernel_id, None)
        self.log.info(
            "Kernel %s: its page closed %.0f s ago; shutting down.", kernel_id, self.closed_grace
        )
        await self.shutdown_kernel(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Jupyter's idle rule, and a kernel whose page never connected goes after ``connect_wait``.

        Preheated kernels are left alone, also while they still run their notebook (Voila's
        pool only answers for those that have finished).
        """
        if kernel_id not in self._connected:
            if self._in_pool(kernel_id) or self._busy(kernel_id):
                return  # preheating, or still running the notebook for its page
            since = self._handed_out.get(kernel_id) or self._started.get(kernel_id)
            if since is None:
                since = self._handed_out[kernel_id] = time.monotonic()
            waited = time.monotonic() - since
            if waited >= self.connect_wait:
                self.log.info(
                    "Kernel %s: no page connected in the %.0f s since it was handed out; "
                    "shutting down.",
                    kernel_id,
                    waited,
                )
                await self.shutdown_kernel(kernel_id)
            return  # a page may still connect: the idle rule starts once one has
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args: object, **kwargs: object) -> None:
        """Shut the kernel down and forget everything noted about its visit."""
        self._closed_at.pop(kernel_id, None)
        self._connected.discard(kernel_id)
        self._handed_out.pop(kernel_id, None)
        self._started.pop(kernel_id, None)
        _forget_request_info(kernel_id)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)


def _forget_request_info(kernel_id: str) -> None:
    """Drop Voila's request information for a visit (it keeps one entry per kernel for good)."""
    try:
        from voila.request_info_handler import RequestInfoSocketHandler
    except ImportError:  # the kernel manager outside Voila
        return
    RequestInfoSocketHandler._cache.pop(kernel_id, None)
