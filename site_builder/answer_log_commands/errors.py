"""What the ``parole log`` commands refuse, and with which exit status."""

from __future__ import annotations

from typing import Any

from site_builder.answer_log.errors import LogError

REFUSED = 1
"""The log does not check out (a forged checkpoint, a rewritten log), or the command cannot do
what was asked."""
CANNOT_CHECK = 2
"""``verify``: the journal could not be read (missing file, network), or the command line is
wrong; as the standalone verifier and argparse say it."""


class LogCommandError(LogError):
    """A ``parole log`` command stops: its message (``site_builder/locales``, under ``log.``)
    says what, where and how to fix it; ``status`` is the exit status."""

    def __init__(self, key: str, /, *, status: int = REFUSED, **values: Any) -> None:
        super().__init__(key, **values)
        self.status = status
