"""A real ``qio explore`` for tests: a free localhost port, its output in a file, a bounded stop.

The server's output goes to a file rather than a pipe: nothing reads a pipe
while a test runs, and a server whose pipe fills stops answering. :func:`stop`
prints the end of that output before removing the file, so pytest shows it
beside a failed test. :func:`start` also waits until the server answers.

Every server of one test process shares one temporary cache folder (the
first-view picture is drawn once per process, never into the user's cache).
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from qio_analysis.io.cache import CACHE_ENV
from tests.waiting import wait_for

QIO = Path(sys.executable).parent / "qio"
_CACHE: list[str] = []
#: The server's output file, by process id.
_LOGS: dict[int, Path] = {}
#: Characters of output shown when a server is stopped or fails to start.
TAIL = 4000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch(*extra: str, port: int | None = None) -> tuple[subprocess.Popen, int]:
    """``qio explore --port PORT *extra``, its output in a file (not yet answering)."""
    port = port or free_port()
    handle, name = tempfile.mkstemp(prefix="qio-explore-", suffix=".log")
    log = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            process = subprocess.Popen(
                [str(QIO), "explore", "--port", str(port), *extra],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, CACHE_ENV: _cache_dir()},
            )
    except BaseException:
        log.unlink(missing_ok=True)
        raise
    _LOGS[process.pid] = log
    return process, port


def _cache_dir() -> str:
    """This test process's cache folder, removed when the process ends."""
    if not _CACHE:
        _CACHE.append(tempfile.mkdtemp(prefix="qio-test-cache-"))
        atexit.register(shutil.rmtree, _CACHE[0], True)
    return _CACHE[0]


def get(
    port: int, path: str = "/", host: str | None = None, timeout: float = 30
) -> tuple[int, str]:
    """One GET to the server on ``port`` (``Host`` as given, else 127.0.0.1:port)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host or f"127.0.0.1:{port}"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def start(
    *extra: str, port: int | None = None, timeout: float = 90
) -> tuple[subprocess.Popen, int]:
    """``qio explore --port PORT *extra``, once it answers (a request that takes no kernel)."""
    process, port = launch(*extra, port=port)

    def up() -> bool:
        assert process.poll() is None, output(process, TAIL)
        try:
            return get(port, "/voila/static/voila.js", timeout=5)[0] == 200
        except OSError:
            return False

    try:
        wait_for(up, timeout, "qio explore to answer")
    except BaseException:
        stop(process)  # prints the server's output
        raise
    return process, port


@contextlib.contextmanager
def running(*extra: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """``(url, process)`` of a server started as :func:`start` starts it, stopped afterwards."""
    process, port = start(*extra)
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        stop(process)


def output(process: subprocess.Popen, tail: int | None = None) -> str:
    """What the server has printed so far (its last ``tail`` characters if given)."""
    text = _LOGS[process.pid].read_text(encoding="utf-8", errors="replace")
    return text[-tail:] if tail else text


def lines(process: subprocess.Popen, count: int, timeout: float = 60) -> list[str]:
    """The server's first ``count`` lines, once it has printed them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        printed = output(process).splitlines()
        if len(printed) >= count:
            return printed[:count]
        assert process.poll() is None, output(process, TAIL)
        time.sleep(0.1)
    raise AssertionError(
        f"qio explore printed fewer than {count} lines in {timeout:.0f} s:\n{output(process, TAIL)}"
    )


def line_starting(process: subprocess.Popen, prefix: str, timeout: float = 60) -> str:
    """The server's first line starting with ``prefix``, once it has printed it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in output(process).splitlines():
            if line.startswith(prefix):
                return line
        assert process.poll() is None, output(process, TAIL)
        time.sleep(0.1)
    raise AssertionError(
        f"qio explore printed no line starting {prefix!r} in {timeout:.0f} s:\n"
        f"{output(process, TAIL)}"
    )


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 60 s; the end of the output is printed and its file removed."""
    try:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    finally:
        log = _LOGS.pop(process.pid, None)
        if log is not None:
            if log.exists():
                print(f"--- qio explore output (last {TAIL} characters) ---")
                print(log.read_text(encoding="utf-8", errors="replace")[-TAIL:])
            log.unlink(missing_ok=True)
