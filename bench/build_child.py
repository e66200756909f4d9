"""``mkdocs build`` in this process, then its peak memory written to a file.

    python -m bench.build_child PEAK_FILE [mkdocs build options…]

Why not ``ru_maxrss`` from ``wait4``: Linux carries a process's peak across ``exec``, and
Python starts children with ``vfork``, so a child's ``ru_maxrss`` starts at the *parent's*
peak (the benchmark's own memory). ``VmHWM`` in ``/proc/self/status`` is the peak of this
process's current address space only, which ``exec`` created fresh: the build's own peak.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs.__main__ import cli

STATUS = Path("/proc/self/status")


def peak_kib() -> int:
    """This process's peak resident set size in KiB (``VmHWM``), 0 where there is no /proc."""
    if not STATUS.is_file():
        return 0
    for line in STATUS.read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main(argv: Sequence[str]) -> int:
    peak_file, *options = argv
    cli.main(args=["build", *options], prog_name="mkdocs", standalone_mode=False)
    Path(peak_file).write_text(str(peak_kib()), encoding="ascii")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
