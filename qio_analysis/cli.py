"""The ``qio`` command: orchestration only, no analysis."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from qio_analysis import config


def _demo_data(args: argparse.Namespace) -> int:
    from qio_analysis.demo import write_demo

    paths = write_demo(args.out, n_organisations=args.organisations, seed=args.seed)
    for path in paths:
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and --help)."""
    parser = argparse.ArgumentParser(prog="qio", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo-data", help="regenerate the synthetic demo exports")
    demo.add_argument(
        "--out", default=str(config.DEMO_DIR), help="output folder (default: data/demo)"
    )
    demo.add_argument(
        "--organisations", type=int, default=220, help="number of fictional organisations"
    )
    demo.add_argument("--seed", type=int, default=20210401, help="random seed")
    demo.set_defaults(func=_demo_data)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``qio`` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
