"""The explorer's kernel rules, on the kernel manager itself (no kernels started)."""

from __future__ import annotations

import asyncio

import pytest

from qio_analysis.explorer import kernels
from qio_analysis.explorer.kernels import ExplorerKernelManager

# Voila's request cache, imported once here rather than inside the first test that stops a kernel.
RequestInfoSocketHandler = pytest.importorskip(
    "voila.request_info_handler"
).RequestInfoSocketHandler


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def manager(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(kernels.time, "monotonic", clock)
    km = ExplorerKernelManager(connect_wait=60)
    stopped: list[str] = []

    async def shutdown(kernel_id, *args, **kwargs):
        stopped.append(kernel_id)

    async def idle_rule(self, kernel_id):
        stopped.append(f"idle:{kernel_id}")

    monkeypatch.setattr(km, "_busy", lambda kernel_id: False)
    monkeypatch.setattr(
        kernels.AsyncMappingKernelManager, "shutdown_kernel", lambda self, k, *a, **kw: shutdown(k)
    )
    monkeypatch.setattr(kernels.AsyncMappingKernelManager, "cull_kernel_if_idle", idle_rule)
    return km, clock, stopped


def cull(km, kernel_id):
    asyncio.run(km.cull_kernel_if_idle(kernel_id))


def test_a_page_has_the_connect_wait_from_the_hand_out_not_from_the_first_look(manager):
    km, clock, stopped = manager
    km._started["k"] = clock.now - 500  # preheated long ago
    km.handed_out("k")
    clock.now += 59
    cull(km, "k")
    assert stopped == []  # 59 s after the hand-out: still waiting for its page
    clock.now += 2
    cull(km, "k")
    assert stopped == ["k"]
    assert "k" not in km._handed_out and "k" not in km._started


def test_a_connected_page_follows_the_idle_rule_and_a_pooled_kernel_is_left_alone(manager):
    km, clock, stopped = manager
    km.handed_out("k")
    km._connected.add("k")
    clock.now += 1000
    cull(km, "k")
    assert stopped == ["idle:k"]
    km._started["p"] = clock.now - 1000
    km.__dict__["notebook_data"] = {"nb": {"kernel_ids": {"p"}}}  # Voila's pool notes
    cull(km, "p")
    assert stopped == ["idle:k"]


def test_a_finished_visit_leaves_nothing_in_voilas_request_cache(manager):
    km, _, _ = manager
    RequestInfoSocketHandler._cache["gone"] = {"url": "http://localhost/?view=heatmap"}
    asyncio.run(km.shutdown_kernel("gone"))
    assert "gone" not in RequestInfoSocketHandler._cache
