"""What the answer log refuses, said for people: each error names what failed and where, and
carries its catalogue key (``error.key``) so that code and tests can tell failures apart without
reading the words."""

from __future__ import annotations

from typing import Any

from site_builder.errors import ParoleError
from site_builder.messages import say


class LogError(ParoleError):
    """Something in the answer log does not check out, or cannot be read."""

    def __init__(self, key: str, /, **values: Any) -> None:
        self.key = key
        """The message's key in ``site_builder/locales/<language>.yml``, e.g.
        ``answer_log.proof.root_mismatch``: what failed, for code."""
        self.values = values
        """The message's placeholders: where it failed (index, size, line…)."""
        super().__init__(say(key, **values))


class ProofError(LogError):
    """An inclusion or consistency proof does not lead to the expected tree head."""


class TileError(LogError):
    """A tile or an entry bundle has the wrong path or size, or disagrees with the tree head."""


class NoteError(LogError):
    """A signed note is malformed, or its signature is missing, unknown or wrong."""


class KeyTextError(LogError):
    """A verifier or signing key text is malformed."""


class CheckpointError(LogError):
    """A checkpoint's text is not origin, size and root hash as tlog-checkpoint writes them."""


class EntryError(LogError):
    """An answer cannot be turned into a log entry (naive time, wrong salt length)."""
