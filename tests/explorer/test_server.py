"""``qio explore`` as a server: only its own origin, culled kernels, nothing left behind.

Each test starts a real ``qio explore`` on a free localhost port and bounds
every wait; the tests that only send requests share one. Kernel processes are
counted as the server's children. Timers are shortened on the command line and
each wait ends on the event (a kernel count, a log line, a reply), not the clock.
"""

from __future__ import annotations

import http.client
import re
import time

import psutil
import pytest

from qio_analysis.explorer.server import host_allowed, is_loopback, voila_argv
from tests.explorer.serving import get, launch, lines, output, start, stop
from tests.waiting import wait_for


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("localhost", True),
        ("localhost:8866", True),
        ("127.0.0.1:8866", True),
        ("127.5.6.7", True),
        ("[::1]:8866", True),
        ("LOCALHOST:1", True),
        ("evil.example", False),
        ("evil.example:8866", False),
        ("localhost.evil.example:8866", False),
        ("127.0.0.1.evil.example", False),
        ("10.0.0.5:8866", False),
        ("", False),
        ("[::1", False),
    ],
)
def test_only_loopback_hosts_are_served(host, allowed):
    assert host_allowed(host, exposed=False) is allowed


def test_an_exposed_server_accepts_any_host_because_it_needs_a_token():
    assert host_allowed("analyst-pc.trust.nhs.uk:8866", exposed=True)
    assert not is_loopback("0.0.0.0") and is_loopback("127.0.0.1") and is_loopback("localhost")


def test_voila_is_configured_without_file_serving_and_with_culling():
    argv = voila_argv(
        port=1,
        ip="127.0.0.1",
        token="",
        open_browser=False,
        cull_idle=60,
        cull_interval=5,
        pool_size=0,
    )
    assert "--VoilaConfiguration.file_denylist=.*" in argv
    assert "--MappingKernelManager.cull_idle_timeout=60" in argv
    assert "--MappingKernelManager.cull_connected=True" in argv
    assert not any("preheat" in a for a in argv)


def kernels(server: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in server.children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


#: Seconds a kernel handed to a page that never connects (these tests' plain requests
#: never do) waits before it is shut down; the culler then looks every second.
CONNECT_WAIT = 4
#: No preheated kernels; culls after 3 s of idleness, and ``CONNECT_WAIT`` s after the
#: hand-out a kernel whose page never connected.
QUICK_CULL = ("--pool-size", "0", "--cull-idle", "3", "--connect-wait", str(CONNECT_WAIT))


@pytest.fixture
def server():
    """A server of the test's own (for a test that counts its kernels or stops it)."""
    process, port = start(*QUICK_CULL)
    yield process, port
    stop(process)


@pytest.fixture(scope="module")
def reading():
    """One server for the tests that only send it requests; a page's kernel waits 15 s for
    the page to connect (the websocket test connects to it after the page has come), and
    one preheated kernel is ready for the next page while a test runs."""
    process, port = start("--pool-size", "1", "--cull-idle", "3", "--connect-wait", "15")
    yield process, port
    stop(process)


@pytest.mark.slow
def test_forged_host_headers_are_refused_everywhere(reading):
    _, port = reading
    status, page = get(port)
    assert status == 200 and "qio-explorer" in page
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
    assert kernel_id, "the page names the kernel it started"
    paths = [
        "/",
        "/?view=heatmap",
        "/voila/static/voila.js",
        f"/api/kernels/{kernel_id.group(1)}",
        f"/api/kernels/{kernel_id.group(1)}/channels",
        "/voila/api/shutdown/x",
    ]
    for host in ("evil.example", f"evil.example:{port}", f"localhost.evil.example:{port}"):
        for path in paths:
            assert get(port, path, host=host)[0] == 403, (host, path)
    assert get(port, "/", host=f"localhost:{port}")[0] == 200
    assert get(port, "/voila/static/voila.js", host=f"[::1]:{port}")[0] == 200


def headers(port: int, path: str) -> tuple[int, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


@pytest.mark.slow
def test_plotly_js_is_kept_by_the_browser_under_its_version(reading):
    import plotly

    _, port = reading
    status, found = headers(port, "/qio/plotly.min.js")
    versioned = f"/qio/plotly-{plotly.__version__}.min.js"
    assert (status, found["location"], found["cache-control"]) == (302, versioned, "no-cache")
    status, found = headers(port, versioned)
    assert status == 200 and int(found["content-length"]) > 3_000_000
    assert found["cache-control"] == "public, max-age=31536000, immutable"
    assert headers(port, "/qio/plotly-0.0.1.min.js")[0] == 404  # only the installed version


@pytest.mark.slow
def test_the_widget_bundle_is_kept_by_the_browser_under_its_hashed_names(reading):
    import sys
    from pathlib import Path

    _, port = reading
    folder = Path(sys.prefix, "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager")
    hashed = next(
        p for p in (folder / "static").glob("*.js") if re.search(r"\.[0-9a-f]{16}\.js$", p.name)
    )
    base = "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/"
    status, found = headers(port, base + hashed.name)
    assert status == 200 and int(found["content-length"]) == hashed.stat().st_size
    assert found["cache-control"] == "public, max-age=31536000, immutable"
    status, found = headers(port, base + "style.js")  # no hash in its name: checked each time
    assert status == 200 and found["cache-control"] == "no-cache"
    assert headers(port, base + "../../../../../etc/0123456789abcdef.js")[0] in (403, 404)


@pytest.mark.slow
def test_no_files_kernel_list_or_terminals(reading):
    _, port = reading
    for path in (
        "/voila/files/explore_levels.ipynb",
        "/voila/files/../pyproject.toml",
        "/api/kernels",
        "/api/terminals",
        "/terminals/1",
        "/api/contents",
        "/tree",
    ):
        status, _ = get(port, path)
        assert status in (302, 403, 404), (path, status)
        if status == 302:  # Voila sends unknown paths to /voila/files/..., which serves nothing
            assert get(port, "/voila/files" + path)[0] == 403, path


@pytest.mark.slow
def test_kernels_are_culled_when_idle_and_stopped_with_the_server(server):
    process, port = server
    proc = psutil.Process(process.pid)
    assert kernels(proc) == []  # the start-up probe takes no kernel
    for _ in range(2):
        assert get(port, timeout=120)[0] == 200
    assert output(process).count("Kernel started: ") == 2  # one kernel per page load
    wait_for(lambda: not kernels(proc), 60, "idle kernels to be culled")
    assert output(process).count("no page connected") == 2
    assert get(port, timeout=120)[0] == 200
    children = wait_for(lambda: proc.children(recursive=True), 30, "a kernel for the new visit")
    stop(process)
    _, alive = psutil.wait_procs(children, timeout=30)
    assert alive == [], [p.cmdline() for p in alive]


@pytest.mark.slow
def test_preheated_pool_is_kept_and_everything_stops_on_sigterm():
    process, port = start("--pool-size", "1", "--cull-idle", "3", "--connect-wait", "15")
    try:
        proc = psutil.Process(process.pid)
        wait_for(lambda: len(kernels(proc)) == 1, 60, "the preheated kernel")
        for _ in range(2):
            assert get(port, timeout=120)[0] == 200
        wait_for(lambda: len(kernels(proc)) >= 2, 60, "the pool to refill")
        # used kernels go after the 3 s cull time; the pooled one stays
        wait_for(lambda: len(kernels(proc)) == 1, 60, "culling down to the pool")
        children = proc.children(recursive=True)
    finally:
        stop(process)
    _, alive = psutil.wait_procs(children, timeout=30)
    assert alive == []


@pytest.mark.slow
def test_exposed_server_needs_the_printed_token():
    process, port = launch("--ip", "0.0.0.0", "--pool-size", "0")
    try:
        first, warning = lines(process, 2)
        token = re.search(r"\?token=([\w-]+)", first).group(1)
        assert len(token) >= 24
        assert "WARNING" in warning and "token" in warning and "every organisation" in warning

        def answers() -> int:
            try:
                return get(port, "/", host=f"analyst-pc:{port}", timeout=5)[0]
            except OSError:
                return 0

        status = wait_for(answers, 90, "the exposed server")
        assert status in (302, 403)  # no token: sent to the login page, never the data
        status, page = get(port, f"/?token={token}", host=f"analyst-pc:{port}", timeout=120)
        assert status == 200 and "login" not in page.lower()[:2000]
    finally:
        stop(process)


@pytest.mark.slow
def test_the_kernel_refuses_code_sent_over_its_websocket(reading, tmp_path):
    websocket = pytest.importorskip("websocket")
    import json
    import uuid

    _, port = reading
    _, page = get(port)
    kernel_id = re.search(r'"kernelId": "([0-9a-f-]{36})"', page).group(1)
    marker = tmp_path / "ran.txt"
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels",
        timeout=30,
        origin=f"http://127.0.0.1:{port}",
    )
    replies = []
    last = uuid.uuid4().hex
    try:
        for msg_id, msg_type, content in (
            (uuid.uuid4().hex, "kernel_info_request", {}),  # allowed: proves the channel works
            (
                uuid.uuid4().hex,
                "execute_request",
                {"code": f"open({str(marker)!r}, 'w').write('x')", "silent": False},
            ),
            (uuid.uuid4().hex, "complete_request", {"code": "import o", "cursor_pos": 8}),
            # shell messages are passed on and answered in order: when this one is answered,
            # the two before it have been run or refused
            (last, "kernel_info_request", {}),
        ):
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "username": "test",
                            "session": uuid.uuid4().hex,
                            "msg_type": msg_type,
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "content": content,
                        "channel": "shell",
                    }
                )
            )

        def answered_last() -> bool:
            replies.append(json.loads(ws.recv()))
            return replies[-1].get("parent_header", {}).get("msg_id") == last

        ws.settimeout(30)
        wait_for(answered_last, 60, "the reply to the last kernel_info_request", interval=0)
        ws.settimeout(0.5)  # and anything the kernel sent on other channels meanwhile
        try:
            while True:
                replies.append(json.loads(ws.recv()))
        except websocket.WebSocketTimeoutException:
            pass
    finally:
        ws.close()
    assert not marker.exists()
    answered = {r.get("msg_type") or r.get("header", {}).get("msg_type") for r in replies}
    assert "kernel_info_reply" in answered, answered
    assert not answered & {"execute_reply", "execute_result", "complete_reply", "stream"}, answered


def test_the_notebook_reads_the_paths_qio_explore_was_given(monkeypatch):
    from qio_analysis.explorer.server import DATA_ENV, data_paths

    for name in DATA_ENV.values():
        monkeypatch.delenv(name, raising=False)
    assert data_paths() == {"submissions": None, "statistics": None, "organisations": None}
    monkeypatch.setenv(DATA_ENV["submissions"], "/data/qiof.xlsx")
    assert data_paths()["submissions"] == "/data/qiof.xlsx"
    # paths given in the notebook win over the server's
    assert data_paths("mine.xlsx") == {
        "submissions": "mine.xlsx",
        "statistics": None,
        "organisations": None,
    }


@pytest.mark.slow
def test_kernels_do_not_outlive_a_killed_server():
    process, _ = start("--pool-size", "1")
    try:
        proc = psutil.Process(process.pid)
        children = wait_for(lambda: kernels(proc), 90, "the preheated kernel")
        process.kill()  # SIGKILL: no clean-up code runs in the server
        process.wait(timeout=30)
        _, alive = psutil.wait_procs(children, timeout=30)  # ipykernel watches its parent
    finally:
        stop(process)
    assert alive == [], [p.cmdline() for p in alive]


@pytest.mark.browser
@pytest.mark.slow
def test_closed_visits_leave_only_the_pool():
    """Each tab's kernel goes when the tab closes: at once when the page says so, or
    ``--close-grace`` (2 s here, 20 s by default) after its websocket drops (a crashed
    browser says nothing); within 30 s either way.
    (bench_explorer.py makes twenty visits in a row and reports the same count.)
    The pool holds a kernel for each visit, so no visit waits for one to start."""
    from tests.browser import chromium_session

    pool = 3
    process, port = start("--pool-size", str(pool), "--close-grace", "2")
    url = f"http://127.0.0.1:{port}/"
    visited = []
    try:
        proc = psutil.Process(process.pid)
        with chromium_session() as browser:
            for visit in range(3):
                crash = visit % 3 == 2  # every third tab disappears without a word
                context = browser.new_context()
                page = context.new_page()
                page.goto(url + "?view=heatmap", wait_until="commit", timeout=120_000)
                page.wait_for_selector(".qio-explorer", timeout=120_000)
                visited.append(re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content())[1])
                if crash:
                    context.close()
                else:
                    page.close(run_before_unload=True)
                    context.close()
        closed = time.monotonic()
        wait_for(
            lambda: all(f"Kernel shutdown: {k}" in output(process) for k in visited),
            30,
            "the closed tabs' kernels to go",
        )
        assert time.monotonic() - closed <= 30
        wait_for(lambda: len(kernels(proc)) <= pool, 30, "only the pool to be left")
        children = proc.children(recursive=True)
    finally:
        stop(process)
    _, alive = psutil.wait_procs(children, timeout=30)
    assert alive == []
