"""A real ``qio explore`` for tests: a free localhost port, its output in a file, a bounded stop.

The server's output goes to a file rather than a pipe: nothing reads a pipe
while a test runs, and a server whose pipe fills stops answering. :func:`stop`
prints the end of that output before removing the file, so pytest shows it
beside a failed test.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QIO = Path(sys.executable).parent / "qio"
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
            )
    except BaseException:
        log.unlink(missing_ok=True)
        raise
    _LOGS[process.pid] = log
    return process, port


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
