"""Run every benchmark (or those named) and rewrite its page in ``bench/results/``.

    .venv/bin/python -m bench                    # all, 5 loads per measure
    .venv/bin/python -m bench css-delivery --runs 9

A benchmark is a module with ``NAME`` and ``run(runs: int) -> str`` (its results page, in
markdown); add it to :data:`BENCHMARKS`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import css_delivery

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS: dict[str, Callable[[int], str]] = {
    css_delivery.NAME: css_delivery.run,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}")
    parser.add_argument("--runs", type=int, default=5, help="loads per measure (median)")
    arguments = parser.parse_args(argv)
    unknown = sorted(set(arguments.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; "
                     f"there are: {', '.join(BENCHMARKS)}")
    if arguments.runs < 1:
        parser.error("--runs must be 1 or more")
    RESULTS.mkdir(exist_ok=True)
    for name in arguments.names or BENCHMARKS:
        print(f"{name}: running…", file=sys.stderr, flush=True)
        page = BENCHMARKS[name](arguments.runs)
        path = RESULTS / f"{name}.md"
        path.write_text(page, encoding="utf-8")
        print(f"{name}: wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
