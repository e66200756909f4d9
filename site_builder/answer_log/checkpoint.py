"""C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed tree head of the
answer log, a signed note whose text is the log's origin (its name), the tree size and the
base64 tree head, one a line, then optional extension lines:

    consultation.example.org/journal
    1234
    CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

    — consultation.example.org/journal Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRD…
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from site_builder.answer_log.errors import CheckpointError
from site_builder.answer_log.merkle import HASH_SIZE
from site_builder.answer_log.note import SignerKey, VerifierKey, open_note, sign_note

_SIZE = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the first ``size`` leaves of the log named ``origin`` hash to ``root``."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()
    """Lines after the tree head: opaque, not auditable, not recommended; parole writes none
    but reads them (another log's checkpoint may have some)."""

    @property
    def text(self) -> str:
        """The note text, as signed: each line ends in a newline."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(),
                 *self.extensions]
        return "".join(f"{line}\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """The checkpoint whose note text is ``text`` (a verified note's; see ``open_checkpoint``).
    ``CheckpointError`` names the line that is not as tlog-checkpoint writes it."""
    lines = text.split("\n")
    if lines[-1] != "" or len(lines) < 4:  # a final newline, then nothing
        raise CheckpointError("answer_log.checkpoint.lines", count=len(lines) - 1)
    origin, size, encoded_root, *extensions = lines[:-1]
    if not origin:
        raise CheckpointError("answer_log.checkpoint.origin")
    if not _SIZE.fullmatch(size):
        raise CheckpointError("answer_log.checkpoint.size", value=size)
    try:
        root = base64.b64decode(encoded_root, validate=True)
    except binascii.Error:
        root = b""
    if len(root) != HASH_SIZE:
        raise CheckpointError("answer_log.checkpoint.root", value=encoded_root)
    for number, extension in enumerate(extensions, 4):
        if not extension:
            raise CheckpointError("answer_log.checkpoint.extension", line=number)
    return Checkpoint(origin, int(size), root, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: SignerKey) -> str:
    """The signed note of ``checkpoint``: the file published as ``<journal>/checkpoint``."""
    parse_checkpoint(checkpoint.text)  # refuse an empty origin or extension before signing
    return sign_note(checkpoint.text, signer)


def open_checkpoint(message: bytes, trusted: VerifierKey,
                    origin: str | None = None) -> Checkpoint:
    """The checkpoint in the signed note ``message``, once its signature by ``trusted`` is
    checked (``NoteError`` otherwise), and, when ``origin`` is given, once it is that log's."""
    checkpoint = parse_checkpoint(open_note(message, [trusted]).text)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError("answer_log.checkpoint.wrong_origin", origin=checkpoint.origin,
                              expected=origin)
    return checkpoint
