"""The journal's signing key: made once by ``parole log keygen``, read by ``checkpoint``,
``publish`` and the collector.

The private key file holds one line, ``PRIVATE+KEY+<origin>+<key ID>+<base64>`` (Go's
``sumdb/note`` format, ``answer_log.note``), readable by its owner alone: like ssh, parole
refuses a private key others could read. Beside it, ``<file>.pub`` holds the public key, the
one line published as the journal's ``key.txt`` and printed on the paper notice. The key's
name is the log's origin: the journal's address without ``https://``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import urllib.parse
from pathlib import Path

from site_builder.answer_log.errors import LogError
from site_builder.answer_log.note import SignerKey, VerifierKey, generate_key
from site_builder.answer_log_commands.errors import LogCommandError
from site_builder.config_lines import load_config_document

PRIVATE_PREFIX = "PRIVATE+KEY+"
PUBLIC_SUFFIX = ".pub"
JOURNAL_FOLDER = "journal"
"""Where the site publishes its journal, under its address: the origin's last part."""
KEY_FILE_LIMIT = 10_000
"""The most bytes read from a key file: a key is about a hundred."""
PRIVATE_MODE = 0o600


def public_key_path(private: Path) -> Path:
    return private.with_name(private.name + PUBLIC_SUFFIX)


def default_origin(config: Path) -> str:
    """``<host><path>/journal`` from the ``site_url`` of the site's ``mkdocs.yml``."""
    if not config.is_file():
        raise LogCommandError("log.keygen.no_origin", config=config)
    document = load_config_document(config, "log.keygen.config_unreadable",
                                    "log.keygen.config_unreadable_fix")
    site_url = document.get("site_url")
    parts = urllib.parse.urlsplit(site_url) if isinstance(site_url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise LogCommandError("log.keygen.no_site_url", config=config)
    path = parts.path.rstrip("/")
    return f"{parts.netloc}{path}/{JOURNAL_FOLDER}"


def check_origin(origin: str) -> str:
    """``origin`` if it can name a journal: a key name (no space, no '+'), without a scheme."""
    if "://" in origin:
        raise LogCommandError("log.keygen.origin_scheme", origin=origin,
                              suggestion=origin.split("://", 1)[1])
    if not origin or "+" in origin or any(character.isspace() for character in origin):
        raise LogCommandError("log.keygen.origin_name", origin=origin)
    return origin


def write_new_key(path: Path, origin: str) -> SignerKey:
    """A new key named ``origin``, written to ``path`` (owner only) and its public key to
    ``path.pub``; neither file may exist (a key replaced by mistake cannot sign for the
    journal already published). Each file appears whole or not at all."""
    key = generate_key(check_origin(origin))
    public = public_key_path(path)
    for existing in (path, public):
        if existing.exists() or existing.is_symlink():
            raise LogCommandError("log.keygen.exists", path=existing)
    if not path.parent.is_dir():
        raise LogCommandError("log.keygen.no_folder", folder=path.parent.resolve())
    _write_new(path, key.text + "\n", PRIVATE_MODE)
    try:
        _write_new(public, key.verifier.text + "\n", 0o644)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return key


def _write_new(path: Path, text: str, mode: int) -> None:
    """``text`` at ``path`` with ``mode``, never over an existing file: written beside it,
    then linked into place (which fails if the name was taken meanwhile)."""
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                                 suffix=".partial")
    except OSError as error:
        raise LogCommandError("log.key.cannot_write", path=path, reason=_reason(error)) from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), mode)
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
    except FileExistsError:
        raise LogCommandError("log.keygen.exists", path=path) from None
    except OSError as error:
        raise LogCommandError("log.key.cannot_write", path=path, reason=_reason(error)) from None
    finally:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()


def read_signer(path: Path) -> SignerKey:
    """The private key in ``path``; refused when the file is missing, others may read it, or
    it holds no private key (the public one, by mistake)."""
    text = _read_key_text(path)
    if not text.startswith(PRIVATE_PREFIX):
        try:
            VerifierKey.parse(text)
        except LogError:
            raise LogCommandError("log.key.not_a_key", path=path) from None
        raise LogCommandError("log.key.public_given", path=path)
    _check_private_mode(path)
    return SignerKey.parse(text)


def read_verifier(path: Path) -> VerifierKey:
    """The journal's public key from ``path``: a public key file, or the private key file
    (whose public key it derives, after the same checks as ``read_signer``)."""
    text = _read_key_text(path)
    if text.startswith(PRIVATE_PREFIX):
        _check_private_mode(path)
        return SignerKey.parse(text).verifier
    try:
        return VerifierKey.parse(text)
    except LogError as error:
        if error.key == "answer_log.key.verifier_format":  # not a key at all: say which file
            raise LogCommandError("log.key.not_a_key", path=path) from None
        raise


def _read_key_text(path: Path) -> str:
    if not path.is_file():
        raise LogCommandError("log.key.missing", path=path.resolve())
    try:
        with path.open("rb") as file:
            data = file.read(KEY_FILE_LIMIT + 1)
    except OSError as error:
        raise LogCommandError("log.key.unreadable", path=path, reason=_reason(error)) from None
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        text = ""
    if len(data) > KEY_FILE_LIMIT or not text or "\n" in text:
        raise LogCommandError("log.key.not_a_key", path=path)
    return text


def _check_private_mode(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise LogCommandError("log.key.too_open", path=path, mode=f"{mode:04o}")


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
