"""Tests of verification codes and their HMAC signer, `CodeSigner`."""

from __future__ import annotations

import hmac
import string
from collections import Counter
from typing import Any

import pytest

from portail_core.signup import CodeSigner, generate_code
from portail_core.signup._codes import MIN_KEY_BYTES, generate_token

OLD_KEY = b"o" * 32
NEW_KEY = b"n" * 32
CONTEXT = "signup:flow-1:parent@courriel.example"


def test_signer_signs_with_first_key() -> None:
    rotated = CodeSigner((NEW_KEY, OLD_KEY))
    digest = rotated.sign("123456", context=CONTEXT)
    assert digest == CodeSigner((NEW_KEY,)).sign("123456", context=CONTEXT)
    assert digest != CodeSigner((OLD_KEY,)).sign("123456", context=CONTEXT)


def test_signer_verifies_with_old_key() -> None:
    digest = CodeSigner((OLD_KEY,)).sign("123456", context=CONTEXT)
    rotated = CodeSigner((NEW_KEY, OLD_KEY))
    assert rotated.verify("123456", digest, context=CONTEXT)


def test_signer_verifies_with_new_key() -> None:
    digest = CodeSigner((NEW_KEY,)).sign("123456", context=CONTEXT)
    rotated = CodeSigner((NEW_KEY, OLD_KEY))
    assert rotated.verify("123456", digest, context=CONTEXT)


def test_removed_key_no_longer_verifies() -> None:
    digest = CodeSigner((OLD_KEY,)).sign("123456", context=CONTEXT)
    assert not CodeSigner((NEW_KEY,)).verify("123456", digest, context=CONTEXT)


def test_signer_rejects_wrong_code() -> None:
    signer = CodeSigner((NEW_KEY, OLD_KEY))
    digest = signer.sign("123456", context=CONTEXT)
    assert not signer.verify("123457", digest, context=CONTEXT)


def test_code_bound_to_context() -> None:
    signer = CodeSigner((NEW_KEY,))
    digest = signer.sign("123456", context="signup:flow-1:a@courriel.example")
    other_flow = "signup:flow-2:a@courriel.example"
    assert not signer.verify("123456", digest, context=other_flow)


@pytest.mark.parametrize(
    "context",
    [
        "recovery:flow-1:a@courriel.example",
        "signup:flow-1:b@courriel.example",
    ],
    ids=["purpose", "email"],
)
def test_code_bound_to_purpose_and_email(context: str) -> None:
    signer = CodeSigner((NEW_KEY,))
    digest = signer.sign("123456", context="signup:flow-1:a@courriel.example")
    assert not signer.verify("123456", digest, context=context)


def test_context_and_code_not_mixed() -> None:
    # Moving characters between context and code changes the message.
    signer = CodeSigner((NEW_KEY,))
    digest = signer.sign("123456", context="signup:flow-1")
    assert not signer.verify("23456", digest, context="signup:flow-11")


def test_signer_needs_a_key() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        CodeSigner(())


@pytest.mark.parametrize("length", [0, 16, MIN_KEY_BYTES - 1])
def test_signer_rejects_short_key(length: int) -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        CodeSigner((b"k" * length,))


def test_signer_rejects_short_old_key() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        CodeSigner((NEW_KEY, b"k" * (MIN_KEY_BYTES - 1)))


def test_signer_accepts_minimum_key() -> None:
    signer = CodeSigner((b"k" * MIN_KEY_BYTES,))
    assert len(signer.keys) == 1


@pytest.mark.parametrize(
    "key",
    ["k" * 32, bytearray(b"k" * 32), memoryview(b"k" * 32), 12345],
    ids=["str", "bytearray", "memoryview", "int"],
)
def test_signer_rejects_non_bytes(key: Any) -> None:
    with pytest.raises(TypeError, match="must be bytes"):
        CodeSigner((key,))


def test_signer_rejects_bare_bytes() -> None:
    # A key passed without its tuple would be read as a list of ints.
    with pytest.raises(TypeError, match="must be bytes"):
        CodeSigner(NEW_KEY)  # type: ignore[arg-type]


def test_signer_repr_hides_keys() -> None:
    text = repr(CodeSigner((NEW_KEY, OLD_KEY)))
    assert "nnnn" not in text
    assert "oooo" not in text
    assert "2 keys" in text


class _CountingNew:
    """Stands in for `hmac.new`, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self._new = hmac.new

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self._new(*args, **kwargs)


@pytest.fixture
def hmac_calls(monkeypatch: pytest.MonkeyPatch) -> _CountingNew:
    counter = _CountingNew()
    monkeypatch.setattr(hmac, "new", counter)
    return counter


def test_verify_none_digest_is_false() -> None:
    signer = CodeSigner((NEW_KEY,))
    assert not signer.verify("123456", None, context=CONTEXT)


def test_verify_placeholder_digest_is_false() -> None:
    # The placeholder compared when no code is active must not verify
    # when a caller passes it as a digest.
    signer = CodeSigner((NEW_KEY,))
    assert not signer.verify("123456", "0" * 64, context=CONTEXT)


def test_verify_none_computes_every_hmac(hmac_calls: _CountingNew) -> None:
    signer = CodeSigner((NEW_KEY, OLD_KEY, b"x" * 32))
    signer.verify("123456", None, context=CONTEXT)
    assert hmac_calls.calls == 3


def test_verify_none_costs_like_digest(hmac_calls: _CountingNew) -> None:
    signer = CodeSigner((NEW_KEY, OLD_KEY))
    digest = CodeSigner((OLD_KEY,)).sign("123456", context=CONTEXT)
    hmac_calls.calls = 0
    signer.verify("123456", digest, context=CONTEXT)
    with_digest = hmac_calls.calls
    hmac_calls.calls = 0
    signer.verify("123456", None, context=CONTEXT)
    assert hmac_calls.calls == with_digest


def test_verify_match_checks_every_key(hmac_calls: _CountingNew) -> None:
    # A match under the first key must not end the loop early.
    signer = CodeSigner((NEW_KEY, OLD_KEY))
    digest = signer.sign("123456", context=CONTEXT)
    hmac_calls.calls = 0
    assert signer.verify("123456", digest, context=CONTEXT)
    assert hmac_calls.calls == 2


@pytest.mark.parametrize("digits", [1, 4, 6, 8, 12])
def test_code_has_exact_digits(digits: int) -> None:
    for _ in range(200):
        code = generate_code(digits)
        assert len(code) == digits
        assert set(code) <= set(string.digits)


def test_code_keeps_leading_zeros() -> None:
    # One code in ten starts with 0: 1000 draws miss it with
    # probability 0.9**1000, about 1e-46.
    codes = [generate_code(6) for _ in range(1000)]
    assert any(code.startswith("0") for code in codes)


def test_code_digits_all_appear() -> None:
    # A coarse check of uniformity: every digit shows at every position.
    # A fair draw misses one with probability below 10 * 0.9**1000.
    codes = [generate_code(6) for _ in range(1000)]
    for position in range(6):
        seen = Counter(code[position] for code in codes)
        assert set(seen) == set(string.digits), position


def test_codes_differ() -> None:
    codes = {generate_code(6) for _ in range(100)}
    # 100 draws from a million values collide about once in 200 runs,
    # so far fewer distinct codes means the generator repeats itself.
    assert len(codes) >= 95


def test_tokens_are_long_and_distinct() -> None:
    tokens = {generate_token() for _ in range(100)}
    assert len(tokens) == 100
    assert min(len(token) for token in tokens) >= 43
