"""``qio explore``: serve notebooks/explore_levels.ipynb as a locked-down Voila app.

What the server guarantees (each point is tested in tests/explorer/test_server.py
against a real ``qio explore`` on a free localhost port):

- it answers only requests whose ``Host`` header names this machine (``localhost``
  or a loopback address), so a DNS-rebinding web page cannot reach it;
- it binds to 127.0.0.1 unless ``--ip`` is given; then a token is required
  (generated and printed in the URL) and the console says what is exposed;
- a kernel is shut down when its page closes (at once when the page says so,
  else :data:`~qio_analysis.explorer.server.CLOSED_GRACE_SECONDS` after its
  websocket closes); a kernel whose page never connects goes
  :data:`~qio_analysis.explorer.server.CONNECT_WAIT_SECONDS` after it was
  handed out, never sooner; idle pages' kernels are culled and every kernel is
  stopped when the server stops (Ctrl+C or SIGTERM);
- kernels only accept widget messages (Voila's default): no code execution, no
  kernel list, no terminals, no file browsing (``/voila/files`` serves nothing);
- a small pool of preheated kernels makes each visit start in well under a
  second; the page's query string is applied in the browser after the
  preheated notebook has run (see ``LevelExplorer.url_in``), so preheating and
  shareable links work together.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qio_analysis.config import NOTEBOOKS_DIR, PACKAGE_DIR

if TYPE_CHECKING:
    from qio_analysis.explorer.first_view import FirstView

PathLike = str | os.PathLike[str] | None

NOTEBOOK = NOTEBOOKS_DIR / "explore_levels.ipynb"
VOILA_DATA = PACKAGE_DIR / "voila_data"
LOCAL_HOSTNAMES = ("localhost",)
DATA_ENV = {
    "submissions": "QIO_EXPLORE_SUBMISSIONS",
    "statistics": "QIO_EXPLORE_STATISTICS",
    "organisations": "QIO_EXPLORE_ORGANISATIONS",
}
#: Set by the server for its kernels: ``page`` makes the explorer hand each figure to
#: the page's own plotly.js (see :data:`qio_analysis.explorer.app.DRAW_MODES`).
DRAW_ENV = "QIO_EXPLORE_DRAW"
#: plotly.js for the page's own chart drawing (see ``LevelExplorer(draw="page")``),
#: served from the installed plotly package at this path under the base URL.
PLOTLY_JS_PATH = "qio/plotly.min.js"
#: Where the template's head takes the preload link of plotly.js's versioned file.
PLOTLY_PRELOAD_MARKER = "<!--qio-plotly-preload-->"
#: Widget-bundle files named for their content's hash, which the browser keeps for a year.
HASHED_LAB_FILE = r"voila/labextensions/([^?#]+/static/[\w.-]+\.[0-9a-f]{16,}\.js)"
CULL_IDLE_SECONDS = 900
#: Seconds a closed page's kernel waits for the page to come back before it is shut down.
CLOSED_GRACE_SECONDS = 20.0
#: Seconds a page has, from the hand-out of its kernel, to connect: longer than
#: Chromium waits for a stalled request (300 s), and at least a few minutes.
CONNECT_WAIT_SECONDS = 330.0
#: How often kernels are looked at, at most (shorter when the timers are shorter).
CULL_INTERVAL_SECONDS = 10
#: Shuts a kernel down soon after its page closes (imported by the server only).
KERNEL_MANAGER = "qio_analysis.explorer.kernels.ExplorerKernelManager"
POOL_SIZE = 2


def is_loopback(ip: str) -> bool:
    """Whether ``ip`` (an address or ``localhost``) only accepts connections from this machine."""
    if ip in LOCAL_HOSTNAMES:
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def host_allowed(host_header: str, *, exposed: bool) -> bool:
    """Whether a request with this ``Host`` header may be served.

    On loopback only ``localhost`` and loopback addresses pass (DNS rebinding
    defence, as Jupyter's ``allow_remote_access=False``). When the server is
    exposed with ``--ip``, any host passes and the token protects it.
    """
    if exposed:
        return True
    match = re.fullmatch(r"(\[[^\]]*\]|[^:]*)(:\d+)?", host_header or "")
    if match is None:
        return False
    host = match.group(1).strip("[]").lower()
    return bool(host) and is_loopback(host)


def data_paths(
    submissions: PathLike = None, statistics: PathLike = None, organisations: PathLike = None
) -> dict[str, PathLike]:
    """The notebook's data parameters, falling back to the paths ``qio explore`` was given."""
    given = {"submissions": submissions, "statistics": statistics, "organisations": organisations}
    if any(v is not None for v in given.values()):
        return given
    return {key: os.environ.get(name) or None for key, name in DATA_ENV.items()}


def voila_argv(
    *,
    port: int,
    ip: str,
    token: str,
    open_browser: bool,
    cull_idle: int,
    cull_interval: int,
    pool_size: int,
    connect_wait: float = CONNECT_WAIT_SECONDS,
    close_grace: float = CLOSED_GRACE_SECONDS,
) -> list[str]:
    """Voila's command-line configuration for the explorer (template ``qio``: no CDN requests)."""
    argv = [
        str(NOTEBOOK),
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--Voila.ip={ip}",
        f"--Voila.root_dir={NOTEBOOKS_DIR}",
        f"--Voila.token={token}",
        "--template=qio",
        "--theme=light",
        "--show_tracebacks=False",
        "--VoilaConfiguration.file_denylist=.*",
        # The page draws charts with its own plotly.js (LevelExplorer draw="page"): skip
        # JupyterLab's plotly renderer, a second 4.8 MB copy of plotly.js on every new page.
        "--VoilaConfiguration.extension_denylist=jupyterlab-plotly",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=True",
        "--MappingKernelManager.cull_busy=False",
        f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}",
        f"--ExplorerKernelManager.connect_wait={connect_wait}",
        f"--ExplorerKernelManager.closed_grace={close_grace}",
    ]
    if pool_size > 0:
        argv += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    if not open_browser:
        argv.append("--no-browser")
    return argv


def _server_class(first_view: FirstView | None = None) -> type:
    """Voila with a host check in front of every handler (pages, API, websockets, static files),
    putting ``first_view``'s picture (:class:`~qio_analysis.explorer.first_view.FirstView`) on
    pages without a query."""
    import tornado.web
    from voila.app import Voila

    class _HostCheckedApplication(tornado.web.Application):
        def find_handler(self, request: Any, **kwargs: Any) -> Any:
            if not host_allowed(request.host, exposed=self.settings.get("qio_exposed", False)):
                return self.get_handler_delegate(
                    request, tornado.web.ErrorHandler, {"status_code": 403}
                )
            return super().find_handler(request, **kwargs)

    class ExplorerServer(Voila):
        """Voila's app, started with the host check above (Voila hard-codes remote access)."""

        def start(self) -> None:
            self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
            settings = self.init_settings()
            _note_hand_outs(self.kernel_manager)
            exposed = not is_loopback(self.ip)
            settings.update(
                allow_remote_access=exposed,  # Jupyter's own check, for its handlers
                local_hostnames=list(LOCAL_HOSTNAMES),
                qio_exposed=exposed,
            )
            self.app = _HostCheckedApplication(**settings)
            self.app.settings.update(self.tornado_settings)
            self.app.add_handlers(
                ".*$",
                [
                    *_static_handlers(self.base_url, self.labextensions_path),
                    *_with_cookie(self.init_handlers(), first_view),
                ],
            )
            self.listen()

    return ExplorerServer


def _with_cookie(handlers: list[Any], first_view: FirstView | None) -> list[Any]:
    """Voila's handlers with its page handler replaced by one that sets the ``_xsrf`` cookie
    and puts ``first_view``'s picture where the template marks its place."""
    import tornado.web
    from voila.tornado.handler import TornadoVoilaHandler

    class _PageHandler(TornadoVoilaHandler):
        """Voila's page, with the ``_xsrf`` cookie its shutdown-on-close request must carry,
        and the picture of the default view where the template marks its place."""

        async def prepare(self) -> None:
            await super().prepare()
            self.xsrf_token  # noqa: B018  (reading it sets the cookie)

        @tornado.web.authenticated
        async def get(self, path: str | None = None) -> None:
            from qio_analysis.explorer.first_view import MARKER

            async for html in self.get_generator(path=path):
                if PLOTLY_PRELOAD_MARKER in html:
                    html = html.replace(PLOTLY_PRELOAD_MARKER, plotly_preload(self.base_url), 1)
                if MARKER in html:  # the picture as it is now: made while the kernel started
                    picture = first_view.html(self.request.query) if first_view else ""
                    html = html.replace(MARKER, picture, 1)
                self.write(html)
                self.flush()
            if first_view is not None:  # a page is out: the picture's check may run now
                first_view.answered.set()

    return [
        (h[0], _PageHandler, *h[2:]) if len(h) > 1 and h[1] is TornadoVoilaHandler else h
        for h in handlers
    ]


def plotly_preload(base_url: str) -> str:
    """The page's preload link for the installed plotly.js under its versioned address.

    The browser fetches it (from its cache after the first visit) while the page's widgets
    load, without running it: the page's script runs it once the explorer is on the page
    (it asks for :data:`PLOTLY_JS_PATH`, which redirects to this same address).

    >>> plotly_preload("/base/").startswith('<link rel="preload" as="script" href="/base/qio/plotly-')
    True
    """
    from jupyter_server.utils import url_path_join

    from qio_analysis.text import escape_html

    folder = PLOTLY_JS_PATH.rsplit("/", 1)[0]
    href = url_path_join(base_url, folder, f"plotly-{_plotly_version()}.min.js")
    return f'<link rel="preload" as="script" href="{escape_html(href)}">'


def _static_handlers(base_url: str, labextensions_path: Any) -> list[Any]:
    """plotly.js under its version's name and the widget bundle's hashed files, each kept by
    the browser for a year; the unversioned plotly.js address redirects to the versioned one."""
    import tornado.web
    from jupyter_server.utils import url_path_join

    class _PlotlyRedirect(tornado.web.RedirectHandler):
        """``plotly.min.js`` -> the installed version's own address (asked again each visit)."""

        def get(self, *args: Any, **kwargs: Any) -> None:
            self.set_header("Cache-Control", "no-cache")
            super().get(*args, **kwargs)

    class _PlotlyFile(tornado.web.StaticFileHandler):
        """The installed plotly.js under a versioned name, kept by the browser for a year:
        later tabs take it from the browser's cache, and Chromium then keeps its compiled
        code too (its compile fell from 6.4 s to 0.5 s in bench_explorer.py)."""

        YEAR = 365 * 24 * 3600

        def parse_url_path(self, url_path: str) -> str:
            if url_path != f"plotly-{_plotly_version()}.min.js":
                raise tornado.web.HTTPError(404)
            return "plotly.min.js"

        def get_cache_time(self, path: str, modified: Any, mime_type: str) -> int:
            return self.YEAR

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", f"public, max-age={self.YEAR}, immutable")

    from jupyter_server.base.handlers import FileFindHandler

    class _HashedLabFile(FileFindHandler):
        """A widget-bundle file whose name carries its content's hash (``84.09c61a35dce1705f.js``),
        kept by the browser for a year: Voila asks the browser to check each one again on every
        visit, a round trip per file on the way to the widgets."""

        def set_headers(self) -> None:
            super().set_headers()
            self.set_header("Cache-Control", f"public, max-age={_PlotlyFile.YEAR}, immutable")

    folder = PLOTLY_JS_PATH.rsplit("/", 1)[0]
    versioned = f"plotly-{_plotly_version()}.min.js"
    return [
        (
            url_path_join(base_url, folder, r"plotly\.min\.js"),
            _PlotlyRedirect,
            {"url": url_path_join(base_url, folder, versioned), "permanent": False},
        ),
        (
            url_path_join(base_url, folder, r"(plotly-[0-9A-Za-z.+-]+\.min\.js)"),
            _PlotlyFile,
            {"path": str(_plotly_js_dir())},
        ),
        (
            url_path_join(base_url, HASHED_LAB_FILE),
            _HashedLabFile,
            {"path": labextensions_path, "no_cache_paths": []},
        ),
    ]


def _note_hand_outs(kernel_manager: Any) -> None:
    """Tell the kernel manager when Voila hands a preheated kernel to a page.

    Voila's pool class wraps the explorer's kernel manager and hands kernels out in
    its own ``get_rendered_notebook``; the page's wait to connect starts there.
    """
    take = getattr(kernel_manager, "get_rendered_notebook", None)
    if take is None or not hasattr(kernel_manager, "handed_out"):
        return

    async def get_rendered_notebook(*args: Any, **kwargs: Any) -> Any:
        rendered = await take(*args, **kwargs)
        kernel_manager.handed_out(rendered[2])
        return rendered

    kernel_manager.get_rendered_notebook = get_rendered_notebook


def _plotly_version() -> str:
    import plotly

    return plotly.__version__


def _plotly_js_dir() -> Path:
    """The folder of the installed plotly package's ``plotly.min.js`` (no CDN, works offline)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data"


def serve(
    port: int = 8866,
    ip: str = "127.0.0.1",
    open_browser: bool = False,
    *,
    submissions: str | None = None,
    statistics: str | None = None,
    organisations: str | None = None,
    cull_idle: int = CULL_IDLE_SECONDS,
    cull_interval: int | None = None,
    pool_size: int = POOL_SIZE,
    connect_wait: float = CONNECT_WAIT_SECONDS,
    close_grace: float = CLOSED_GRACE_SECONDS,
) -> int:
    """Print the URL and what is exposed, then run the Voila server in this process."""
    for key, value in (
        ("submissions", submissions),
        ("statistics", statistics),
        ("organisations", organisations),
    ):
        if value is not None:
            os.environ[DATA_ENV[key]] = str(Path(value).resolve())
        else:
            os.environ.pop(DATA_ENV[key], None)
    # Kernels inherit this: the explorer hands figures to the page's plotly.js.
    os.environ[DRAW_ENV] = "page"
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(VOILA_DATA), os.environ.get("JUPYTER_PATH", "")) if p
    )
    exposed = not is_loopback(ip)
    token = secrets.token_urlsafe(24) if exposed else ""
    data = (
        "the bundled SYNTHETIC demo data"
        if submissions is None and statistics is None and organisations is None
        else ", ".join(str(p) for p in (submissions, statistics, organisations) if p)
    )
    if exposed:
        print(
            f"QIOF explorer: http://{ip}:{port}/?token={token}\n"
            f"WARNING: --ip {ip} exposes the explorer beyond this machine. Anyone who can reach "
            f"{ip}:{port} AND has this token can see every organisation's QIOF levels and LKS "
            f"statistics in {data}. Share the URL only with people allowed to see that data; "
            "Ctrl+C to stop.",
            flush=True,
        )
    else:
        print(
            f"QIOF explorer: http://localhost:{port}/  (this machine only; data: {data}; "
            "Ctrl+C to stop)",
            flush=True,
        )
    argv = voila_argv(
        port=port,
        ip=ip,
        token=token,
        open_browser=open_browser,
        cull_idle=cull_idle,
        cull_interval=cull_interval
        or max(1, int(min(CULL_INTERVAL_SECONDS, cull_idle // 2, connect_wait // 3))),
        pool_size=pool_size,
        connect_wait=connect_wait,
        close_grace=close_grace,
    )
    # The picture of the default view is made while Voila itself starts.
    from qio_analysis.explorer.first_view import FirstView

    first_view = FirstView()
    first_view.start(list(data_paths().values()))
    _server_class(first_view).launch_instance(argv)
    return 0
