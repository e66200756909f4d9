"""How the collector's uvicorn serves, so that it holds up without nginx in front (issue #13).

uvicorn drops an idle connection only after a response (``timeout_keep_alive``): a connection
that never sends a request, sends its headers a byte at a time, or stops in the middle of its
body was kept for ever, and enough of them used up the process's file descriptors. Here a
request's line and headers must arrive within ``HEAD_SECONDS`` of the connection's start (or of
the previous response), and a body may pause at most ``BODY_SECONDS`` between two packets, as
nginx's ``client_header_timeout`` and ``client_body_timeout`` do in deploy/nginx.conf; past
``max_connections`` open connections, a new request gets 503 at once.

When the process runs out of file descriptors all the same, CPython 3.11's asyncio goes on
accepting through the whole backlog (2048 for uvicorn) after the first failure, logging a
traceback and scheduling a retry for each: tens of thousands of tracebacks a second, and as
many retries that each fail again when the server closes. Here one failure is reported and one
retry scheduled (``EventLoop``), and the collector says it once, with what to do (``FileAlarm``),
then nothing until it has accepted connections again for ``RECOVERED_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import errno
import logging
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from site_builder.messages import say

log = logging.getLogger("parole.collector")

KEEP_ALIVE_SECONDS = 5
"""uvicorn's ``timeout_keep_alive``: an idle connection is closed 5 s after its last response.
deploy/nginx.conf keeps its idle connections to the collector 4 s, under this, so that nginx
never reuses one the collector is closing."""
HEAD_SECONDS = 10.0
"""From a connection's start (or its previous response) to the end of its request's headers."""
BODY_SECONDS = 10.0
"""Longest pause between two packets of a request's body: a phone on 2G still sends one a
second or so."""
MAX_CONNECTIONS = 256
"""Most connections open at once (uvicorn's ``limit_concurrency``; half the file descriptor
limit when that is lower, leaving the rest to the database and the site's files)."""
MAX_HEAD_BYTES = 16 * 1024
"""The longest request line and headers read (h11's ``max_incomplete_event_size``); a browser
posting a form sends well under 2 KB."""
STARTUP_FAILURE = 3
"""uvicorn's exit status when it cannot start (e.g. the port is taken), kept as it was."""
RECOVERED_SECONDS = 10.0
"""How long connections must be accepted without running out of files again for the collector
to say it has recovered (and to speak again if it runs out once more)."""
ACCEPT_RETRY_SECONDS = 0.1
"""How soon accepting is tried again after it failed for lack of files (asyncio waits 1 s).
The files are often held by connections the loop has accepted but not yet read, which close as
soon as it does: with one retry a second, a collector whose backlog filled up took over 30 s to
serve again (2 000 queued connections, 64 files); a failed accept costs next to nothing."""
_OUT_OF_FILES = (errno.EMFILE, errno.ENFILE)
_ACCEPT_FAILED = "socket.accept() out of system resource"
"""asyncio's message when accept() fails for lack of file descriptors or memory."""


class Terminated(SystemExit):
    """SIGTERM arrived while ``parole serve`` ran: raised once uvicorn has shut down, so that
    ``finally`` blocks run as after Ctrl-C (uvicorn handles SIGTERM, then sends it again to the
    process, which the default handler ends at once). Exits with 143 (128 + SIGTERM), what a
    shell reports for a process that SIGTERM ended."""

    def __init__(self) -> None:
        super().__init__(143)


class FileAlarm:
    """Says once that the process is out of file descriptors, and once that it has recovered."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.raised = False
        self._clock = clock
        self._last = 0.0

    def handle(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """The event loop's exception handler: out of files is said once; anything else goes
        to asyncio's default handler, as before."""
        error = context.get("exception")
        if not (isinstance(error, OSError) and error.errno in _OUT_OF_FILES):
            loop.default_exception_handler(context)
            return
        self._last = self._clock()
        if self.raised:
            return
        self.raised = True
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        log.error("%s", say("collector.out_of_files", reason=error.strerror, limit=soft))

    def accepted(self) -> None:
        """A connection was accepted: if the alarm was raised long enough ago, it is over."""
        if self.raised and self._clock() - self._last >= RECOVERED_SECONDS:
            self.raised = False
            log.warning("%s", say("collector.files_again"))


ALARM = FileAlarm()


class EventLoop(asyncio.SelectorEventLoop):
    """asyncio's event loop, reporting a failed accept() once and retrying it once, however
    many times CPython 3.11 tries within one wake-up (see the module), and sooner
    (``ACCEPT_RETRY_SECONDS``)."""

    _failed_accepts = 0
    _retry: asyncio.TimerHandle | None = None

    def _accept_connection(self, *args: Any, **kwargs: Any) -> None:
        self._failed_accepts = 0
        super()._accept_connection(*args, **kwargs)  # type: ignore[misc]

    def call_exception_handler(self, context: dict[str, Any]) -> None:
        if context.get("message") == _ACCEPT_FAILED:
            self._failed_accepts += 1
            if self._failed_accepts > 1:
                return
        super().call_exception_handler(context)

    def call_later(  # type: ignore[override]  # same signature, without the TypeVarTuple
        self, delay: float, callback: Callable[..., object], *args: Any,
        context: contextvars.Context | None = None,
    ) -> asyncio.TimerHandle:
        retry = callback == self._start_serving  # type: ignore[attr-defined]
        if retry and self._failed_accepts > 1 and self._retry is not None:
            return self._retry  # already scheduled by the first failure
        if retry:
            delay = min(delay, ACCEPT_RETRY_SECONDS)
        handle = super().call_later(delay, callback, *args, context=context)
        if retry:
            self._retry = handle
        return handle


class Connection(H11Protocol):
    """uvicorn's HTTP/1.1 connection, with the header and body deadlines it lacks."""

    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        ALARM.accepted()
        self._arm(HEAD_SECONDS)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            self._arm(BODY_SECONDS)  # from one packet to the next
        elif state is not h11.IDLE:
            self._disarm()  # the request is in: the answer may take its time (an export)
        elif self._deadline is None:
            self._arm(HEAD_SECONDS)
        # Otherwise the headers are still coming: the deadline set at the start stands.

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm(HEAD_SECONDS)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def max_connections() -> int:
    """``MAX_CONNECTIONS``, or half the file descriptor limit when that is lower."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(1, min(MAX_CONNECTIONS, soft // 2))


def run_server(app: ASGIApp, *, host: str, port: int) -> None:
    """Serve ``app`` on host:port until SIGINT or SIGTERM (uvicorn's graceful shutdown). Exits
    with ``STARTUP_FAILURE`` when uvicorn cannot start, like ``uvicorn.run``."""
    config = uvicorn.Config(
        app, host=host, port=port, access_log=False, server_header=False, log_config=None,
        timeout_graceful_shutdown=10, timeout_keep_alive=KEEP_ALIVE_SECONDS,
        limit_concurrency=max_connections(), h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        http=Connection, loop="asyncio",
    )
    server = uvicorn.Server(config)

    async def serve() -> None:
        asyncio.get_running_loop().set_exception_handler(ALARM.handle)
        await server.serve()

    # uvicorn sends SIGINT again to the process once it has shut down: the KeyboardInterrupt
    # it raises here is the end of a normal stop (Ctrl-C), not an error.
    with contextlib.suppress(KeyboardInterrupt), asyncio.Runner(loop_factory=EventLoop) as runner:
        runner.run(serve())
    if not server.started:
        sys.exit(STARTUP_FAILURE)
