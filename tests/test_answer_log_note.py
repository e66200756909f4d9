"""Signed notes, Ed25519 keys and checkpoints of the answer log (issue #19), reproduced byte
for byte from Go's golang.org/x/mod/sumdb/note and sumdb tests and the C2SP specs' examples."""

from __future__ import annotations

import base64

import pytest

from site_builder.answer_log.checkpoint import (
    Checkpoint,
    open_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
)
from site_builder.answer_log.errors import CheckpointError, KeyTextError, LogError, NoteError
from site_builder.answer_log.merkle import leaf_hash
from site_builder.answer_log.note import (
    SignerKey,
    VerifierKey,
    generate_key,
    open_note,
    sign_note,
)
from site_builder.messages import speaking

# golang.org/x/mod sumdb/note/note_test.go and example_test.go.
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = ("If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n")
PETER_SIG = ("— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvq"
             "fqdngotpRZb6KE6RyyBwJnAM=\n")
ENOCH_SIG = ("— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOT"
             "GwnWLox33WWd1RvMc+QQ=\n")
# golang.org/x/mod sumdb/client_test.go: the test server's key and two of its signed trees.
SUMDB_VKEY = "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6"
SUMDB_SKEY = ("PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXH"
              "DfDGxSPk")
SUMDB_TREE_6 = ("go.sum database tree\n6\nwc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM=\n\n"
                "— localhost.localdev/sumdb AAAMZ6oRNswlEZ6ZZhxrCvgl1MBy+nusq4JU+TG6Fe2NihWLqOzb+"
                "y2c2kzRLoCr4tvw9o36ucQEnhc20e4nA4Qc/wc=\n")


def peter() -> VerifierKey:
    return VerifierKey.parse(PETER_VKEY)


def test_go_keys_parse_and_print_back() -> None:
    assert peter().text == PETER_VKEY and peter().key_id == 0xc74f20a3
    signer = SignerKey.parse(PETER_SKEY)
    assert signer.text == PETER_SKEY
    assert signer.verifier == peter()
    assert "AYEKF" not in repr(signer) and signer.seed.hex() not in repr(signer)


def test_a_key_generated_from_a_zero_seed_is_gos() -> None:
    """example_test.go generates EnochRoot's key from a reader of zeroes."""
    enoch = generate_key("EnochRoot", seed=bytes(32))
    assert enoch.verifier.text == ENOCH_VKEY
    assert SignerKey.parse(enoch.text) == enoch


def test_a_generated_key_signs_and_verifies() -> None:
    key = generate_key("consultation.example.org/journal")
    assert SignerKey.parse(key.text) == key
    assert VerifierKey.parse(key.verifier.text) == key.verifier
    note = open_note(sign_note("hi\n", key).encode(), [key.verifier])
    assert note.text == "hi\n"
    assert generate_key("consultation.example.org/journal") != key


def test_signing_is_byte_for_byte_gos() -> None:
    assert sign_note(TEXT, SignerKey.parse(PETER_SKEY)) == TEXT + "\n" + PETER_SIG
    assert sign_note(TEXT, SignerKey.parse(PETER_SKEY), generate_key("EnochRoot", bytes(32))) \
        == TEXT + "\n" + PETER_SIG + ENOCH_SIG
    with pytest.raises(NoteError) as refused:
        sign_note("abc", SignerKey.parse(PETER_SKEY))
    assert refused.value.key == "answer_log.note.text_end"


@pytest.mark.parametrize(("text", "key"), [
    (PETER_VKEY[:-1], "answer_log.key.verifier_format"),
    ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
     "answer_log.key.verifier_format"),
    ("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
     "answer_log.key.verifier_format"),
    ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
     "answer_log.key.id_mismatch"),
    # note_test.go: wrong length key and unknown algorithm, each with its key ID adjusted.
    ("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
     "answer_log.key.verifier_format"),
    ("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
     "answer_log.key.algorithm"),
])
def test_malformed_verifier_keys_say_why(text: str, key: str) -> None:
    with pytest.raises(KeyTextError) as refused:
        VerifierKey.parse(text)
    assert refused.value.key == key


@pytest.mark.parametrize(("good", "parse"), [(PETER_VKEY, VerifierKey.parse),
                                             (PETER_SKEY, SignerKey.parse)])
def test_every_mangled_key_is_refused(good: str, parse: object) -> None:
    """note_test.go TestNewVerifier, TestNewSigner: every part of a key, and every character
    changed by one, is refused."""
    assert callable(parse)
    manglings = [good[start:end] for start in range(len(good) + 1)
                 for end in range(start + 1, len(good) + 1) if (start, end) != (0, len(good))]
    manglings += [good[:i] + chr(ord(good[i]) + 1) + good[i + 1:] for i in range(len(good))]
    for mangled in manglings:
        with pytest.raises(KeyTextError):
            parse(mangled)


def test_a_key_name_must_have_no_space_or_plus() -> None:
    for name in ("", "a b", "a+b", "tab\tname"):
        with pytest.raises(KeyTextError) as refused:
            generate_key(name)
        assert refused.value.key == "answer_log.key.name"


def test_open_checks_trusted_signatures_and_keeps_the_others() -> None:
    """note_test.go TestOpen."""
    enoch = VerifierKey.parse(ENOCH_VKEY)
    note = open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [peter()])
    assert note.text == TEXT
    assert [signature.key for signature in note.signatures] == ["PeterNeumann+c74f20a3"]
    assert [signature.key for signature in note.unverified] == ["EnochRoot+af0cfe78"]
    both = open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [peter(), enoch])
    assert len(both.signatures) == 2 and both.unverified == ()
    doubled = open_note((TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG).encode(),
                        [peter()])
    assert len(doubled.signatures) == 1 and len(doubled.unverified) == 1


def test_a_note_without_a_trusted_signature_is_refused() -> None:
    with pytest.raises(NoteError) as refused:
        open_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode(), [])
    assert refused.value.key == "answer_log.note.unknown_key"
    assert "PeterNeumann+c74f20a3, EnochRoot+af0cfe78" in str(refused.value)
    with pytest.raises(NoteError) as refused:
        open_note((TEXT + "\n" + ENOCH_SIG).encode(), [peter()])
    assert refused.value.key == "answer_log.note.unknown_key"


@pytest.mark.parametrize(("message", "key"), [
    # note_test.go's bad messages, each now with the reason it is refused.
    (TEXT.encode(), "answer_log.note.no_signatures"),
    ((TEXT + "\n").encode(), "answer_log.note.no_signatures"),
    ((TEXT + "\n" + PETER_SIG[:-1]).encode(), "answer_log.note.no_signatures"),
    (("\x01" + TEXT + "\n" + PETER_SIG).encode(), "answer_log.note.control_character"),
    (b"\xff" + (TEXT + "\n" + PETER_SIG).encode(), "answer_log.note.not_utf8"),
    ((TEXT + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKv"
      "qfqdngotpRZb6KE6RyyBwJnAM=").encode(), "answer_log.note.no_signatures"),
    ((TEXT + "\n" + PETER_SIG + "Unexpected line.\n").encode(), "answer_log.note.signature_line"),
    ((TEXT + "\n" + PETER_SIG * 101).encode(), "answer_log.note.too_many_signatures"),
    ((TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]).encode(),
     "answer_log.note.bad_signature"),
    ((TEXT.replace("answer", "solution") + "\n" + PETER_SIG).encode(),
     "answer_log.note.bad_signature"),
    ((TEXT + "\n" + PETER_SIG).replace("\n", "\r\n").encode(),
     "answer_log.note.control_character"),
    ((TEXT + "\n— PeterNeumann !!!!\n").encode(), "answer_log.note.signature_line"),
    ((TEXT + "\n— PeterNeumann AAAA\n").encode(), "answer_log.note.signature_line"),
    (b"x" * 1_000_001, "answer_log.note.too_long"),
])
def test_malformed_or_altered_notes_are_refused(message: bytes, key: str) -> None:
    with pytest.raises(NoteError) as refused:
        open_note(message, [peter()])
    assert refused.value.key == key


def test_a_refusal_says_where() -> None:
    with pytest.raises(NoteError, match="line 5 of the signed note"):
        open_note((TEXT + "\n" + PETER_SIG + "Unexpected line.\n").encode(), [peter()])
    with pytest.raises(NoteError, match=r"U\+000D\) on line 1"):
        open_note((TEXT + "\n" + PETER_SIG).replace("\n", "\r\n").encode(), [peter()])


def test_the_signed_note_spec_example_verifies() -> None:
    """c2sp.org/signed-note, "Example"."""
    key = VerifierKey.parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
    note = open_note(b"This is an example message.\n\n\xe2\x80\x94 example.com/foo Uw2QOkn8srV1yJG"
                     b"h2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQ"
                     b"M=\n", [key])
    assert note.text == "This is an example message.\n"


def test_sumdbs_signed_tree_is_a_checkpoint_we_verify_and_sign_alike() -> None:
    """A tree note of Go's checksum database test server: verified, parsed, and signed again
    to the same bytes (Ed25519 signatures are deterministic)."""
    checkpoint = open_checkpoint(SUMDB_TREE_6.encode(), VerifierKey.parse(SUMDB_VKEY))
    assert checkpoint == Checkpoint("go.sum database tree", 6, base64.b64decode(
        "wc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM="))
    assert sign_checkpoint(checkpoint, SignerKey.parse(SUMDB_SKEY)) == SUMDB_TREE_6
    forged = SUMDB_TREE_6.replace("\n6\n", "\n7\n").encode()
    with pytest.raises(NoteError) as refused:
        open_checkpoint(forged, VerifierKey.parse(SUMDB_VKEY))
    assert refused.value.key == "answer_log.note.bad_signature"


def test_sumdbs_tree_format_example() -> None:
    """sumdb/tlog note_test.go: the tree head of the record "hello world", and its bad trees."""
    text = "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"
    checkpoint = parse_checkpoint(text)
    assert (checkpoint.size, checkpoint.root) == (123456789012, leaf_hash(b"hello world"))
    assert checkpoint.text == text
    with pytest.raises(CheckpointError) as refused:
        parse_checkpoint(text.replace("123456789012", "0xabcdef"))
    assert refused.value.key == "answer_log.checkpoint.size"
    with pytest.raises(CheckpointError) as refused:
        parse_checkpoint(text.replace("BTOOBIG=", "").replace("Bb0=", "BTOOBIG="))
    assert refused.value.key == "answer_log.checkpoint.root"


def test_the_checkpoint_spec_example_parses() -> None:
    """c2sp.org/tlog-checkpoint: its example, signed by a key we do not have."""
    message = ("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
               "\n\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe"
               "4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n")
    text = message[:message.index("\n\n") + 1]
    assert parse_checkpoint(text).size == 20852163
    with pytest.raises(NoteError) as refused:
        open_checkpoint(message.encode(), peter())
    assert "example.com/behind-the-sofa+033de0ae" in str(refused.value)


def test_a_checkpoint_round_trips_with_extension_lines() -> None:
    key = generate_key("consultation.example.org/journal")
    checkpoint = Checkpoint("consultation.example.org/journal", 0, bytes(32), ("note a", "b"))
    signed = sign_checkpoint(checkpoint, key)
    assert signed.startswith(f"consultation.example.org/journal\n0\n{'A' * 43}=\nnote a\nb\n\n")
    assert open_checkpoint(signed.encode(), key.verifier,
                           origin="consultation.example.org/journal") == checkpoint


@pytest.mark.parametrize(("text", "key"), [
    ("origin\n12\n", "answer_log.checkpoint.lines"),
    ("origin\n12\n" + "A" * 43 + "=", "answer_log.checkpoint.lines"),
    ("\n12\n" + "A" * 43 + "=\n", "answer_log.checkpoint.origin"),
    ("origin\n012\n" + "A" * 43 + "=\n", "answer_log.checkpoint.size"),
    ("origin\n-1\n" + "A" * 43 + "=\n", "answer_log.checkpoint.size"),
    ("origin\n12\n" + "A" * 42 + "==\n", "answer_log.checkpoint.root"),
    ("origin\n12\n" + "A" * 43 + "\n", "answer_log.checkpoint.root"),
    ("origin\n12\n" + "A" * 43 + "=\n\n", "answer_log.checkpoint.extension"),
])
def test_malformed_checkpoints_say_which_line(text: str, key: str) -> None:
    with pytest.raises(CheckpointError) as refused:
        parse_checkpoint(text)
    assert refused.value.key == key


def test_a_checkpoint_of_another_log_or_key_is_refused() -> None:
    key = generate_key("consultation.example.org/journal")
    signed = sign_checkpoint(Checkpoint("consultation.example.org/journal", 3, bytes(32)), key)
    with pytest.raises(CheckpointError) as refused:
        open_checkpoint(signed.encode(), key.verifier, origin="other.example.org/journal")
    assert refused.value.key == "answer_log.checkpoint.wrong_origin"
    impostor = generate_key("consultation.example.org/journal")
    with pytest.raises(NoteError) as unsigned:
        open_checkpoint(signed.encode(), impostor.verifier)
    assert unsigned.value.key == "answer_log.note.unknown_key"


def test_refusals_are_said_in_french_too() -> None:
    with speaking("fr"), pytest.raises(LogError, match="n'est pas une taille d'arbre"):
        parse_checkpoint("origin\nx\n" + "A" * 43 + "=\n")
