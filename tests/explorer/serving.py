"""A real ``qio explore`` for tests: a free localhost port, its output in a file, a bounded stop.

The server's output goes to a file rather than a pipe: nothing reads a pipe
while a test runs, and a server whose pipe fills stops answering.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QIO = Path(sys.executable).parent / "qio"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch(*extra: str, port: int | None = None) -> tuple[subprocess.Popen, int]:
    """``qio explore --port PORT *extra``, its output in :func:`output` (not yet answering)."""
    port = port or free_port()
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the server keeps writing to it
        "w+", prefix="qio-explore-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        [str(QIO), "explore", "--port", str(port), *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.log_path = Path(log.name)  # type: ignore[attr-defined]
    log.close()
    return process, port


def output(process: subprocess.Popen) -> str:
    """Everything the server has printed so far."""
    return process.log_path.read_text(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]


def lines(process: subprocess.Popen, count: int, timeout: float = 60) -> list[str]:
    """The server's first ``count`` lines, once it has printed them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        printed = output(process).splitlines()
        if len(printed) >= count:
            return printed[:count]
        assert process.poll() is None, output(process)
        time.sleep(0.1)
    raise AssertionError(f"qio explore printed fewer than {count} lines in {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 60 s; the output file is removed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    process.log_path.unlink(missing_ok=True)  # type: ignore[attr-defined]
