"""How the collector's uvicorn serves (site_builder/collector/server.py), in this process: what it
says when out of file descriptors, and its connection limit. The deadlines and a real
collector running out of files are in tests/reliability/test_probe_http.py."""

from __future__ import annotations

import errno
import logging
import resource
from typing import Any

import pytest

from site_builder.collector import server
from site_builder.collector.server import RECOVERED_SECONDS, FileAlarm


class Loop:
    """Just what ``FileAlarm.handle`` uses of an event loop."""

    def __init__(self) -> None:
        self.passed_on: list[dict[str, Any]] = []

    def default_exception_handler(self, context: dict[str, Any]) -> None:
        self.passed_on.append(context)


def _out_of_files() -> dict[str, Any]:
    return {"message": "socket.accept() out of system resource",
            "exception": OSError(errno.EMFILE, "Too many open files")}


def test_out_of_files_is_said_once_until_it_has_recovered(
    caplog: pytest.LogCaptureFixture
) -> None:
    now = [100.0]
    alarm = FileAlarm(clock=lambda: now[0])
    loop = Loop()
    with caplog.at_level(logging.INFO, logger="parole.collector"):
        for _ in range(1000):
            alarm.handle(loop, _out_of_files())  # type: ignore[arg-type]
        alarm.accepted()  # too soon: it may run out again at once
        now[0] += RECOVERED_SECONDS / 2
        alarm.handle(loop, _out_of_files())  # type: ignore[arg-type]
        now[0] += RECOVERED_SECONDS
        alarm.accepted()
        alarm.accepted()
        alarm.handle(loop, _out_of_files())  # type: ignore[arg-type]
    messages = [record.getMessage() for record in caplog.records]
    assert [message.split(" (")[0] for message in messages] == [
        "The collector has run out of file descriptors",
        "The collector accepts connections again",
        "The collector has run out of file descriptors",
    ]
    assert "How to fix:" in messages[0] and "LimitNOFILE=" in messages[0]
    assert loop.passed_on == []


def test_other_loop_errors_go_to_asyncios_handler_as_before() -> None:
    loop = Loop()
    other = {"message": "Exception in callback", "exception": ValueError("x")}
    FileAlarm().handle(loop, other)  # type: ignore[arg-type]
    FileAlarm().handle(loop, {"message": "no exception"})  # type: ignore[arg-type]
    assert loop.passed_on == [other, {"message": "no exception"}]


def test_the_connection_limit_leaves_half_the_files_to_the_rest(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = {"low": (64, 64), "usual": (1024, 524288),
              "unlimited": (resource.RLIM_INFINITY, resource.RLIM_INFINITY)}
    found = {}
    for name, limit in limits.items():
        monkeypatch.setattr(resource, "getrlimit", lambda _kind, limit=limit: limit)
        found[name] = server.max_connections()
    assert found == {"low": 32, "usual": server.MAX_CONNECTIONS,
                     "unlimited": server.MAX_CONNECTIONS}


def test_the_event_loop_reports_a_failed_accept_once_per_wake_up() -> None:
    loop = server.EventLoop()
    reported: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        # What CPython 3.11's _accept_connection does for each of the backlog's 2048 tries.
        handles = []
        for _ in range(2048):
            loop.call_exception_handler(_out_of_files())
            handles.append(loop.call_later(1, loop._start_serving))  # type: ignore[attr-defined]
        assert len(reported) == 1
        assert len({id(handle) for handle in handles}) == 1, "one retry, not 2048"
        for handle in handles:
            handle.cancel()
    finally:
        loop.close()
