"""Run every benchmark (or those named) and rewrite its results page.

    .venv/bin/python -m bench                    # all, 5 loads per measure
    .venv/bin/python -m bench css-delivery --runs 9
    .venv/bin/python -m bench comparison --quick --runs 1   # rough, printed, nothing written
    .venv/bin/python -m bench comparison --from-raw         # the page again, measuring nothing

A benchmark is a module with ``NAME`` and ``run(runs: int, quick: bool) -> str`` (its results
page, in markdown); add it to :data:`BENCHMARKS`. Its page goes to ``bench/results/<NAME>.md``,
or to the path :data:`OUTPUTS` gives.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import (
    answer_log,
    audit,
    charts,
    comparison,
    css_delivery,
    export,
    readability,
    results_command,
)

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS: dict[str, Callable[[int, bool], str]] = {
    css_delivery.NAME: css_delivery.run,
    comparison.NAME: comparison.run,
    export.NAME: export.run,
    results_command.NAME: results_command.run,
    charts.NAME: charts.run,
    audit.NAME: audit.run,
    readability.NAME: readability.run,
    answer_log.NAME: answer_log.run,
}
OUTPUTS: dict[str, Path] = {comparison.NAME: comparison.OUTPUT}
"""Benchmarks whose page lives elsewhere than ``bench/results/``."""
FROM_RAW: dict[str, Callable[[], str]] = {comparison.NAME: comparison.page_from_raw}
"""Benchmarks that keep their raw numbers, and how each writes its page again from them."""


def output_path(name: str) -> Path:
    return OUTPUTS.get(name, RESULTS / f"{name}.md")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}")
    parser.add_argument("--runs", type=int, default=5, help="loads per measure (median)")
    parser.add_argument("--quick", action="store_true",
                        help="a rough run for development (smaller sites, one build each); "
                        "the page is printed, no results page is rewritten")
    parser.add_argument("--from-raw", action="store_true",
                        help="write the page again from the last run's raw numbers, measuring "
                        "nothing (after a change to how the page is written); for: "
                        f"{', '.join(FROM_RAW)}")
    arguments = parser.parse_args(argv)
    unknown = sorted(set(arguments.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; "
                     f"there are: {', '.join(BENCHMARKS)}")
    if arguments.runs < 1:
        parser.error("--runs must be 1 or more")
    if arguments.from_raw:
        return _pages_from_raw(parser, arguments.names or list(FROM_RAW), arguments.quick)
    for name in arguments.names or BENCHMARKS:
        print(f"{name}: running…", file=sys.stderr, flush=True)
        page = BENCHMARKS[name](arguments.runs, arguments.quick)
        if arguments.quick:
            print(page)
            continue
        _write(name, page)
    return 0


def _pages_from_raw(parser: argparse.ArgumentParser, names: list[str], quick: bool) -> int:
    if quick:
        parser.error("--from-raw measures nothing: it cannot be --quick")
    without = [name for name in names if name not in FROM_RAW]
    if without:
        parser.error(f"{', '.join(without)} keeps no raw numbers; --from-raw works for: "
                     f"{', '.join(FROM_RAW)}")
    for name in names:
        try:
            page = FROM_RAW[name]()
        except FileNotFoundError as error:
            parser.error(str(error))
        _write(name, page)
    return 0


def _write(name: str, page: str) -> None:
    path = output_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    print(f"{name}: wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
