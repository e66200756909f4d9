"""Work done in a forked child process while the build goes on.

Why: Python runs one thread's code at a time, so pure-Python work (parsing pages, regular
expressions) runs beside the build only in another process. A fork is quick and imports nothing:
the child starts with the build's memory as it is, so the work needs no setup and its input is
never copied through a pipe; only the result comes back (pickled).

Forking is done only where it is safe and useful (:func:`can_fork`): ``fork`` exists, this is the
process's only thread (a lock another thread holds would stay locked forever in the child; a
rebuild of ``mkdocs serve`` or ``parole serve`` runs beside the server's threads), and a core is
spare. Otherwise, and whenever the child fails (killed, out of memory, an error in the work),
the work is done in this process when its result is asked for: the same result either way, and
a real error is raised here, where the build reports it. The work must not log: MkDocs counts
warnings (``--strict``) in this process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def spare_cores() -> int:
    """Cores beside the one this process works on (those it may run on, where known)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return cores - 1


def can_fork() -> bool:
    """Whether a child forked now would be safe and have a core to run on."""
    return hasattr(os, "fork") and threading.active_count() == 1 and spare_cores() > 0


class Forked(Generic[T]):
    """``work()``, started in a forked child when :func:`can_fork`, else done in :meth:`result`."""

    def __init__(self, work: Callable[[], T], *, fork: bool = True) -> None:
        self._work = work
        self._pid: int | None = None
        self._pipe: int | None = None
        if fork and can_fork():
            self._start()

    @property
    def forked(self) -> bool:
        """Whether a child process is doing the work."""
        return self._pid is not None

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send it, and leave without running any cleanup
            code = 1
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(self._work(), pipe, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self._pid, self._pipe = pid, read_end

    def result(self) -> T:
        """The work's result: the child's (waiting for it), or worked out here."""
        if self._pid is None or self._pipe is None:
            return self._work()
        with os.fdopen(self._pipe, "rb") as pipe:
            self._pipe = None
            data = pipe.read()  # until the child closes its end: done, or dead
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if os.waitstatus_to_exitcode(status) != 0:
            return self._work()
        result: T = pickle.loads(data)
        return result

    def close(self) -> None:
        """Stop the child if it still runs (a failed build does not ask for the result)."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):  # gone already: still to be reaped
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
