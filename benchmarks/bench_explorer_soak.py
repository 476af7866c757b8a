"""Explorer soak: many tabs at once, and slow browsers, from the user's side.

Starts ``qio explore`` (demo data), then opens ``--tabs`` tabs at the same
moment, ``--rounds`` times (closing them between rounds), and reports for
each round how many drew their first chart, how many said their kernel is
gone (the page's "lost its connection" notice), how many said the explorer
did not load (the page's notice for the widget manager's "model not found"),
how many did none within ``--limit`` seconds, and the time to the last chart.
Each tab notes its own outcome and when (the page's clock), and is asked for
it once a second, so that watching the tabs costs the browser next to nothing. Then ``--slow`` tabs at
once with Chromium's CPU throttled ``--throttle`` times (DevTools
``Emulation.setCPUThrottlingRate``): each must draw or say its kernel is gone
within ``--limit`` seconds. Done means 60 of 60 drawn across three rounds of
20, and every slow tab drawn or told. The machine's load average is printed:
on a shared machine read it beside the times. Each round also gives the CPU seconds the
server with its kernels and the browser used, so the tabs 2 cores can hold in
the time limit can be worked out.

    .venv/bin/python benchmarks/bench_explorer_soak.py
    .venv/bin/python benchmarks/bench_explorer_soak.py --tabs 5 --rounds 1 --slow 2   # quick
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from qio_analysis.export.browser import CHROMIUM_FLAGS

QIO = Path(sys.executable).parent / "qio"
FLAGS = list(CHROMIUM_FLAGS)  # the package's one list, as every run launches it
#: How often each tab is asked whether it has its outcome yet.
POLL_MS = 1000
#: What a tab that neither drew nor was told shows: its kernel sockets and where the page got to.
WATCH = """(() => {
  const seen = window.qioSockets = [];
  const Native = window.WebSocket;
  function Watched(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    const entry = {url: String(url).replace(/^.*\\/api\\/kernels\\//, '').slice(0, 60), opened: null, closed: null};
    const t0 = performance.now();
    socket.addEventListener('open', () => { entry.opened = Math.round(performance.now() - t0); });
    socket.addEventListener('close', (e) => { entry.closed = e.code; });
    seen.push(entry);
    return socket;
  }
  Watched.prototype = Native.prototype;
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(k => { Watched[k] = Native[k]; });
  window.WebSocket = Watched;
  /* The tab's outcome, noted by the tab itself (its wall clock, ms), so that the benchmark
     asks each tab one cheap question a second instead of reading its page. */
  const note = () => {
    if (window.qioOutcome) { return; }
    const gone = document.querySelector('.qio-kernel-gone');
    const cells = document.querySelector('#rendered_cells');
    if (document.querySelector('.qio-explorer svg.main-svg')) {
      window.qioOutcome = {kind: 'drawn', at: Date.now()};
    } else if ((gone && (gone.textContent || '').includes('did not load'))
               || (cells && !document.querySelector('.qio-explorer')
                   && (cells.textContent || '').includes('model not found'))) {
      window.qioOutcome = {kind: 'widget_error', at: Date.now()};
    } else if (gone) {
      window.qioOutcome = {kind: 'told', at: Date.now()};
    }
    if (window.qioOutcome) { observer.disconnect(); }
  };
  const observer = new MutationObserver(() => {
    if (!window.qioNoting) { window.qioNoting = true; setTimeout(() => { window.qioNoting = false; note(); }, 50); }
  });
  document.addEventListener('DOMContentLoaded', () => {
    observer.observe(document.body, {subtree: true, childList: true});
    note();
  });
})();"""
OUTCOME = "() => window.qioOutcome || null"
STATE = """() => ({
  sockets: window.qioSockets || [],
  explorer: !!document.querySelector('.qio-explorer'),
  plotly: !!window.Plotly,
  figure_json: !!document.querySelector('.qio-figure-json script'),
  plot_box: !!document.querySelector('.qio-explorer .qio-plot'),
  picture: !!document.querySelector('.qio-first-view'),
  error_page: !document.querySelector('#rendered_cells'),
  loading: document.body ? document.body.innerText.slice(0, 160) : null,
  ready: document.readyState,
})"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(url: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "voila/static/voila.js", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"qio explore did not answer within {limit:.0f} s")


def cpu_seconds(server: psutil.Process) -> dict[str, dict[int, float]]:
    """CPU seconds used so far, by process: the server with its kernels, and everything else
    this process started (the browser)."""

    def used(procs: list[psutil.Process]) -> dict[int, float]:
        found = {}
        for proc in procs:
            try:
                times = proc.cpu_times()
                found[proc.pid] = times.user + times.system
            except psutil.NoSuchProcess:
                continue
        return found

    served = [server, *server.children(recursive=True)]
    pids = {p.pid for p in served}
    others = [p for p in psutil.Process().children(recursive=True) if p.pid not in pids]
    return {"server": used(served), "browser": used(others)}


def cpu_used(before: dict, after: dict, part: str) -> float:
    """CPU seconds a part used between two samples (processes that ended between are not seen)."""
    return round(sum(t - before[part].get(pid, 0.0) for pid, t in after[part].items()), 1)


def burst(
    browser, url: str, tabs: int, limit: float, server: psutil.Process, throttle: float = 1
) -> dict[str, object]:
    """Open ``tabs`` tabs at once; poll them all until each drew or was told, or ``limit``."""
    cpu_before = cpu_seconds(server)
    pages = []
    for _ in range(tabs):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.add_init_script(WATCH)
        page = context.new_page()
        if throttle > 1:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        pages.append(page)
    start, wall = time.monotonic(), time.time()
    for page in pages:  # requests go out together; goto returns at the first byte
        page.goto(url, wait_until="commit", timeout=int(limit * 1000))
    outcome: dict[int, tuple[str, float]] = {}
    while len(outcome) < len(pages) and time.monotonic() - start < limit:
        for i, page in enumerate(pages):
            if i in outcome:
                continue
            seen = page.evaluate(OUTCOME)  # noted by the page itself (see WATCH)
            if seen and seen["at"] / 1000 - wall <= limit:
                outcome[i] = (seen["kind"], seen["at"] / 1000 - wall)
        pages[0].wait_for_timeout(POLL_MS)
    cpu_after = cpu_seconds(server)
    stuck = []
    for i, page in enumerate(pages):
        if i not in outcome:
            try:
                stuck.append(page.evaluate(STATE))
            except PlaywrightError as exc:  # a diagnostic: the page may be gone
                stuck.append({"error": str(exc)[:200]})
    for page in pages:
        page.close(run_before_unload=True)
        page.context.close()
    drawn = [t for kind, t in outcome.values() if kind == "drawn"]
    return {
        "tabs": tabs,
        "cpu_throttle": throttle,
        "drawn": len(drawn),
        "told_kernel_gone": sum(1 for kind, _ in outcome.values() if kind == "told"),
        "widget_model_not_found": sum(1 for kind, _ in outcome.values() if kind == "widget_error"),
        "neither_within_limit": tabs - len(outcome),
        "last_chart_s": round(max(drawn), 1) if drawn else None,
        "first_chart_s": round(min(drawn), 1) if drawn else None,
        "cpu_s_server_and_kernels": cpu_used(cpu_before, cpu_after, "server"),
        "cpu_s_browser": cpu_used(cpu_before, cpu_after, "browser"),
        "load_average_after": round(os.getloadavg()[0], 2),
        "stuck_tabs": stuck,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tabs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slow", type=int, default=5, help="throttled tabs at once")
    parser.add_argument("--throttle", type=float, default=6, help="CPU slow-down of slow tabs")
    parser.add_argument("--limit", type=float, default=120, help="seconds a tab is given")
    parser.add_argument("--pool-size", type=int, default=2)
    parser.add_argument("--log", type=Path, help="keep the server's output in this file")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    load_before = os.getloadavg()
    server = subprocess.Popen(
        [str(QIO), "explore", "--port", str(port), "--pool-size", str(args.pool_size)],
        stdout=subprocess.DEVNULL,
        stderr=args.log.open("w") if args.log else subprocess.DEVNULL,
    )
    rounds = []
    serving = psutil.Process(server.pid)
    try:
        wait_until_answering(url)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=FLAGS
            )
            for _ in range(args.rounds):
                rounds.append(burst(browser, url, args.tabs, args.limit, serving))
            slow = burst(browser, url, args.slow, args.limit, serving, throttle=args.throttle)
            browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    drawn = sum(r["drawn"] for r in rounds)
    result = {
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "rounds": rounds,
        "slow_browser": slow,
        "targets": {
            f"all_{args.tabs * args.rounds}_drawn": drawn == args.tabs * args.rounds,
            "every_slow_tab_drawn_or_told": slow["neither_within_limit"] == 0,
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
