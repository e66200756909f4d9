"""A tiny journal writer for the standalone verifier's tests, written from the specifications'
definitions and sharing no code with the verifier nor with ``site_builder.answer_log``: the
naive recursive Merkle Tree Hash, PATH and SUBPROOF of RFC 9162 section 2.1, tiles and entry
bundles by the C2SP tlog-tiles formula, checkpoints signed with ``cryptography``."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ORIGIN = "mairie.example/consultation/journal"
VERIFIER = Path(__file__).resolve().parent.parent / "site_builder" / "journal_verifier" / (
    "parole_verifier.py")


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf(entry: bytes) -> bytes:
    return sha256(b"\x00" + entry)


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves: list[bytes]) -> bytes:
    """MTH of the leaf hashes ``leaves``, by RFC 9162's recursive definition."""
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the inclusion proof, by definition."""
    if len(leaves) <= 1:
        return []
    k = _split(len(leaves))
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b): the consistency proof, by definition."""
    if m == len(leaves):
        return [] if whole else [mth(leaves)]
    k = _split(len(leaves))
    if m <= k:
        return [*subproof(m, leaves[:k], whole), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def answer(i: int, salt: str = "") -> bytes:
    """A 32-byte commitment, as parole's entries are."""
    return sha256(f"answer {i}{salt}".encode())


def tile_name(level: int | str, number: int, width: int) -> str:
    digits = str(number).zfill((len(str(number)) + 2) // 3 * 3)
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    name = "/".join([*("x" + g for g in groups[:-1]), groups[-1]])
    return f"tile/{level}/{name}" + (f".p/{width}" if width < 256 else "")


class Signer:
    """An Ed25519 key in the signed-note way: name, key ID, verifier key text."""

    def __init__(self, name: str = ORIGIN) -> None:
        self.name = name
        self.private = Ed25519PrivateKey.generate()
        self.public = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = sha256(name.encode() + b"\n\x01" + self.public)[:4]

    @property
    def verifier_key(self) -> str:
        encoded = base64.b64encode(b"\x01" + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def note(self, text: str) -> bytes:
        signature = self.private.sign(text.encode())
        line = f"\u2014 {self.name} {base64.b64encode(self.key_id + signature).decode()}\n"
        return (text + "\n" + line).encode()

    def checkpoint(self, size: int, root: bytes, origin: str = ORIGIN) -> bytes:
        return self.note(f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n")


def publish(folder: Path, entries: list[bytes], signer: Signer, *, size: int | None = None,
            origin: str = ORIGIN) -> Path:
    """Write the journal of the first ``size`` of ``entries`` (all by default) into ``folder``:
    tiles, entry bundles, checkpoint and key.txt. Files already there (a larger tree's) stay."""
    entries = entries[: len(entries) if size is None else size]
    leaves = [leaf(e) for e in entries]
    n = len(leaves)
    level = 0
    while n >> (8 * level):
        span = 256**level
        count = n // span
        for number in range((count + 255) // 256):
            width = min(256, count - number * 256)
            hashes = [mth(leaves[(number * 256 + i) * span : (number * 256 + i + 1) * span])
                      for i in range(width)]
            _write(folder / tile_name(level, number, width), b"".join(hashes))
            if level == 0:
                bundle = entries[number * 256 : number * 256 + width]
                _write(folder / tile_name("entries", number, width),
                       b"".join(len(e).to_bytes(2, "big") + e for e in bundle))
        level += 1
    _write(folder / "checkpoint", signer.checkpoint(n, mth(leaves), origin))
    _write(folder / "key.txt", (signer.verifier_key + "\n").encode())
    return folder


def _write(file: Path, data: bytes) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data)
