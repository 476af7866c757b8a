"""What enforcing the declared schemas at the public metric boundaries costs a report.

Runs the metric and figure work of the organisation report (``trust_profile``)
for a run of organisations in one process, as a warm batch kernel does: each
report gets its own copy of the inputs from ``load_inputs``, then asks for its
profile, history, sentences, regional context, its service's staffing and
activity beside England, and the radar. Each round is timed twice, with the
schema checks and with them switched off, from a cold state both times (memos
and remembered checks cleared), alternating which goes first. Prints seconds
per report, the checked/unchecked ratio, and the time spent inside the
checks themselves (measured directly, so it holds on a busy machine where the
two whole runs differ by more than the checks cost).

    .venv/bin/python benchmarks/bench_schema_checks.py            # 40 organisations, 3 rounds
    .venv/bin/python benchmarks/bench_schema_checks.py --orgs 10 --rounds 1
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Callable, Iterator

import qio_analysis as qa
from qio_analysis import checks as schema_checks
from qio_analysis import memo
from qio_analysis.figures.context import fig_context
from qio_analysis.metrics.disclosure import national_activity, suppressed_context
from qio_analysis.report.tables import activity_table, context_table, profile_table


@contextlib.contextmanager
def checking(on: bool) -> Iterator[None]:
    """Run with the schema checks on, or off (as if every call were inside a checked one)."""
    token = schema_checks._INSIDE_CHECK.set(not on)
    try:
        yield
    finally:
        schema_checks._INSIDE_CHECK.reset(token)


def report(code: str, cycle: int) -> None:
    """The organisation report's metric and figure work for ``code``."""
    inputs = qa.load_inputs()
    subs, stats, orgs = inputs.submissions, inputs.statistics, inputs.organisations
    profile = qa.level_profile(subs, code, cycle)
    history = qa.level_history(subs, code, cycle)
    qa.profile_sentences(profile)
    profile_table(profile, history)
    qa.fig_radar(profile, history=history)
    region = profile["region"].iloc[0]
    context = suppressed_context(subs, region, cycle)
    fig_context(context)
    context_table(qa.level_summary(context), [region, qa.NATIONAL])
    service = qa.service_statistics(stats, code, orgs)
    if not service.empty:
        ratio = qa.staff_ratio(service, by="service_code")
        rates = qa.activity_rates(service, by="service_code")
        activity_table(rates, national_activity(stats), ratio["year"].iloc[-1])


INSIDE: list[float] = []


def _timed_check(check: Callable[..., None]) -> Callable[..., None]:
    def timed(*args: object) -> None:
        started = time.perf_counter()
        try:
            check(*args)
        finally:
            INSIDE.append(time.perf_counter() - started)

    return timed


def one_run(codes: list[str], cycle: int, on: bool) -> float:
    memo.clear_memo()
    schema_checks._CHECKED.clear()
    with checking(on):
        started = time.perf_counter()
        for code in codes:
            report(code, cycle)
        return (time.perf_counter() - started) / len(codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=40, help="organisation reports per run")
    parser.add_argument("--rounds", type=int, default=3, help="checked and unchecked runs each")
    args = parser.parse_args()
    cycle = 2025
    subs = qa.load_inputs().submissions
    codes = sorted(subs.loc[subs["cycle"] == cycle, "org_code"].unique())[: args.orgs]
    report(codes[0], cycle)  # imports and first-use costs out of the way
    schema_checks.check_table = _timed_check(schema_checks.check_table)
    times: dict[bool, list[float]] = {True: [], False: []}
    for i in range(args.rounds):
        for on in (True, False) if i % 2 == 0 else (False, True):
            times[on].append(one_run(codes, cycle, on))
    checked, unchecked = statistics.median(times[True]), statistics.median(times[False])
    print(f"{len(codes)} organisation reports, {args.rounds} rounds (median seconds per report)")
    print(f"  schema checks off: {unchecked * 1000:7.1f} ms")
    print(f"  schema checks on:  {checked * 1000:7.1f} ms")
    print(f"  ratio on/off:      {checked / unchecked:7.3f}")
    inside = sum(INSIDE) / (len(times[True]) * len(codes))
    print(
        f"  inside the checks: {inside * 1000:7.3f} ms per report "
        f"({len(INSIDE) / (len(times[True]) * len(codes)):.0f} checks), "
        f"{inside / checked:.2%} of a checked report"
    )


if __name__ == "__main__":
    main()
