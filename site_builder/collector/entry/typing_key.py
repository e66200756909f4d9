"""A typing's key: what makes saving a paper sheet idempotent (issue #15).

Each entry screen (``batch_sheet``) and each third typing's form (``review_typing``) carries a
hidden ``_typing``, a random key drawn when the screen is drawn for a new typing (a screen shown
again with its mistakes, or after the database failed, keeps it: it is the same typing). The
storage keeps it with the typing, unique per mediator, and a typing whose key it already has
stores nothing and finds its sheet (``SheetEntry.typing_key``). So the same screen posted twice
(Save pressed twice, or again after a lost response) stores one sheet, whichever collector
behind a proxy receives each post: the database decides, not a lock in one process.

A post without the key (no screen of ours sends one, but a script may) is stored as it comes,
without that protection; a key that no screen draws is refused as a forged post.
"""

from __future__ import annotations

import re
import secrets

from site_builder.collector.body import Refusal
from site_builder.messages import say

TYPING_NAME = "_typing"
"""The entry form's hidden input holding the typing's key."""
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
"""What ``new_typing_key`` draws (22 characters), with room for longer keys."""


def new_typing_key() -> str:
    """A fresh key: 128 random bits, two screens never share one."""
    return secrets.token_urlsafe(16)


def posted_typing_key(answers: dict[str, list[str]], form_id: str) -> str | None:
    """The key a post holds, taken out of ``answers`` (the form's fields); None without one.
    Raises ``Refusal`` for a key no screen draws (several, or not a key)."""
    posted = answers.pop(TYPING_NAME, [])
    if not posted:
        return None
    if len(posted) > 1:
        raise Refusal(say("collector.refusal.repeated", name=TYPING_NAME))
    if not _KEY.fullmatch(posted[0]):
        raise Refusal(say("collector.refusal.field", field=TYPING_NAME, form=form_id))
    return posted[0]
