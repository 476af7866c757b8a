"""A private, read-only HTTP server on loopback for the PDF printer, alive only while it prints.

Chromium keeps compiled scripts for pages served over HTTP (with a cache
header), not for ``file://``: served this way, the shared plotly.js is
compiled once per run instead of once per report, which halves the load
time of each report. The server answers only on 127.0.0.1, only under a
random secret prefix, only for its own ``Host`` (no DNS rebinding), only
``GET``/``HEAD`` of files inside its folder (or of the few pages it is given
in memory, such as the printer's shell page), and never lists a folder.
"""

from __future__ import annotations

import functools
import mimetypes
import secrets
import threading
from collections.abc import Callable, Mapping
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import quote


class _Handler(SimpleHTTPRequestHandler):
    prefix = ""
    host = ""
    pages: Mapping[str, bytes] = {}

    def log_message(self, format: str, *args: object) -> None:
        return  # quiet: the printer reports its own errors

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "private, max-age=3600")
        super().end_headers()

    def _allowed(self) -> bool:
        return self.headers.get("Host") == self.host and self.path.startswith(self.prefix)

    def _in_memory(self, head: bool) -> bool:
        """Answer from ``pages`` when the path names one of them."""
        body = self.pages.get(self.path[len(self.prefix) :])
        if body is None:
            return False
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(self.path)[0] or "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        return True

    def _serve(self, respond: Callable[[], None], *, head: bool) -> None:
        """``respond()`` for a request under the prefix with the right Host (a page held in
        memory answers from there); 404 otherwise.
        """
        if not self._allowed():
            self.send_error(404)
            return
        if self._in_memory(head=head):
            return
        self.path = self.path[len(self.prefix) - 1 :]
        respond()

    def do_GET(self) -> None:
        self._serve(super().do_GET, head=False)

    def do_HEAD(self) -> None:
        self._serve(super().do_HEAD, head=True)

    def list_directory(self, path: str) -> None:  # type: ignore[override]
        self.send_error(404)


class ReportServer:
    """Serve ``root`` on 127.0.0.1 (a free port) under a secret prefix, as a context manager.

    ``pages`` maps relative paths to bodies served from memory (they win over files).
    """

    def __init__(self, root: Path, pages: Mapping[str, bytes] | None = None) -> None:
        self.root = Path(root).resolve()
        self.pages = dict(pages or {})
        self._server: ThreadingHTTPServer | None = None
        self.base = ""

    def __enter__(self) -> ReportServer:
        token = secrets.token_urlsafe(16)
        handler = type("Handler", (_Handler,), {"prefix": f"/{token}/", "pages": self.pages})
        self._server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(self.root))
        )
        port = self._server.server_address[1]
        handler.host = f"127.0.0.1:{port}"
        self.base = f"http://127.0.0.1:{port}/{token}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def url(self, path: Path) -> str | None:
        """The URL of ``path``, or None when it is outside the served folder."""
        try:
            relative = Path(path).resolve().relative_to(self.root)
        except ValueError:
            return None
        return self.base + quote(relative.as_posix())

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
