"""Citizens' text made safe to show in a terminal (``parole stats``, ``parole export`` to a
terminal), never in files: a CSV or JSON file keeps every value verbatim.

A terminal does not only show what it is sent, it obeys some of it: ESC and CSI (U+009B, which
the collector refuses since issue #13, but answers stored before may hold it) start escape
sequences that move the cursor, rewrite lines or change the window's title; a carriage return
goes back to the start of the line, so that what follows hides what came before; bidi controls
(U+202A to U+202E, U+2066 to U+2069) reorder what follows them, so that an answer can make the next
column read backwards ("Trojan Source"); line and paragraph separators break lines in some
terminals and editors and not in others. Each is shown as ``\\uXXXX`` instead: readable, and,
inside JSON, the very escape JSON uses for the same character.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 but tab, LF and CR (below); DEL; C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, isolates
    "\u2028\u2029"  # line and paragraph separators
    "]|\r(?!\n)"  # a CR that does not end a line (CSV rows end with CRLF)
)


def for_terminal(text: str) -> str:
    """``text`` with every character a terminal would obey rather than show (see the module)
    written as ``\\uXXXX``; tab, LF and CRLF are kept: they only lay text out."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
