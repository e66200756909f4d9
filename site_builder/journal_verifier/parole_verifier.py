#!/usr/bin/env python3
"""Check, without trusting anyone's server, that an answer is in a parole consultation's
published journal; or that the journal was only extended since a checkpoint you saved.

    python3 parole_verifier.py --journal https://example.org/journal/ \\
        --key 'example.org/journal+1a2b3c4d+AZ...' --index 1234 --leaf-hash 9f86d0...

One file, Python 3.8 or newer, nothing but the standard library: read it before you run it.
It follows public specifications only, and shares no code with parole itself:

- the journal's signed head, ``checkpoint``: C2SP tlog-checkpoint inside a C2SP signed-note
  (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note), signed with Ed25519,
  verified here in pure Python as RFC 8032 section 5.1.7 says;
- the journal's Merkle tree: RFC 9162 section 2.1 (leaf hash SHA-256(0x00 || entry), node
  hash SHA-256(0x01 || left || right), inclusion and consistency proofs), published as C2SP
  tlog-tiles (https://c2sp.org/tlog-tiles): ``tile/<L>/<N>[.p/<W>]`` and
  ``tile/entries/<N>[.p/<W>]``.

Exit status: 0 verified, 1 verification failed (the journal does not prove it), 2 the check
could not be made (wrong arguments, network, a missing file).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import datetime
import email.utils
import hashlib
import http.client
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path
from typing import NamedTuple, Sequence, Tuple

# Largest files read: nothing published by a journal is bigger, so a hostile server cannot
# make this script read without end. A checkpoint note with a few signatures is < 1 KB (the
# signed-note spec asks verifiers to accept 16 signatures of up to ~5 KB each).
CHECKPOINT_LIMIT = 100_000
TILE_WIDTH = 256
HASH_SIZE = 32
TILE_LIMIT = TILE_WIDTH * HASH_SIZE
# parole's entries are 32-byte commitments (8,704 bytes a bundle); other logs' entries may be
# longer, up to what a uint16 length prefix allows, but not here.
BUNDLE_LIMIT = 1_000_000
DEFAULT_TIMEOUT = 20.0

# ----------------------------------------------------------------------------------------
# Messages: French by default, English on request. {n} placeholders are filled by say().

MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "included": "Votre réponse n° {index} est bien dans le journal publié{date} ({count}).",
        "published_on": " le {date}",
        "answers_one": "1 réponse",
        "answers_many": "{n} réponses",
        "signature_ok": "La signature du journal correspond à la clé {key}.",
        "key_from_journal": "Attention : la clé a été lue dans le journal lui-même. Comparez-la "
        "à celle publiée ailleurs (l'avis imprimé, le bulletin municipal) : {key}",
        "consistent": "Rien n'a été retiré ni réécrit depuis votre copie du journal ({count}) : "
        "le journal publié ({count_now}) la prolonge.",
        "not_signed_by_key": "Le journal n'est pas signé par la clé {key}. Vérifiez que c'est "
        "bien la clé publiée par les organisateurs.",
        "signature_mismatch": "La signature du journal ne correspond pas à la clé {key} : le "
        "fichier {file} a été modifié depuis sa signature, ou la signature est fausse.",
        "note_malformed": "Le fichier {file} n'est pas un journal signé lisible : {reason}.",
        "not_yet": "Le journal publié ne contient que {count} : la réponse n° {index} n'y est "
        "pas encore. Réessayez après la prochaine publication.",
        "leaf_not_here": "À la place n° {index}, le journal contient une autre réponse que la "
        "vôtre. Vérifiez le numéro et le code de votre reçu. S'ils sont justes, votre réponse "
        "n'est pas à cette place dans le journal.",
        "tiles_mismatch": "Les fichiers du journal (dossier tile/) ne correspondent pas à sa "
        "signature : ils ont été modifiés ou sont incomplets.",
        "entries_mismatch": "Le fichier {file} ne correspond pas aux empreintes du journal : il "
        "a été modifié.",
        "wrong_size": "Le fichier {file} est tronqué ou abîmé : {size} octets au lieu de "
        "{expected}.",
        "bundle_malformed": "Le fichier {file} est tronqué ou abîmé : il devrait contenir "
        "{expected} réponses.",
        "bad_compression": "Le fichier {file} est abîmé : sa compression gzip est illisible.",
        "too_large": "Le fichier {file} dépasse {limit} octets : ce n'est pas un fichier de "
        "journal.",
        "rewritten": "Le journal a été réécrit depuis votre copie ({count}) : le journal publié "
        "ne la prolonge pas. Des réponses ont été retirées ou modifiées.",
        "shrunk": "Le journal publié ({count_now}) est plus court que votre copie ({count}) : "
        "des réponses ont été retirées.",
        "other_log": "Votre copie est celle d'un autre journal ({origin}), pas de {origin_now}.",
        "missing": "Le fichier {file} est introuvable. Vérifiez l'adresse du journal.",
        "network": "Impossible de lire {file} : {reason}. Vérifiez l'adresse et la connexion.",
        "http_status": "Le serveur a répondu {status} pour {file}. Réessayez plus tard.",
        "not_a_folder": "{where} n'est ni une adresse http(s) ni un dossier.",
        "bad_scheme": "Adresse refusée : {where}. Seules les adresses http:// et https:// ou un "
        "dossier sont acceptées.",
        "bad_key": "La clé ne se lit pas ({reason}). Elle a la forme "
        "nom+identifiant+clé, par exemple exemple.fr/journal+1a2b3c4d+AZ... (une faute de "
        "frappe ?)",
        "bad_key_id": "l'identifiant ne correspond pas au reste de la clé",
        "bad_key_type": "ce n'est pas une clé Ed25519",
        "bad_key_form": "il faut trois parties séparées par +",
        "bad_leaf_hash": "Le code de réponse doit faire 64 caractères 0 à 9 et a à f (les "
        "espaces sont permis) : {value}",
        "nothing_to_check": "Indiquez --index et --leaf-hash (votre reçu), ou --previous (une "
        "copie gardée du journal), ou les deux.",
        "index_needs_hash": "--index et --leaf-hash vont ensemble.",
        "bad_number": "{option} attend un nombre positif : {value}",
        "unreadable_file": "Impossible de lire {file} : {reason}.",
        "reason_utf8": "ce n'est pas du texte UTF-8",
        "reason_control": "il contient des caractères de contrôle",
        "reason_no_signature": "il ne finit pas par une ligne vide et des signatures",
        "reason_signature_line": "une ligne de signature est mal formée",
        "reason_checkpoint": "les trois lignes origine, taille et racine sont mal formées",
        "help_description": "Vérifie qu'une réponse est dans le journal public d'une "
        "consultation parole, sans faire confiance à son serveur.",
        "help_journal": "adresse (https://...) ou dossier du journal publié",
        "help_key": "clé publique du journal (nom+identifiant+clé), à comparer à celle de "
        "l'avis imprimé ; par défaut celle du fichier key.txt du journal",
        "help_key_file": "fichier contenant la clé publique du journal",
        "help_index": "numéro de la réponse dans le journal (sur votre reçu)",
        "help_leaf_hash": "code de la réponse, 64 caractères (sur votre reçu)",
        "help_previous": "copie gardée d'un ancien fichier checkpoint : vérifie que le journal "
        "n'a fait que s'allonger depuis",
        "help_language": "langue des messages : fr (par défaut) ou en",
        "help_timeout": "délai d'attente du réseau, en secondes",
    },
    "en": {
        "included": "Your answer no. {index} is in the journal published{date} ({count}).",
        "published_on": " on {date}",
        "answers_one": "1 answer",
        "answers_many": "{n} answers",
        "signature_ok": "The journal's signature matches the key {key}.",
        "key_from_journal": "Warning: the key was read from the journal itself. Compare it with "
        "the one published elsewhere (the printed notice, the town's bulletin): {key}",
        "consistent": "Nothing was removed or rewritten since your copy of the journal "
        "({count}): the published journal ({count_now}) extends it.",
        "not_signed_by_key": "The journal is not signed by the key {key}. Check that it is the "
        "key the organizers published.",
        "signature_mismatch": "The journal's signature does not match the key {key}: the file "
        "{file} was changed after it was signed, or the signature is forged.",
        "note_malformed": "The file {file} is not a readable signed journal: {reason}.",
        "not_yet": "The published journal holds only {count}: answer no. {index} is not in it "
        "yet. Try again after the next publication.",
        "leaf_not_here": "At place no. {index}, the journal holds another answer than yours. "
        "Check the number and the code on your receipt. If they are right, your answer is not "
        "at this place in the journal.",
        "tiles_mismatch": "The journal's files (folder tile/) do not match its signature: they "
        "were changed or are incomplete.",
        "entries_mismatch": "The file {file} does not match the journal's hashes: it was "
        "changed.",
        "wrong_size": "The file {file} is truncated or damaged: {size} bytes instead of "
        "{expected}.",
        "bundle_malformed": "The file {file} is truncated or damaged: it should hold {expected} "
        "answers.",
        "bad_compression": "The file {file} is damaged: its gzip compression is unreadable.",
        "too_large": "The file {file} is larger than {limit} bytes: it is not a journal file.",
        "rewritten": "The journal was rewritten since your copy ({count}): the published "
        "journal does not extend it. Answers were removed or changed.",
        "shrunk": "The published journal ({count_now}) is shorter than your copy ({count}): "
        "answers were removed.",
        "other_log": "Your copy is of another journal ({origin}), not of {origin_now}.",
        "missing": "The file {file} cannot be found. Check the journal's address.",
        "network": "Cannot read {file}: {reason}. Check the address and the connection.",
        "http_status": "The server answered {status} for {file}. Try again later.",
        "not_a_folder": "{where} is neither an http(s) address nor a folder.",
        "bad_scheme": "Address refused: {where}. Only http:// and https:// addresses or a "
        "folder are accepted.",
        "bad_key": "The key cannot be read ({reason}). It looks like name+id+key, for "
        "example example.org/journal+1a2b3c4d+AZ... (a typing mistake?)",
        "bad_key_id": "its id does not match the rest of the key",
        "bad_key_type": "it is not an Ed25519 key",
        "bad_key_form": "it needs three parts separated by +",
        "bad_leaf_hash": "The answer's code must be 64 characters 0 to 9 and a to f (spaces "
        "are allowed): {value}",
        "nothing_to_check": "Give --index and --leaf-hash (your receipt), or --previous (a "
        "saved copy of the journal), or both.",
        "index_needs_hash": "--index and --leaf-hash go together.",
        "bad_number": "{option} needs a positive number: {value}",
        "unreadable_file": "Cannot read {file}: {reason}.",
        "reason_utf8": "it is not UTF-8 text",
        "reason_control": "it contains control characters",
        "reason_no_signature": "it does not end with a blank line and signatures",
        "reason_signature_line": "a signature line is malformed",
        "reason_checkpoint": "its origin, size and root lines are malformed",
        "help_description": "Checks that an answer is in a parole consultation's public "
        "journal, without trusting its server.",
        "help_journal": "address (https://...) or folder of the published journal",
        "help_key": "the journal's public key (name+id+key), to compare with the printed "
        "notice's; by default the journal's key.txt",
        "help_key_file": "a file holding the journal's public key",
        "help_index": "the answer's number in the journal (on your receipt)",
        "help_leaf_hash": "the answer's code, 64 characters (on your receipt)",
        "help_previous": "a saved copy of an older checkpoint file: checks that the journal "
        "only grew since",
        "help_language": "language of the messages: fr (default) or en",
        "help_timeout": "network timeout, in seconds",
    },
}
MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


class CheckError(Exception):
    """A message of the catalogue, with its values; ``status`` is the exit status."""

    status = 2

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


class RefusedError(CheckError):
    """The journal does not prove what was asked: exit status 1."""

    status = 1


class CannotCheckError(CheckError):
    """Wrong arguments, or a file that could not be fetched: exit status 2."""


def say(language: str, message: str, **values: object) -> str:
    return MESSAGES[language][message].format(**values)


def count_text(language: str, n: int) -> str:
    """``12 345 réponses`` / ``12,345 answers`` (a no-break space in French)."""
    if n == 1:
        return say(language, "answers_one")
    digits = f"{n:,}".replace(",", "\u00a0" if language == "fr" else ",")
    return say(language, "answers_many", n=digits)


def date_text(language: str, when: datetime.datetime) -> str:
    """``3 mars 2026`` / ``3 March 2026`` (in UTC)."""
    when = when.astimezone(datetime.timezone.utc)
    return f"{when.day} {MONTHS[language][when.month - 1]} {when.year}"


# ----------------------------------------------------------------------------------------
# Ed25519 signature verification, RFC 8032 section 5.1.7, in the style of its section 6
# reference code (points in extended coordinates). Verification handles only public data, so
# it need not run in constant time.

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493  # the order of the base point
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
Point = Tuple[int, int, int, int]  # (X, Y, Z, T): x = X/Z, y = Y/Z, x*y = T/Z


def _point_add(p: Point, q: Point) -> Point:
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * _D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _point_mul(scalar: int, point: Point) -> Point:
    result: Point = (0, 1, 1, 0)  # the neutral element
    while scalar > 0:
        if scalar & 1:
            result = _point_add(result, point)
        point = _point_add(point, point)
        scalar >>= 1
    return result


def _point_equal(p: Point, q: Point) -> bool:
    return (p[0] * q[2] - q[0] * p[2]) % _P == 0 and (p[1] * q[2] - q[1] * p[2]) % _P == 0


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    return _P - x if (x & 1) != sign else x


def _point_decompress(encoded: bytes) -> Point | None:
    if len(encoded) != 32:
        return None
    y = int.from_bytes(encoded, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_BASE = _point_decompress((4 * pow(5, _P - 2, _P) % _P).to_bytes(32, "little"))


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``public_key``'s Ed25519 signature of ``message``."""
    if _BASE is None or len(public_key) != 32 or len(signature) != 64:
        return False
    a = _point_decompress(public_key)
    r = _point_decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _L:  # s < L: no malleable copy of a signature
        return False
    digest = hashlib.sha512(signature[:32] + public_key + message).digest()
    h = int.from_bytes(digest, "little") % _L
    return _point_equal(_point_mul(s, _BASE), _point_add(r, _point_mul(h, a)))


# ----------------------------------------------------------------------------------------
# The verifier key, the signed note and the checkpoint (C2SP signed-note, tlog-checkpoint).


class VerifierKey(NamedTuple):
    name: str
    key_id: bytes
    public_key: bytes
    text: str


class Checkpoint(NamedTuple):
    origin: str
    size: int
    root: bytes


def parse_verifier_key(text: str) -> VerifierKey:
    """``<name>+<8 hex digits key ID>+<base64(0x01 || 32-byte Ed25519 public key)>``."""
    text = text.strip()
    parts = text.split("+", 2)  # the base64 part may hold '+' itself
    if len(parts) != 3 or not parts[0] or re.search(r"\s", parts[0]):
        raise CannotCheckError("bad_key", reason_key="bad_key_form")
    name, key_id_hex, encoded = parts
    try:
        key_id = bytes.fromhex(key_id_hex) if len(key_id_hex) == 8 else b""
        key = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise CannotCheckError("bad_key", reason_key="bad_key_form") from None
    if len(key) != 33 or key[0] != 1:
        raise CannotCheckError("bad_key", reason_key="bad_key_type")
    if hashlib.sha256(name.encode("utf-8") + b"\n" + key).digest()[:4] != key_id:
        raise CannotCheckError("bad_key", reason_key="bad_key_id")
    return VerifierKey(name, key_id, key[1:], text)


def open_note(data: bytes, key: VerifierKey, file: str) -> str:
    """The text of the signed note ``data`` (from ``file``), once its signature by ``key``
    is verified; a ``RefusedError`` saying why otherwise."""
    try:
        note = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RefusedError("note_malformed", file=file, reason_key="reason_utf8") from None
    if re.search(r"[\x00-\x09\x0b-\x1f]", note):
        raise RefusedError("note_malformed", file=file, reason_key="reason_control")
    split = note.rfind("\n\n")  # the text ends at the note's last blank line
    if split < 0 or not note.endswith("\n"):
        raise RefusedError("note_malformed", file=file, reason_key="reason_no_signature")
    text, signature_lines = note[: split + 1], note[split + 2 :].split("\n")[:-1]
    if not signature_lines:
        raise RefusedError("note_malformed", file=file, reason_key="reason_no_signature")
    signed_by_key: list[bytes] = []
    for line in signature_lines:
        match = re.fullmatch(r"\u2014 (\S+) ([A-Za-z0-9+/=]+)", line)
        if match is None:
            raise RefusedError("note_malformed", file=file, reason_key="reason_signature_line")
        try:
            signature = base64.b64decode(match.group(2), validate=True)
        except binascii.Error:
            raise RefusedError("note_malformed", file=file,
                               reason_key="reason_signature_line") from None
        # Signatures by other keys (witnesses, a new key) are ignored, as the spec says.
        if match.group(1) == key.name and signature[:4] == key.key_id:
            signed_by_key.append(signature[4:])
    if not signed_by_key:
        raise RefusedError("not_signed_by_key", key=key.text)
    for signature in signed_by_key:
        if not ed25519_verify(key.public_key, text.encode("utf-8"), signature):
            raise RefusedError("signature_mismatch", key=key.text, file=file)
    return text


def parse_checkpoint(text: str, file: str) -> Checkpoint:
    """Origin, tree size and root hash: the first three lines of a checkpoint's text."""
    lines = text.split("\n")[:-1]
    if len(lines) < 3 or not lines[0] or not re.fullmatch(r"0|[1-9][0-9]{0,18}", lines[1]):
        raise RefusedError("note_malformed", file=file, reason_key="reason_checkpoint")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        root = b""
    if len(root) != HASH_SIZE or not all(lines[3:]):
        raise RefusedError("note_malformed", file=file, reason_key="reason_checkpoint")
    return Checkpoint(lines[0], int(lines[1]), root)


# ----------------------------------------------------------------------------------------
# Merkle tree hashes and proofs, RFC 9162 section 2.1.


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1): where RFC 9162 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes],
                     root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, proof: Sequence[bytes], first_root: bytes,
                       second_root: bytes) -> bool:
    """RFC 9162 section 2.1.4.2 (first == second: equal roots and an empty proof)."""
    if first == second:
        return not proof and first_root == second_root
    if first == 0 or first > second or not proof:
        return first == 0 and not proof  # every tree extends the empty one
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of 2
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


# ----------------------------------------------------------------------------------------
# Where the journal is published: an http(s) address or a folder. Every read is bounded.


class _SameSchemeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (urllib would follow ftp:// too)."""

    def redirect_request(  # noqa: PLR0917 (urllib's signature)
        self, req: urllib.request.Request, fp: object, code: int, msg: str, headers: object,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise CannotCheckError("bad_scheme", where=newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


class Journal:
    """Reads the journal's files; ``None`` for a file that is not there."""

    def __init__(self, where: str, timeout: float) -> None:
        where = re.sub(r"/checkpoint$", "", where.strip())  # the checkpoint's own address
        scheme = urllib.parse.urlsplit(where).scheme.lower()
        self.url: str | None = None
        self.folder = Path(where)
        self.timeout = timeout
        if scheme in ("http", "https"):
            self.url = where.rstrip("/") + "/"
            self._opener = urllib.request.build_opener(_SameSchemeRedirects)
        elif len(scheme) > 1:  # one letter is a Windows drive: C:\journal
            raise CannotCheckError("bad_scheme", where=where)
        elif not self.folder.is_dir():
            raise CannotCheckError("not_a_folder", where=where)
        self.modified: dict[str, datetime.datetime] = {}

    def name(self, path: str) -> str:
        return self.url + path if self.url else str(self.folder.joinpath(*path.split("/")))

    def read(self, path: str, limit: int) -> bytes | None:
        data = self._fetch(path, limit) if self.url else self._read_file(path, limit)
        if data is not None and len(data) > limit:
            raise RefusedError("too_large", file=self.name(path), limit=limit)
        return data

    def _read_file(self, path: str, limit: int) -> bytes | None:
        name = self.name(path)
        if not Path(name).is_file():
            return None
        try:
            with Path(name).open("rb") as file:
                data = file.read(limit + 1)
                modified = os.fstat(file.fileno()).st_mtime
        except OSError as error:
            raise CannotCheckError("unreadable_file", file=name, reason=error.strerror) from None
        self.modified[path] = datetime.datetime.fromtimestamp(modified, datetime.timezone.utc)
        return data

    def _fetch(self, path: str, limit: int) -> bytes | None:
        url = self.name(path)
        request = urllib.request.Request(url, headers={
            "Accept-Encoding": "gzip, identity", "User-Agent": "parole-verifier/1"})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                data: bytes = response.read(limit + 1024 + 1)  # room for gzip's own bytes
                encoding = response.headers.get("Content-Encoding", "identity")
                modified = response.headers.get("Last-Modified")
        except urllib.error.HTTPError as error:
            if error.code in (404, 410):
                return None
            raise CannotCheckError("http_status", file=url, status=error.code) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            raise CannotCheckError("network", file=url, reason=reason) from None
        if len(data) > limit + 1024:
            raise RefusedError("too_large", file=url, limit=limit)
        if encoding.lower() == "gzip":
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                data = inflater.decompress(data, limit + 1)
            except zlib.error:
                raise RefusedError("bad_compression", file=url) from None
        if modified:
            with contextlib.suppress(TypeError, ValueError):
                self.modified[path] = email.utils.parsedate_to_datetime(modified)
        return data


# ----------------------------------------------------------------------------------------
# Tiles (C2SP tlog-tiles): reading the tree's hashes back, then the proofs from them.


def tile_path(level: object, number: int, width: int) -> str:
    """``tile/<level>/<number in 3-digit groups>[.p/<width>]``, level an int or "entries"."""
    groups = []
    while True:
        number, group = divmod(number, 1000)
        groups.append(group)
        if number == 0:
            break
    digits = "/".join(f"x{g:03d}" for g in reversed(groups[1:]))
    path = "tile/{}/{}{:03d}".format(level, digits + "/" if digits else "", groups[0])
    return path + (f".p/{width}" if width < TILE_WIDTH else "")


class TreeReader:
    """The hashes of the tree of ``size`` leaves the journal publishes, from its tiles."""

    def __init__(self, journal: Journal, size: int) -> None:
        self.journal = journal
        self.size = size
        self.tiles: dict[tuple[int, int], bytes] = {}

    def width(self, level: int, number: int) -> int:
        """How many hashes tile ``number`` of ``level`` has in a tree of ``size`` leaves."""
        if (number + 1) << (8 * (level + 1)) <= self.size:
            return TILE_WIDTH
        return (self.size >> (8 * level)) % TILE_WIDTH

    def fetch(self, level: object, number: int, width: int, limit: int) -> tuple[bytes, str]:
        """A tile's (or entry bundle's) bytes and its path; the full tile when the partial one
        is gone (a journal may remove it once the full one is published)."""
        path = tile_path(level, number, width)
        data = self.journal.read(path, limit)
        if data is None and width < TILE_WIDTH:
            full = tile_path(level, number, TILE_WIDTH)
            data = self.journal.read(full, limit)
            if data is not None:
                return data, full
        if data is None:
            raise CannotCheckError("missing", file=self.journal.name(path))
        return data, path

    def tile(self, level: int, number: int) -> bytes:
        key = (level, number)
        if key not in self.tiles:
            width = self.width(level, number)
            data, path = self.fetch(level, number, width, TILE_LIMIT)
            expected = width * HASH_SIZE if ".p/" in path else TILE_LIMIT
            if len(data) != expected:
                raise RefusedError("wrong_size", file=self.journal.name(path), size=len(data),
                              expected=expected)
            self.tiles[key] = data[: width * HASH_SIZE]
        return self.tiles[key]

    def entries(self, number: int) -> list[bytes]:
        """Entry bundle ``number``: entries each prefixed with a big-endian uint16 length."""
        width = self.width(0, number)
        data, path = self.fetch("entries", number, width, BUNDLE_LIMIT)
        expected = width if ".p/" in path else TILE_WIDTH
        entries: list[bytes] = []
        position = 0
        while position + 2 <= len(data) and len(entries) < expected:
            end = position + 2 + int.from_bytes(data[position : position + 2], "big")
            if end > len(data):
                break
            entries.append(data[position + 2 : end])
            position = end
        if len(entries) != expected or position != len(data):
            raise RefusedError("bundle_malformed", file=self.journal.name(path), expected=expected)
        return entries[:width]

    def subtree(self, height: int, index: int) -> bytes:
        """The hash of the complete subtree of 2**height leaves starting at leaf
        ``index * 2**height``: read from the tile level holding its row, then hashed up
        through the rows the tile leaves out (as Go's tlog does)."""
        level, rest = divmod(height, 8)
        number, offset = divmod(index << rest, TILE_WIDTH)
        tile = self.tile(level, number)
        return _perfect_root(tile[offset * HASH_SIZE : (offset + (1 << rest)) * HASH_SIZE])

    def range_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for the ranges RFC 9162's recursions make."""
        n = end - start
        if n & (n - 1) == 0 and start % n == 0:
            return self.subtree(n.bit_length() - 1, start // n)
        k = _split_point(n)
        return node_hash(self.range_hash(start, start + k), self.range_hash(start + k, end))

    def inclusion_proof(self, index: int, start: int, end: int) -> list[bytes]:
        """PATH(index, D[start:end]), RFC 9162 section 2.1.3.1."""
        if end - start == 1:
            return []
        k = _split_point(end - start)
        if index < k:
            return [*self.inclusion_proof(index, start, start + k), self.range_hash(start + k, end)]
        return [*self.inclusion_proof(index - k, start + k, end), self.range_hash(start, start + k)]

    def consistency_proof(self, first: int, start: int, end: int, whole: bool) -> list[bytes]:
        """SUBPROOF(first, D[start:end], whole), RFC 9162 section 2.1.4.1."""
        if first == end - start:
            return [] if whole else [self.range_hash(start, end)]
        k = _split_point(end - start)
        if first <= k:
            return [*self.consistency_proof(first, start, start + k, whole),
                    self.range_hash(start + k, end)]
        return [*self.consistency_proof(first - k, start + k, end, False),
                self.range_hash(start, start + k)]

    def authentic(self, root: bytes) -> bool:
        """Whether every tile read so far is the signed tree's: the partial tiles and the top
        ones give ``root``, and each full tile hashes to its place in the tile above, itself
        checked the same way. Then a proof made of these tiles that fails is a real failure,
        not damaged files."""
        if self.size == 0:
            return root == hashlib.sha256(b"").digest()
        if self.range_hash(0, self.size) != root:
            return False
        pending, checked = list(self.tiles), set()
        while pending:
            level, number = pending.pop()
            if (level, number) in checked or self.width(level, number) < TILE_WIDTH:
                continue  # a partial tile: all its hashes went into the root just computed
            checked.add((level, number))
            above = self.tile(level + 1, number // TILE_WIDTH)
            offset = number % TILE_WIDTH * HASH_SIZE
            if _perfect_root(self.tiles[level, number]) != above[offset : offset + HASH_SIZE]:
                return False
            pending.append((level + 1, number // TILE_WIDTH))
        return True


def _perfect_root(row: bytes) -> bytes:
    """The root of the perfect tree whose leaves are the hashes concatenated in ``row``."""
    hashes = [row[i : i + HASH_SIZE] for i in range(0, len(row), HASH_SIZE)]
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


# ----------------------------------------------------------------------------------------
# The two checks, then the command.


class Count(int):
    """A number of answers, said "12 345 réponses" / "12,345 answers"."""


def check_receipt(tree: TreeReader, checkpoint: Checkpoint, index: int, leaf: bytes) -> None:
    """The journal holds ``leaf`` at ``index``, and its entry bundle agrees."""
    if index >= checkpoint.size:
        raise RefusedError("not_yet", count=Count(checkpoint.size), index=index)
    proof = tree.inclusion_proof(index, 0, checkpoint.size)
    number, offset = divmod(index, TILE_WIDTH)
    hashes = tree.tile(0, number)
    if not tree.authentic(checkpoint.root):
        raise RefusedError("tiles_mismatch")
    if hashes[offset * HASH_SIZE : (offset + 1) * HASH_SIZE] != leaf:
        raise RefusedError("leaf_not_here", index=index)
    if not verify_inclusion(index, checkpoint.size, leaf, proof, checkpoint.root):
        raise RefusedError("tiles_mismatch")  # not reached with authentic tiles: the RFC's check
    entries = tree.entries(number)
    for position, entry in enumerate(entries):
        if leaf_hash(entry) != hashes[position * HASH_SIZE : (position + 1) * HASH_SIZE]:
            bundle = tile_path("entries", number, len(entries))
            raise RefusedError("entries_mismatch", file=tree.journal.name(bundle))


def check_previous(tree: TreeReader, checkpoint: Checkpoint, previous: Checkpoint) -> None:
    """The journal of ``checkpoint`` extends the one of ``previous``, unchanged."""
    if previous.origin != checkpoint.origin:
        raise RefusedError("other_log", origin=previous.origin, origin_now=checkpoint.origin)
    if previous.size > checkpoint.size:
        raise RefusedError("shrunk", count=Count(previous.size), count_now=Count(checkpoint.size))
    proof: list[bytes] = []
    if 0 < previous.size < checkpoint.size:
        proof = tree.consistency_proof(previous.size, 0, checkpoint.size, True)
    if not tree.authentic(checkpoint.root):
        raise RefusedError("tiles_mismatch")
    if not verify_consistency(previous.size, checkpoint.size, proof, previous.root,
                              checkpoint.root):
        raise RefusedError("rewritten", count=Count(previous.size))


def render(language: str, problem: CheckError) -> str:
    values: dict[str, object] = {}
    for name, value in problem.values.items():
        if name == "reason_key":
            values["reason"] = say(language, str(value))
        else:
            values[name] = count_text(language, value) if isinstance(value, Count) else value
    return say(language, problem.message, **values)


def choose_language(argv: Sequence[str], environ: dict[str, str]) -> str:
    """``--language``, else the first of LC_ALL, LC_MESSAGES, LANG that says a language:
    English if it starts with "en", French otherwise."""
    for i, arg in enumerate(argv):
        value = arg[len("--language=") :] if arg.startswith("--language=") else None
        if arg == "--language" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in MESSAGES:
            return str(value)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


def build_parser(language: str) -> argparse.ArgumentParser:
    def text(key: str) -> str:
        return say(language, key)

    parser = argparse.ArgumentParser(prog="parole_verifier.py",
                                     description=text("help_description"))
    parser.add_argument("--journal", required=True, metavar="URL", help=text("help_journal"))
    keys = parser.add_mutually_exclusive_group()
    keys.add_argument("--key", metavar="KEY", help=text("help_key"))
    keys.add_argument("--key-file", metavar="FILE", help=text("help_key_file"))
    parser.add_argument("--index", type=int, metavar="N", help=text("help_index"))
    parser.add_argument("--leaf-hash", metavar="HEX", help=text("help_leaf_hash"))
    parser.add_argument("--previous", metavar="FILE", help=text("help_previous"))
    parser.add_argument("--language", choices=sorted(MESSAGES), help=text("help_language"))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=text("help_timeout"))
    return parser


def _read_local(path: str, limit: int) -> bytes:
    try:
        with Path(path).open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise CannotCheckError("unreadable_file", file=path, reason=error.strerror) from None
    if len(data) > limit:
        raise RefusedError("too_large", file=path, limit=limit)
    return data


def _leaf_hash_argument(text: str) -> bytes:
    compact = re.sub(r"\s", "", text).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", compact):
        raise CannotCheckError("bad_leaf_hash", value=text)
    return bytes.fromhex(compact)


def run(args: argparse.Namespace, language: str) -> None:
    """The checks asked for, each line said as soon as it is known; a CheckError otherwise."""
    if (args.index is None) != (args.leaf_hash is None):
        raise CannotCheckError("index_needs_hash")
    if args.index is not None and args.index < 0:
        raise CannotCheckError("bad_number", option="--index", value=args.index)
    if not args.timeout > 0:
        raise CannotCheckError("bad_number", option="--timeout", value=args.timeout)
    if args.index is None and args.previous is None:
        raise CannotCheckError("nothing_to_check")
    leaf = _leaf_hash_argument(args.leaf_hash) if args.leaf_hash is not None else b""
    journal = Journal(args.journal, args.timeout)
    key_text: bytes | None = args.key.encode("utf-8") if args.key is not None else None
    if args.key_file is not None:
        key_text = _read_local(args.key_file, 10_000)
    key_in_journal = key_text is None
    if key_text is None:
        key_text = journal.read("key.txt", 10_000)
        if key_text is None:
            raise CannotCheckError("missing", file=journal.name("key.txt"))
    key = parse_verifier_key(key_text.decode("utf-8", "replace"))
    data = journal.read("checkpoint", CHECKPOINT_LIMIT)
    if data is None:
        raise CannotCheckError("missing", file=journal.name("checkpoint"))
    checkpoint = parse_checkpoint(open_note(data, key, journal.name("checkpoint")),
                                  journal.name("checkpoint"))
    print(say(language, "signature_ok", key=key.text))
    if key_in_journal:
        print(say(language, "key_from_journal", key=key.text))
    tree = TreeReader(journal, checkpoint.size)
    if args.previous is not None:
        saved = _read_local(args.previous, CHECKPOINT_LIMIT)
        previous = parse_checkpoint(open_note(saved, key, args.previous), args.previous)
        check_previous(tree, checkpoint, previous)
        print(say(language, "consistent", count=count_text(language, previous.size),
                  count_now=count_text(language, checkpoint.size)))
    if args.index is not None:
        check_receipt(tree, checkpoint, args.index, leaf)
        published = journal.modified.get("checkpoint")
        date = say(language, "published_on", date=date_text(language, published)) \
            if published else ""
        print(say(language, "included", index=args.index, date=date,
                  count=count_text(language, checkpoint.size)))


def main(argv: Sequence[str] | None = None) -> int:
    """0 verified, 1 refused, 2 could not check."""
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):  # never fail on a console that lacks a letter
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    language = choose_language(argv, dict(os.environ))
    args = build_parser(language).parse_args(argv)
    try:
        run(args, language)
    except CheckError as problem:
        sys.stdout.flush()
        print(render(language, problem), file=sys.stderr)
        return problem.status
    return 0


if __name__ == "__main__":
    sys.exit(main())
