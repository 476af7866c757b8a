"""The explorer's kernels: one per open page, shut down soon after the page goes.

A closed tab normally tells the server at once (Voila's page posts a shutdown
when it unloads). When it cannot (the browser crashed, the laptop slept, the
network dropped) the kernel's last websocket closes all the same, and
:class:`ExplorerKernelManager` shuts the kernel down :data:`CLOSED_GRACE_SECONDS`
later unless a page has connected again. A kernel given to a page that closed
before it connected is shut down :data:`NEVER_CONNECTED_SECONDS` after the
culler first finds it. Pages left open are culled after ``cull_idle_timeout``
as before, and preheated kernels, which no page has opened yet, are never
culled (Voila's pool keeps them out of the culler's sight).
"""

from __future__ import annotations

import asyncio
import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float

#: Seconds a kernel waits for its page to come back before it is shut down.
CLOSED_GRACE_SECONDS = 20.0
#: Seconds a kernel outside the pool may wait for its page's first connection.
NEVER_CONNECTED_SECONDS = 30.0


class ExplorerKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, shutting a kernel down shortly after its last page disconnects."""

    closed_grace = Float(
        CLOSED_GRACE_SECONDS,
        config=True,
        help="Seconds after its last page disconnects before a kernel is shut down.",
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._closed_at: dict[str, float] = {}
        self._connected: set[str] = set()
        self._unconnected_since: dict[str, float] = {}

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
        """Jupyter's idle rule, and a kernel whose page never connected goes after a while."""
        if kernel_id not in self._connected:
            first = self._unconnected_since.setdefault(kernel_id, time.monotonic())
            if time.monotonic() - first >= NEVER_CONNECTED_SECONDS:
                self.log.info("Kernel %s: no page ever connected; shutting down.", kernel_id)
                await self.shutdown_kernel(kernel_id)
                return
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args: object, **kwargs: object) -> None:
        """Shut the kernel down (and forget what was noted about its page)."""
        self._closed_at.pop(kernel_id, None)
        self._connected.discard(kernel_id)
        self._unconnected_since.pop(kernel_id, None)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)
