"""Replacing a file at once: a reader meanwhile, a killed run or a power cut leave the old file
or the new one, never half of one.

Used for what parole writes that someone else reads while it may be rewritten: the results
files (read by the build), the audit's report (served by the web server), the accessibility
statement (read by the build) and the published answer log (served by the web server).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PARTIAL = ".partial"
"""The end of a file being written: ``.<name>.<random>.partial`` beside ``<name>``. A dot name
MkDocs never publishes and web servers refuse; an ending no reader looks for."""


def replace_file(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8; or bytes, as they are) in ``path``'s place, at once.

    The new text is written under a name of its own (two runs at once do not write into each
    other), put on disk, given the permissions a new file gets here (a temporary file is
    private: a web server could not read a published report), then renamed into place, and the
    folder's entry put on disk too. What an earlier run cut off left under such a name is
    removed then. The folder must exist; ``OSError`` (with ``IsADirectoryError`` when ``path``
    is a folder) says what went wrong, and no partial file stays behind."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.",
                                     suffix=PARTIAL, delete=False) as partial:
        try:
            partial.write(data)
            partial.flush()
            os.fchmod(partial.fileno(), _new_file_mode())
            os.fsync(partial.fileno())
        except BaseException:
            Path(partial.name).unlink(missing_ok=True)
            raise
    started = Path(partial.name).stat().st_mtime
    try:
        Path(partial.name).replace(path)
    except BaseException:
        Path(partial.name).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    remove_left_partials(path, before=started)


def remove_left_partials(path: Path, *, before: float) -> None:
    """Remove the partial files of ``path`` last written before ``before``: left by runs that
    were cut off (one still writing would have written since)."""
    for left in path.parent.glob(f".{path.name}.*{PARTIAL}"):
        try:
            if left.stat().st_mtime < before:
                left.unlink()
        except FileNotFoundError:  # another run finished with it meanwhile
            continue


def _new_file_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the process's umask (read by setting
    it and putting it back: there is no other way to read it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _sync_folder(folder: Path) -> None:
    """Put the folder's new entry on disk too (where the system can: not on Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
