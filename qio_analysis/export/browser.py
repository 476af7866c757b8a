"""The headless Debian chromium that prints PDFs and draws the image pack, one per call or shared.

By default each :func:`~qio_analysis.export.pdf.print_pdfs` call (or
:class:`~qio_analysis.export.pdf.PdfPrinter`) and each image pack starts a
browser of its own and closes it when done, as a run does. A caller that
prints many times in one process (a test session, a notebook printing report
after report) can keep one browser instead: a :class:`BrowserSession` started
lazily, on a thread and event loop of its own, shared by every printer and
pack inside :func:`shared_browser`::

    with BrowserSession() as session, shared_browser(session):
        print_pdfs(first_jobs)
        print_pdfs(more_jobs)  # the same browser, a fresh context

Each printer or pack gets a fresh browser context (its own cache, cookies and
proxy) and closes it when done, so nothing of one is seen by the next. The
shared browser is launched with every request sent to a dead proxy; a printer
lets through only its own report server, per context.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Awaitable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Playwright, ProxySettings

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: A proxy nothing listens on (the discard port): requests not let through fail.
NO_PROXY = "http://127.0.0.1:9"

T = TypeVar("T")


class BrowserSession:
    """One headless chromium, started with its first use and kept until :meth:`close`.

    It lives on a thread and event loop of its own, so callers on any thread
    (including one whose own event loop is running) can share it. ``chromium``
    defaults to :func:`~qio_analysis.config.chromium_path`, asked at first use.
    """

    def __init__(self, chromium: str | None = None) -> None:
        self.chromium = chromium
        self.launches = 0  # how many browsers it has started (one, unless one crashed)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._launching: asyncio.Lock | None = None

    def __enter__(self) -> BrowserSession:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The session's event loop (its thread started on first use)."""
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                self._thread = threading.Thread(
                    target=loop.run_forever, name="qio-browser", daemon=True
                )
                self._thread.start()
                self._loop = loop
            return self._loop

    def run(self, work: Awaitable[T]) -> T:
        """Run ``work`` (a coroutine) on the session's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()  # type: ignore[arg-type]

    async def browser(self) -> Browser:
        """The running browser, launched now if it is not (call on :attr:`loop`)."""
        if self._launching is None:
            self._launching = asyncio.Lock()
        async with self._launching:
            if self._browser is None or not self._browser.is_connected():
                from playwright.async_api import async_playwright

                from qio_analysis.config import chromium_path

                if self._playwright is None:
                    self._playwright = await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(
                    executable_path=self.chromium or chromium_path(),
                    args=list(CHROMIUM_FLAGS),
                    headless=True,
                    proxy={"server": NO_PROXY},
                )
                self.launches += 1
            return self._browser

    def close(self) -> None:
        """Close the browser and stop the session's thread (a later use starts them again)."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shut(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()

    async def _shut(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = self._launching = None
        try:
            if browser is not None:
                await browser.close()
        finally:
            if playwright is not None:
                await playwright.stop()


_shared: BrowserSession | None = None


@contextlib.contextmanager
def shared_browser(session: BrowserSession | None) -> Iterator[BrowserSession | None]:
    """Print and draw with ``session``'s browser inside the block (``None``: each call its own)."""
    global _shared
    saved, _shared = _shared, session
    try:
        yield session
    finally:
        _shared = saved


def current_session() -> BrowserSession | None:
    """The session shared by :func:`shared_browser`, if any."""
    return _shared


@contextlib.asynccontextmanager
async def browser_context(
    chromium: str,
    session: BrowserSession | None,
    *,
    proxy: ProxySettings | None = None,
    **options: Any,
) -> AsyncIterator[BrowserContext]:
    """A fresh browser context: on ``session``'s browser (run this on its loop), else on a
    browser started here and closed on leaving.

    ``proxy`` (Playwright's proxy settings) is set on the context of a shared browser and
    on the launch of a browser started here.
    """
    if session is not None:
        browser = await session.browser()
        context = await browser.new_context(**options, proxy=proxy)
        try:
            yield context
        finally:
            await context.close()
        return
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=chromium,
            args=list(CHROMIUM_FLAGS),
            headless=True,
            proxy=proxy,
        )
        try:
            yield await browser.new_context(**options)
        finally:
            await browser.close()


__all__ = [
    "CHROMIUM_FLAGS",
    "BrowserSession",
    "browser_context",
    "current_session",
    "shared_browser",
]
