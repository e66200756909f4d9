"""``parole log publish``: the journal folder a web server serves with the site, and the
standalone verifier reads (``journal_verifier/parole_verifier.py``):

    checkpoint            the newest signed checkpoint
    checkpoints/<size>    every signed checkpoint, so that anyone can check each extends the last
    checkpoints/index     their sizes, one a line (a web server lists no folder)
    tile/<L>/<N>[.p/<W>]  the hash tiles up to the newest checkpoint (C2SP tlog-tiles)
    tile/entries/<N>...   the entry bundles
    key.txt               the public key, one line
    parole_verifier.py    the verifier, byte for byte

What is published never changes: a tile, a bundle or a ``checkpoints/<size>`` already there
must hold exactly what this run would write (else the run stops: the database no longer gives
the journal the world has seen), and is not written again. Every file is written whole under a
name of its own, then renamed into place (``safe_files.replace_file``), ``checkpoint`` after
every file it needs, and the index after it (so that it never lists a checkpoint newer than
``checkpoint``): a publish killed at any moment leaves the old journal, whose files are all
still there, or the new one. Before anything is written, every checkpoint's signature by the
key and root over the database's leaves are checked, and so is the ``checkpoint`` already
published: a journal is never replaced by one that does not extend it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from site_builder.answer_log.checkpoint import open_checkpoint
from site_builder.answer_log.errors import LogError
from site_builder.answer_log.merkle import MemoryTree
from site_builder.answer_log.note import VerifierKey
from site_builder.answer_log.tiles import TILE_WIDTH, build_tiles, bundles_for_size, encode_bundle
from site_builder.answer_log_commands.errors import LogCommandError
from site_builder.answer_log_commands.head import LogContents, check_roots, opened
from site_builder.journal_verifier import VERIFIER_FILE
from site_builder.safe_files import PARTIAL, replace_file
from site_builder.storage.answer_log import StoredCheckpoint

CHECKPOINT = "checkpoint"
CHECKPOINTS = "checkpoints"
INDEX = "checkpoints/index"
KEY_FILE = "key.txt"
VERIFIER_NAME = VERIFIER_FILE.name
LOCK_FILE = ".parole-publish.lock"
"""Held while a publish runs: two at once would each sweep the other's partial files. A dot
name, which web servers refuse to serve."""
CHECKPOINT_LIMIT = 100_000


@dataclass
class Published:
    """What a run did."""

    size: int
    written: int = 0
    kept: int = 0


def publish_journal(output: Path, contents: LogContents,
                    checkpoints: Sequence[StoredCheckpoint], key: VerifierKey) -> Published:
    """Write (or bring up to date) the journal in ``output``, for ``checkpoints`` (by size,
    the newest last) over ``contents``, the log's leaves up to the newest."""
    if not checkpoints:
        raise LogCommandError("log.publish.no_checkpoint")
    origins = {opened(stored, key).origin for stored in checkpoints}
    if len(origins) > 1:
        raise LogCommandError("log.publish.origins", origins=", ".join(sorted(origins)))
    newest = checkpoints[-1]
    tree = contents.tree()
    check_roots(tree, checkpoints)
    if not output.parent.is_dir():
        raise LogCommandError("log.publish.no_parent", folder=output.parent.resolve())
    try:
        output.mkdir(exist_ok=True)
    except OSError as error:
        raise _cannot_write(output, error) from None
    with _only_run(output):
        _sweep_partials(output, before=time.time())
        _check_published(output, tree, key)
        done = Published(newest.size)
        for tile, data in build_tiles(contents.leaf_hashes[:newest.size]).items():
            _write_once(output / tile.path, data, done)
        for bundle in bundles_for_size(newest.size):
            start = bundle.index * TILE_WIDTH
            _write_once(output / bundle.path,
                        encode_bundle(contents.entries[start:start + bundle.width]), done)
        for stored in checkpoints:
            _write_once(output / CHECKPOINTS / str(stored.size), stored.note.encode(), done)
        _write(output / KEY_FILE, f"{key.text}\n".encode(), done)
        _write(output / VERIFIER_NAME, VERIFIER_FILE.read_bytes(), done)
        _write(output / CHECKPOINT, newest.note.encode(), done)
        # after the checkpoint: the index never lists one newer than ``checkpoint``
        index = "".join(f"{stored.size}\n" for stored in checkpoints)
        _write(output / INDEX, index.encode(), done)
    return done


@contextmanager
def _only_run(output: Path) -> Iterator[None]:
    path = output / LOCK_FILE
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise _cannot_write(path, error) from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LogCommandError("log.publish.running", folder=output) from None
        yield
    finally:
        os.close(descriptor)


def _sweep_partials(output: Path, *, before: float) -> None:
    """Remove what runs killed before this one left half written (``.<name>.*.partial``)."""
    for left in output.rglob(f".*{PARTIAL}"):
        try:
            if left.stat().st_mtime < before:
                left.unlink()
        except FileNotFoundError:
            continue


def _check_published(output: Path, tree: MemoryTree, key: VerifierKey) -> None:
    """The ``checkpoint`` already in ``output``, if any, must be signed by ``key`` and be the
    head of the log's first leaves: the journal published next must extend it."""
    path = output / CHECKPOINT
    if not path.exists():
        return
    try:
        with path.open("rb") as file:
            data = file.read(CHECKPOINT_LIMIT + 1)
    except OSError as error:
        raise LogCommandError("log.publish.unreadable", path=path,
                              reason=error.strerror or str(error)) from None
    try:
        published = open_checkpoint(data, key)
    except LogError as error:
        raise LogCommandError("log.publish.foreign_checkpoint", path=path, error=error) from None
    if published.size > tree.size or tree.root(published.size) != published.root:
        raise LogCommandError("log.publish.not_extending", path=path, size=published.size)


def _write_once(path: Path, data: bytes, done: Published) -> None:
    """Write ``path`` unless it is there; if it is, it must hold ``data``."""
    try:
        with path.open("rb") as file:
            existing = file.read(len(data) + 1)
    except FileNotFoundError:
        _write(path, data, done, compare=False)
        return
    except OSError as error:
        raise LogCommandError("log.publish.unreadable", path=path,
                              reason=error.strerror or str(error)) from None
    if existing != data:
        raise LogCommandError("log.publish.file_differs", path=path)
    done.kept += 1


def _write(path: Path, data: bytes, done: Published, *, compare: bool = True) -> None:
    """Replace ``path`` with ``data`` at once, unless it holds them already."""
    if compare:
        try:
            if path.read_bytes() == data:
                done.kept += 1
                return
        except FileNotFoundError:
            pass
        except OSError as error:
            raise _cannot_write(path, error) from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    except OSError as error:
        raise _cannot_write(path, error) from None
    done.written += 1


def _cannot_write(path: Path, error: OSError) -> LogCommandError:
    return LogCommandError("log.publish.cannot_write", path=path,
                           reason=error.strerror or str(error))
