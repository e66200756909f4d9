"""``parole log verify``: an auditor's check of a whole published journal, from its files
alone (a folder or a web address), with the journal's public key:

1. every checkpoint (``checkpoint`` and each ``checkpoints/<size>`` that ``checkpoints/index``
   lists) is signed by the key, names the same log, and says the size its name says;
2. each checkpoint extends the one before it, by an RFC 9162 consistency proof made from the
   tiles (nothing removed or rewritten between two publications), and so does the newest
   extend the saved copy given with ``--from``;
3. every tile hashes up to the newest checkpoint's root (``TileHashReader`` checks each one
   against its parent, up to the signed root), and every entry bundle's entries hash to the
   leaf hashes of their tile.

Exit status as the standalone verifier's: 0 verified, 1 refused, 2 could not check.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from site_builder.answer_log.checkpoint import Checkpoint, open_checkpoint
from site_builder.answer_log.errors import LogError
from site_builder.answer_log.merkle import consistency_proof, leaf_hash, verify_consistency
from site_builder.answer_log.note import VerifierKey
from site_builder.answer_log.tile_reader import TileHashReader
from site_builder.answer_log.tiles import (
    TILE_WIDTH,
    Tile,
    bundles_for_size,
    check_bundle,
    decode_bundle,
    tiles_for_size,
)
from site_builder.answer_log_commands.errors import REFUSED, LogCommandError
from site_builder.answer_log_commands.journal import Journal
from site_builder.answer_log_commands.publish import (
    CHECKPOINT,
    CHECKPOINT_LIMIT,
    CHECKPOINTS,
    INDEX,
    KEY_FILE,
)
from site_builder.messages import say, say_count

TILE_LIMIT = TILE_WIDTH * 32
BUNDLE_LIMIT = 1_000_000
"""An entry bundle of 256 entries of up to ~3.9 kB: parole's are 8,704 bytes."""
INDEX_LIMIT = 10_000_000
_SIZE_LINE = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class Saved:
    """A checkpoint saved from an earlier look at the journal (``--from``)."""

    name: str
    data: bytes


def verify_journal(journal: Journal, key: VerifierKey | None, saved: Saved | None,
                   out: Callable[[str], None]) -> None:
    """Check ``journal`` (signed by ``key``; None: the journal's own ``key.txt``, said so),
    each finding said with ``out``; ``LogCommandError`` at the first refusal."""
    if key is None:
        key = _journal_key(journal)
        out(say("log.verify.key_from_journal", key=key.text))
    newest = _opened(journal, CHECKPOINT, key, None)
    out(say("log.verify.signed", key=key.text, size=newest.size))
    heads = _listed_checkpoints(journal, key, newest)
    reader = _tree(journal, newest)
    for older, newer in itertools.pairwise(heads):
        _consistent(older, newer, reader, what=journal.name(f"{CHECKPOINTS}/{older.size}"))
    out(say_count("log.verify.history", len(heads)))
    if saved is not None:
        previous = _open(saved.data, saved.name, key, newest.origin)
        if previous.size > newest.size:
            raise LogCommandError("log.verify.shorter_than_saved", saved=saved.name,
                                  size=previous.size, now=newest.size)
        _consistent(previous, newest, reader, what=saved.name)
        out(say("log.verify.extends_saved", saved=saved.name, size=previous.size,
                now=newest.size))
    tiles, entries = _every_tile(journal, reader)
    out(say("log.verify.tiles", tiles=tiles, entries=entries, size=newest.size))


def _journal_key(journal: Journal) -> VerifierKey:
    text = journal.read(KEY_FILE, 10_000).decode("utf-8", "replace").strip()
    try:
        return VerifierKey.parse(text)
    except LogError as error:
        raise LogCommandError("log.verify.bad_journal_key", file=journal.name(KEY_FILE),
                              error=error, status=REFUSED) from None


def _open(data: bytes, name: str, key: VerifierKey, origin: str | None) -> Checkpoint:
    try:
        return open_checkpoint(data, key, origin)
    except LogError as error:
        raise LogCommandError("log.verify.checkpoint_refused", file=name, error=error) from None


def _opened(journal: Journal, path: str, key: VerifierKey, origin: str | None) -> Checkpoint:
    return _open(journal.read(path, CHECKPOINT_LIMIT), journal.name(path), key, origin)


def _listed_checkpoints(journal: Journal, key: VerifierKey,
                        newest: Checkpoint) -> list[Checkpoint]:
    """Every published checkpoint, smallest first, ``newest`` (the ``checkpoint`` file) last:
    it must be the largest, and equal to the listed one of its size."""
    text = journal.read(INDEX, INDEX_LIMIT).decode("utf-8", "replace")
    lines = text.splitlines()
    if not all(_SIZE_LINE.fullmatch(line) for line in lines):
        raise LogCommandError("log.verify.bad_index", file=journal.name(INDEX))
    sizes = [int(line) for line in lines]
    if sizes != sorted(set(sizes)):
        raise LogCommandError("log.verify.bad_index", file=journal.name(INDEX))
    heads: list[Checkpoint] = []
    for size in sizes:
        path = f"{CHECKPOINTS}/{size}"
        head = _opened(journal, path, key, newest.origin)
        if head.size != size:
            raise LogCommandError("log.verify.size_not_name", file=journal.name(path),
                                  size=head.size)
        if size > newest.size:
            raise LogCommandError("log.verify.newer_than_checkpoint", file=journal.name(path),
                                  size=size, newest=newest.size)
        heads.append(head)
    if heads and heads[-1].size == newest.size:
        if heads[-1].root != newest.root:
            raise LogCommandError("log.verify.two_roots", size=newest.size,
                                  file=journal.name(CHECKPOINT))
        heads.pop()
    return [*heads, newest]


def _tree(journal: Journal, newest: Checkpoint) -> TileHashReader:
    def read_tile(tile: Tile) -> bytes:
        return journal.read(tile.path, TILE_LIMIT)

    try:
        return TileHashReader(newest.size, newest.root, read_tile)
    except LogCommandError:
        raise
    except LogError as error:
        raise LogCommandError("log.verify.tiles_refused", error=error) from None


def _consistent(older: Checkpoint, newer: Checkpoint, reader: TileHashReader,
                what: str) -> None:
    """``newer`` extends ``older``: a consistency proof from the tiles, checked."""
    if older.size == 0:  # every tree extends the empty one
        return
    try:
        proof = consistency_proof(older.size, newer.size, reader.hash_at) \
            if older.size < newer.size else []
        verify_consistency(older.size, newer.size, older.root, newer.root, proof)
    except LogCommandError:
        raise
    except LogError as error:
        raise LogCommandError("log.verify.not_extending", file=what, old=older.size,
                              new=newer.size, error=error) from None


def _every_tile(journal: Journal, reader: TileHashReader) -> tuple[int, int]:
    """Every hash tile of the tree checked up to the root, every entry bundle against its
    leaf tile; how many tiles and entries."""
    tiles = tiles_for_size(reader.size)
    entries = 0
    try:
        for tile in tiles:
            reader.tile(tile)
        for bundle in bundles_for_size(reader.size):
            data = journal.read(bundle.path, BUNDLE_LIMIT)
            bundle_entries = decode_bundle(data, bundle)
            check_bundle(bundle_entries, bundle, reader.tile(Tile(0, bundle.index, bundle.width)),
                         leaf_hash)
            entries += len(bundle_entries)
    except LogCommandError:
        raise
    except LogError as error:
        raise LogCommandError("log.verify.tiles_refused", error=error) from None
    return len(tiles), entries

