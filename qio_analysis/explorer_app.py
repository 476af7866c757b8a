"""``qio explore``: serve notebooks/explore_levels.ipynb as a Voila app on this machine."""

from __future__ import annotations

import os
import sys

from qio_analysis.config import NOTEBOOKS_DIR, PACKAGE_DIR

NOTEBOOK = NOTEBOOKS_DIR / "explore_levels.ipynb"
VOILA_DATA = PACKAGE_DIR / "voila_data"


def voila_command(port: int, ip: str = "127.0.0.1", open_browser: bool = False) -> list[str]:
    """The Voila command line for the explorer (template ``qio``: no CDN requests)."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(NOTEBOOK),
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--template=qio",
        "--theme=light",
        "--show_tracebacks=False",
        *([] if open_browser else ["--no-browser"]),
    ]


def voila_environment() -> dict[str, str]:
    """Environment with our Voila template on JUPYTER_PATH."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(VOILA_DATA), env.get("JUPYTER_PATH", "")) if p
    )
    return env


def serve(port: int = 8866, ip: str = "127.0.0.1", open_browser: bool = False) -> int:
    """Print the URL, then become the Voila server (so its PID is this process's PID)."""
    host = "localhost" if ip in {"127.0.0.1", "localhost"} else ip
    print(
        f"QIOF explorer: http://{host}:{port}/  (serving {NOTEBOOK.name} with Voila; Ctrl+C to stop)",
        flush=True,
    )
    command = voila_command(port, ip, open_browser)
    os.execve(command[0], command, voila_environment())
    return 0  # not reached
