"""Explorer timings and memory as the user meets them (Debian chromium through Playwright, demo data).

The browser is open before anything starts, as the analyst's is. Then, from
the user's side:

- **launch**: from starting ``qio explore`` to the first chart on screen in the
  browser, which asks for the page as soon as the server answers (target <= 2 s):
  the picture of the default view (``qio_analysis.explorer.first_view``, from
  the user's cache folder when an earlier start drew it) or the live chart,
  whichever comes first; and to the live chart;
- **second visit**: a new tab opening a shared link,
  ``?view=radar&region=London&cycle=2025&org=ZA07``, to its radar drawn
  (target <= 1 s), straight after the first chart, as when a colleague's
  link is opened while the explorer is already up;
- **visit breakdown**: for the launch, the shared link and the same-run
  baseline, where the page's time went (its own clock, ms): the server's
  hand-out (request to first byte), the page streaming in, the widget bundle's
  fetch and its parse/compile up to the kernel's websocket opening, the widget
  state transfer (socket open to the explorer on the page), plotly.js's fetch
  by the page's script (and whether it came from the browser's cache, and
  whether the page's preload of it was done before the explorer was on the
  page) and parse/compile, and the first figure;
- **memory**: the resident memory (RSS, server plus kernels) with no visitor,
  with ``--visitors`` tabs open (per extra visitor), after ``--visits`` tabs
  opened one after another, and after they are closed; and how many kernels
  are left once they close (goal: the pool size), with the seconds that took.

Beside them, the same run's **baseline** is the old measure: a request to a
server that is already up with its kernel pool filled, with no query
(``baseline_request_to_first_chart_s``), and the same for later visits.
Ratios user-side / baseline say how much of the wait is start-up and link
handling. Also: control changes in the page (median, target <= 200 ms) and the
all-regions heatmap (target <= 500 ms). The machine's load average is printed:
on a shared machine read the ratios, not the seconds. Writes
benchmarks/results/explorer.json.

    .venv/bin/python benchmarks/bench_explorer.py           # full run (quiet machine)
    .venv/bin/python benchmarks/bench_explorer.py --smoke   # fewer visits and changes
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

from qio_analysis.export.browser import CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "explorer.json"
QIO = Path(sys.executable).parent / "qio"
FLAGS = list(CHROMIUM_FLAGS)  # the package's one list, as every run launches it
CHART = ".qio-explorer svg.main-svg"
#: The first chart on screen: the default view's picture, or the live chart.
FIRST_VIEW = ".qio-first-view img, .qio-explorer svg.main-svg"
LINK = "?view=radar&region=London&cycle=2025&org=ZA07"
LINK_DRAWN = (
    "() => [...document.querySelectorAll('.qio-explorer svg.main-svg')]"
    ".some(s => s.textContent.includes('Claybridge'))"
)
CHANGE = """([label, index]) => {
  const box = [...document.querySelectorAll('.qio-explorer .widget-dropdown')]
      .find(d => d.querySelector('label') && d.querySelector('label').textContent.trim() === label);
  const select = box.querySelector('select');
  const chart = () => [...document.querySelectorAll('.qio-explorer svg.main-svg')]
      .map(s => s.textContent).join(' ');
  const before = chart();
  return new Promise(resolve => {
    const start = performance.now();
    select.selectedIndex = index;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    const poll = () => {
      const now = chart();
      if (now && now !== before) { resolve(performance.now() - start); }
      else if (performance.now() - start > 30000) { resolve(-1); }
      else { requestAnimationFrame(poll); }
    };
    poll();
  });
}"""
VIEW = """(label) => {
  const chart = () => [...document.querySelectorAll('.qio-explorer svg.main-svg')]
      .map(s => s.textContent).join(' ');
  const before = chart();
  const button = [...document.querySelectorAll('.qio-explorer .widget-toggle-button')]
      .find(b => b.textContent.includes(label));
  return new Promise(resolve => {
    const start = performance.now();
    button.click();
    const poll = () => {
      const now = chart();
      if (now && now !== before && document.querySelector('.qio-explorer .heatmaplayer, .qio-explorer .hm')) {
        resolve(performance.now() - start);
      } else if (performance.now() - start > 30000) { resolve(-1); }
      else { requestAnimationFrame(poll); }
    };
    poll();
  });
}"""


#: Marks, in the page's own clock, of each step of a visit (see :func:`visit_breakdown`).
MARKS = """(() => {
  const marks = window.qioMarks = {};
  const Native = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (/\\/api\\/kernels\\/[^/]+\\/channels/.test(url)) {
      socket.addEventListener('open', () => { marks.kernel_socket_open = marks.kernel_socket_open || performance.now(); });
    }
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(k => { window.WebSocket[k] = Native[k]; });
  new MutationObserver(() => {
    const now = performance.now();
    if (!marks.explorer && document.querySelector('.qio-explorer')) { marks.explorer = now; }
    if (!marks.plotly && window.Plotly) { marks.plotly = now; }
    if (!marks.chart && document.querySelector('.qio-explorer svg.main-svg')) { marks.chart = now; }
  }).observe(document, {subtree: true, childList: true, attributes: true});
})();"""
BREAKDOWN = """() => {
  const m = window.qioMarks || {};
  const nav = performance.getEntriesByType('navigation')[0];
  const entry = (part) => performance.getEntriesByType('resource').find(r => r.name.includes(part));
  const voila = entry('/voila/static/voila.js');
  /* The page's own request for plotly.js (after a preload of the versioned file, if any). */
  const plotly = entry('/qio/plotly.min.js') || entry('/qio/plotly');
  const preload = entry('/qio/plotly-');
  return {
    server_hand_out_ms: nav.responseStart - nav.requestStart,
    page_streamed_ms: nav.responseEnd - nav.responseStart,
    widget_js_fetch_ms: voila ? voila.responseEnd - voila.startTime : null,
    widget_js_parse_compile_to_socket_ms: voila && m.kernel_socket_open ? m.kernel_socket_open - voila.responseEnd : null,
    widget_state_transfer_ms: m.explorer && m.kernel_socket_open ? m.explorer - m.kernel_socket_open : null,
    plotly_fetch_ms: plotly ? plotly.responseEnd - plotly.startTime : null,
    plotly_from_cache: plotly ? plotly.transferSize === 0 : null,
    plotly_preloaded_before_explorer: preload && m.explorer ? preload.responseEnd <= m.explorer : null,
    plotly_parse_compile_ms: m.plotly && plotly ? m.plotly - plotly.responseEnd : null,
    first_figure_ms: m.chart && m.plotly ? m.chart - Math.max(m.plotly, m.explorer) : null,
    total_ms: m.chart,
  };
}"""


def visit_breakdown(page) -> dict[str, float | bool | None]:
    """Where one visit's time went, from the page's side (ms; see :data:`MARKS`)."""
    return {
        k: (round(v, 1) if isinstance(v, float) else v) for k, v in page.evaluate(BREAKDOWN).items()
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answering(url: str) -> bool:
    try:
        urllib.request.urlopen(url + "voila/static/voila.js", timeout=2).close()
    except OSError:
        return False
    return True


def first_chart_s(page, url: str, drawn: str | None = None) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=120_000)
    if drawn:
        page.wait_for_function(drawn, timeout=120_000)
    else:
        page.wait_for_selector(CHART, timeout=120_000)
    return time.perf_counter() - start


def kernels(server: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in server.children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def rss_mb(server: psutil.Process) -> float:
    """Resident memory of the server and every process under it (MB)."""
    total = 0
    for proc in [server, *server.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def wait_for_pool(log: Path, count: int, limit: float = 180) -> None:
    start = time.perf_counter()
    while len(re.findall("Kernel pool of .* is filled", log.read_text(errors="replace"))) < count:
        if time.perf_counter() - start > limit:
            raise SystemExit("the kernel pool was never filled") from None
        time.sleep(0.1)


def settle(server: psutil.Process, pool: int, limit: float = 90) -> tuple[int, float]:
    """Kernels left once closed tabs' kernels have gone (or ``limit`` passed), and the seconds."""
    start = time.perf_counter()
    while len(kernels(server)) > pool and time.perf_counter() - start < limit:
        time.sleep(0.5)
    return len(kernels(server)), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=20, help="tabs opened one after another")
    parser.add_argument("--visitors", type=int, default=5, help="tabs open at once for memory")
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--pool-size", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="5 visits, 2 visitors, 6 changes")
    args = parser.parse_args()
    if args.smoke:
        args.visits, args.visitors, args.changes = 5, 2, 6
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = RESULTS.parent / "explorer-server.log"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    result: dict[str, object] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        shared = browser.new_context(viewport={"width": 1200, "height": 1000})
        shared.add_init_script(MARKS)
        first = shared.new_page()
        first.goto("about:blank")
        # ---- the user's side: start qio explore, first chart, then a shared link in a new tab
        launched = time.perf_counter()
        server = subprocess.Popen(
            [str(QIO), "explore", "--port", str(port), "--pool-size", str(args.pool_size)],
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        proc = psutil.Process(server.pid)
        try:
            while not answering(url):
                if time.perf_counter() - launched > 120:
                    raise SystemExit("qio explore did not answer within 120 s")
                time.sleep(0.02)
            answering_s = time.perf_counter() - launched
            first.goto(url, wait_until="commit", timeout=120_000)
            first.wait_for_selector(FIRST_VIEW, timeout=120_000)
            first_view_s = time.perf_counter() - launched
            first.wait_for_selector(CHART, timeout=120_000)
            launch_s = time.perf_counter() - launched
            picture = "kept from an earlier start" in log.read_text(errors="replace")
            launch_parts = visit_breakdown(first)
            second = first.context.new_page()
            link_s = first_chart_s(second, url + LINK, LINK_DRAWN)
            link_parts = visit_breakdown(second)
            second.close(run_before_unload=True)
            first.close(run_before_unload=True)
            # ---- the baseline, same run: a server already up, its pool filled, no query
            wait_for_pool(log, 1)
            settle(proc, args.pool_size)
            time.sleep(2)
            fresh = browser.new_context(viewport={"width": 1200, "height": 1000})
            fresh.add_init_script(MARKS)
            page = fresh.new_page()
            baseline_s = first_chart_s(page, url)
            start = time.perf_counter()
            urllib.request.urlopen(url + "voila/static/voila.js", timeout=10).read()
            static_ms = (time.perf_counter() - start) * 1000
            time.sleep(3)  # let the pool refill, as between two analysts' visits
            baseline_visit_s = first_chart_s(page, url)
            baseline_parts = visit_breakdown(page)
            time.sleep(3)
            warm_link_s = first_chart_s(page, url + LINK, LINK_DRAWN)
            warm_link_parts = visit_breakdown(page)
            # ---- control changes and the heatmap, in the same page
            steps = [("Region", 1), ("Outcome", 2), ("Cycle", 0), ("Region", 2), ("Outcome", 0)]
            page.goto(url, wait_until="commit", timeout=120_000)
            page.wait_for_selector(CHART, timeout=120_000)
            changes = []
            for i in range(args.changes):
                label, index = steps[i % len(steps)]
                index = index if i < len(steps) else (index + i // len(steps)) % 3
                ms = page.evaluate(CHANGE, [label, index])
                if ms >= 0:
                    changes.append(ms)
            page.evaluate(CHANGE, ["Region", 0])
            heatmap_ms = page.evaluate(VIEW, "Organisations")
            fresh.close()
            # ---- memory: no visitor, N at once, a run of visits, then all closed
            left_idle, _ = settle(proc, args.pool_size)
            time.sleep(3)
            idle_mb = rss_mb(proc)
            open_pages = []
            for _ in range(args.visitors):
                tab = browser.new_context().new_page()
                tab.goto(url, wait_until="commit", timeout=120_000)
                tab.wait_for_selector(CHART, timeout=120_000)
                open_pages.append(tab)
            time.sleep(3)
            with_visitors_mb = rss_mb(proc)
            for tab in open_pages:
                tab.close(run_before_unload=True)
                tab.context.close()
            settle(proc, args.pool_size)
            visit_times = []
            tabs = []
            for _ in range(args.visits):
                tab = browser.new_context().new_page()
                visit_times.append(first_chart_s(tab, url))
                tabs.append(tab)
            after_visits_mb = rss_mb(proc)
            kernels_open = len(kernels(proc))
            for tab in tabs:
                tab.close(run_before_unload=True)
                tab.context.close()
            left, free_s = settle(proc, args.pool_size)
            time.sleep(2)
            after_close_mb = rss_mb(proc)
            browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
    result = {
        "date": dt.date.today().isoformat(),
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "pool_size": args.pool_size,
        "user_side": {
            "launch_to_first_view_s": round(first_view_s, 2),
            "first_view_picture_from_cache": picture,
            "launch_to_first_chart_s": round(launch_s, 2),
            "of_which_server_answering_s": round(answering_s, 2),
            "second_tab_link_to_chart_s": round(link_s, 2),
            "link_with_pool_ready_s": round(warm_link_s, 2),
        },
        "visit_breakdown_ms": {
            "launch_first_tab": launch_parts,
            "shared_link_second_tab": link_parts,
            "baseline_visit_pool_full": baseline_parts,
            "shared_link_pool_full": warm_link_parts,
        },
        "baseline": {
            "request_to_first_chart_s": round(baseline_s, 2),
            "visit_to_first_chart_s": round(baseline_visit_s, 2),
            "static_fetch_ms": round(static_ms, 1),
        },
        "ratios": {
            "launch_over_baseline": round(launch_s / baseline_s, 1),
            "link_over_baseline_visit": round(link_s / baseline_visit_s, 1),
            "link_pool_full_over_baseline_visit": round(warm_link_s / baseline_visit_s, 2),
        },
        "visits_in_a_row": {
            "n": args.visits,
            "median_s": round(statistics.median(visit_times), 2),
            "max_s": round(max(visit_times), 2),
        },
        "memory_mb": {
            "idle_server_and_pool": round(idle_mb),
            f"with_{args.visitors}_visitors": round(with_visitors_mb),
            "per_extra_visitor": round((with_visitors_mb - idle_mb) / args.visitors),
            f"after_{args.visits}_visits_open": round(after_visits_mb),
            f"after_{args.visits}_visits_closed": round(after_close_mb),
        },
        "kernels": {
            "idle": left_idle,
            f"open_after_{args.visits}_visits": kernels_open,
            "left_after_closing": left,
            "seconds_to_free": round(free_s, 1),
        },
        "control_change_ms": {
            "n": len(changes),
            "median": round(statistics.median(changes), 1) if changes else None,
            "max": round(max(changes), 1) if changes else None,
        },
        "all_regions_heatmap_ms": round(heatmap_ms, 1),
        "targets": {
            "launch_first_view_at_most_2_s": first_view_s <= 2,
            "launch_live_chart_at_most_2_s": launch_s <= 2,
            "second_visit_at_most_1_s": link_s <= 1,
            "link_with_pool_full_at_most_1_s": warm_link_s <= 1,
            "kernels_left_at_most_pool": left <= args.pool_size,
            "freed_within_60_s": free_s <= 60,
            "change_median_at_most_200_ms": bool(changes) and statistics.median(changes) <= 200,
            "heatmap_at_most_500_ms": 0 <= heatmap_ms <= 500,
        },
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
