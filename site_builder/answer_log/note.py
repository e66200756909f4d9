"""C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys, written and read
exactly as Go's golang.org/x/mod/sumdb/note does, so that Go's and transparency-dev's tools,
witnesses and any other implementation read parole's checkpoints, and parole reads theirs.

A signed note is a text ending in a newline, a blank line, then signature lines
``— <key name> <base64(4-byte key ID ‖ signature)>``. Keys are texts: the verifier key
``<name>+<hex key ID>+<base64(0x01 ‖ public key)>``, given to everyone, and the private key
``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>``, kept by the organizer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from site_builder.answer_log.errors import KeyTextError, NoteError

ED25519 = 0x01
"""The signature type byte of Ed25519 in signed notes and key texts."""
MAX_NOTE_BYTES = 1_000_000
"""The longest note read (Go's sumdb reads tree notes up to the same size): a checkpoint is a
few hundred bytes; anything near this is not one."""
MAX_SIGNATURES = 100
"""The most signature lines read (Go's limit; the spec asks for at least 16)."""
SIGNATURE_PREFIX = "— "  # em dash, space
_HEX_ID = re.compile(r"[0-9a-f]{8}")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
"""ASCII control characters other than newline: no signed note holds one."""
_SIGNATURE_SIZE = 64
_KEY_SIZE = 32


def check_key_name(name: str) -> None:
    """Key names are non-empty, without spaces or '+' (the key texts' separator)."""
    if not valid_key_name(name):
        raise KeyTextError("answer_log.key.name", name=name)


def valid_key_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(char.isspace() for char in name)


def key_id(name: str, public_key: bytes) -> int:
    """The key ID: the first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def _decode_key(encoded: str, problem: KeyTextError) -> bytes:
    """The 32 key bytes after the Ed25519 type byte, from base64."""
    try:
        raw = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise problem from None
    if not raw:
        raise problem
    if raw[0] != ED25519:
        raise KeyTextError("answer_log.key.algorithm", algorithm=raw[0])
    if len(raw) != 1 + _KEY_SIZE:
        raise problem
    return raw[1:]


@dataclass(frozen=True)
class VerifierKey:
    """A public key that checks signatures, and the name signatures give it."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> int:
        return key_id(self.name, self.public_key)

    @property
    def text(self) -> str:
        """``<name>+<hex key ID>+<base64(0x01 ‖ public key)>``."""
        encoded = base64.b64encode(bytes([ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """The key written ``text``; ``KeyTextError`` if it is malformed, of another type, or
        its key ID does not match its name and key (a copy that was altered)."""
        problem = KeyTextError("answer_log.key.verifier_format", text=text)
        name, _, rest = text.partition("+")
        written_id, _, encoded = rest.partition("+")
        if not valid_key_name(name) or not _HEX_ID.fullmatch(written_id):
            raise problem
        key = cls(name, _decode_key(encoded, problem))
        if key.key_id != int(written_id, 16):
            raise KeyTextError("answer_log.key.id_mismatch", name=name, written=written_id,
                               computed=f"{key.key_id:08x}")
        return key

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != _SIGNATURE_SIZE:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class SignerKey:
    """A private key that signs notes under ``name``. ``repr`` never shows the seed."""

    name: str
    seed: bytes = field(repr=False)

    @property
    def verifier(self) -> VerifierKey:
        private = Ed25519PrivateKey.from_private_bytes(self.seed)
        return VerifierKey(self.name, private.public_key().public_bytes_raw())

    @property
    def text(self) -> str:
        """``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>``: keep it secret."""
        encoded = base64.b64encode(bytes([ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id:08x}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> SignerKey:
        """The key written ``text`` (as ``text`` and Go's ``note.GenerateKey`` write it)."""
        problem = KeyTextError("answer_log.key.signer_format")
        parts = text.split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise problem
        name, written_id, encoded = parts[2:]
        if not valid_key_name(name) or not _HEX_ID.fullmatch(written_id):
            raise problem
        key = cls(name, _decode_key(encoded, problem))
        computed = key.verifier.key_id
        if computed != int(written_id, 16):
            raise KeyTextError("answer_log.key.id_mismatch", name=name, written=written_id,
                               computed=f"{computed:08x}")
        return key

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def generate_key(name: str, seed: bytes | None = None) -> SignerKey:
    """A new Ed25519 key named ``name``, from the system's secure random source (``seed``:
    32 given bytes, for tests that reproduce published keys)."""
    check_key_name(name)
    if seed is None:
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
    if len(seed) != _KEY_SIZE:
        raise ValueError(f"generate_key: an Ed25519 seed has 32 bytes, not {len(seed)}")
    return SignerKey(name, seed)


@dataclass(frozen=True)
class Signature:
    """One signature line: who signed (name and key ID) and the signature bytes."""

    name: str
    key_id: int
    signature: bytes

    @property
    def line(self) -> str:
        encoded = base64.b64encode(self.key_id.to_bytes(4, "big") + self.signature).decode()
        return f"{SIGNATURE_PREFIX}{self.name} {encoded}\n"

    @property
    def key(self) -> str:
        """``<name>+<hex key ID>``, as messages name a key."""
        return f"{self.name}+{self.key_id:08x}"


@dataclass(frozen=True)
class Note:
    """A note whose signature by a trusted key was checked."""

    text: str
    """The signed text, final newline included."""
    signatures: tuple[Signature, ...]
    """The signatures checked, by trusted keys."""
    unverified: tuple[Signature, ...] = ()
    """Signatures by keys not trusted here (a witness's cosignature, a rotated key): kept,
    not checked, as the spec asks."""


def sign_note(text: str, *signers: SignerKey) -> str:
    """``text`` (ending in a newline) signed by each of ``signers``, as a signed note."""
    if not text.endswith("\n"):
        raise NoteError("answer_log.note.text_end")
    message = text.encode()
    lines = [Signature(signer.name, signer.verifier.key_id, signer.sign(message)).line
             for signer in signers]
    return text + "\n" + "".join(lines)


def open_note(message: bytes, trusted: Sequence[VerifierKey]) -> Note:
    """Read the signed note ``message`` and check it: well formed, and signed by at least one
    of the ``trusted`` keys, every signature by a trusted key valid. ``NoteError`` names what
    failed (where: the byte, the line)."""
    if len(message) > MAX_NOTE_BYTES:
        raise NoteError("answer_log.note.too_long", length=len(message), limit=MAX_NOTE_BYTES)
    try:
        decoded = message.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NoteError("answer_log.note.not_utf8", offset=error.start) from None
    control = _CONTROL.search(decoded)
    if control:
        raise NoteError("answer_log.note.control_character", code=f"{ord(control[0]):04X}",
                        line=decoded.count("\n", 0, control.start()) + 1)
    split = decoded.rfind("\n\n")
    if split < 0 or not decoded.endswith("\n") or split + 2 == len(decoded):
        raise NoteError("answer_log.note.no_signatures")
    text, signature_block = decoded[:split + 1], decoded[split + 2:]
    first_line = text.count("\n") + 2
    keys = {(key.name, key.key_id): key for key in trusted}
    verified: list[Signature] = []
    unverified: list[Signature] = []
    lines = signature_block.split("\n")[:-1]
    if len(lines) > MAX_SIGNATURES:
        raise NoteError("answer_log.note.too_many_signatures", count=len(lines),
                        limit=MAX_SIGNATURES)
    for number, line in enumerate(lines, first_line):
        signature = _signature(line, number)
        key = keys.get((signature.name, signature.key_id))
        if key is None:
            if signature not in unverified:
                unverified.append(signature)
        elif signature not in verified:
            if not key.verify(text.encode(), signature.signature):
                raise NoteError("answer_log.note.bad_signature", key=signature.key)
            verified.append(signature)
    if not verified:
        raise NoteError("answer_log.note.unknown_key",
                        trusted=", ".join(f"{key.name}+{key.key_id:08x}" for key in trusted),
                        found=", ".join(signature.key for signature in unverified))
    return Note(text, tuple(verified), tuple(unverified))


def _signature(line: str, number: int) -> Signature:
    """The signature on ``line`` (line ``number`` of the note)."""
    problem = NoteError("answer_log.note.signature_line", line=number)
    if not line.startswith(SIGNATURE_PREFIX):
        raise problem
    name, _, encoded = line[len(SIGNATURE_PREFIX):].partition(" ")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise problem from None
    if not valid_key_name(name) or len(raw) < 5:
        raise problem
    return Signature(name, int.from_bytes(raw[:4], "big"), raw[4:])
