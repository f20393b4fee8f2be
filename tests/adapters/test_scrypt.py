"""The scrypt hasher's encoded form and its checks."""

from __future__ import annotations

import pytest

from portail_core.adapters.scrypt import ScryptHasher

PASSWORD = "Éléphant-Bleu-2024"


@pytest.fixture
def hasher() -> ScryptHasher:
    return ScryptHasher(log2_n=4)


def test_hash_records_parameters(hasher: ScryptHasher) -> None:
    encoded = hasher.hash(PASSWORD)

    assert encoded.startswith("$scrypt$ln=4,r=8,p=1$")
    assert not hasher.needs_rehash(encoded)
    assert ScryptHasher().needs_rehash(encoded)


@pytest.mark.parametrize(
    "encoded",
    [
        # Base64 without its padding.
        "$scrypt$ln=4,r=8,p=1$c2FsdA$aGFzaA",
        "$scrypt$ln=4,r=8,p=1$A$A",
        # Within the hasher's limit of 2^24, but over the memory limit of
        # hashlib.scrypt.
        "$scrypt$ln=24,r=8,p=1$c2FsdA==$aGFzaA==",
        "$scrypt$ln=17,r=999,p=1$c2FsdA==$aGFzaA==",
    ],
)
def test_unusable_hash_is_false(hasher: ScryptHasher, encoded: str) -> None:
    assert hasher.verify(PASSWORD, encoded) is False


def test_truncated_hash_is_false(hasher: ScryptHasher) -> None:
    encoded = hasher.hash(PASSWORD)

    assert hasher.verify(PASSWORD, encoded[:-1]) is False
