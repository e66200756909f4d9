"""Receipt codes: random enough to be unguessable, forgiving when a person types one."""

from __future__ import annotations

import pytest

from site_builder.storage.receipts import (
    ALPHABET,
    LENGTH,
    format_receipt,
    new_receipt,
    normalise_receipt,
)


def test_a_code_is_8_crockford_symbols_holding_40_bits() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)
    assert len(ALPHABET) ** LENGTH >= 2**40
    codes = [new_receipt() for _ in range(2000)]
    assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert len(set(codes)) == len(codes)
    # Every symbol turns up: the codes are drawn from the whole alphabet.
    assert set("".join(codes)) == set(ALPHABET)


@pytest.mark.parametrize(("typed", "code"), [
    ("ABCD-EFGH", "ABCDEFGH"),
    ("abcd efgh", "ABCDEFGH"),
    (" AbCd\u2010eFgH ", "ABCDEFGH"),
    ("O0il-L1Io", "00111110"),
    ("1234 5678", "12345678"),
])
def test_normalise_forgives_what_people_mistype(typed: str, code: str) -> None:
    assert normalise_receipt(typed) == code


@pytest.mark.parametrize("typed", ["", "ABCD-EFG", "ABCD-EFGHJ", "ABCD-EFGU", "ABCD_EFGH",
                                   "ABCDÉFGH", "<script>"])
def test_normalise_rejects_what_cannot_be_a_code(typed: str) -> None:
    assert normalise_receipt(typed) is None


def test_format_adds_a_hyphen_for_reading() -> None:
    assert format_receipt("ABCDEFGH") == "ABCD-EFGH"
    code = new_receipt()
    assert normalise_receipt(format_receipt(code)) == code
