"""Verification codes: generated with `secrets`, stored only as an HMAC.

A code is a string of decimal digits drawn uniformly with
`secrets.randbelow`. Stores never see it: a flow keeps only the HMAC-SHA256
of the code bound to the flow's id, purpose and email key, so a stolen
database yields no usable code, and a code is useless on any other flow.

Keys rotate: `CodeSigner` signs with its first key and accepts a digest
made with any of its keys. Every check computes the HMAC under every key
and compares in constant time, whether or not a code is active, so the
time a check takes reveals nothing about the flow.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Sequence

import attrs

# RFC 2104 advises keys at least as long as the hash output, 32 bytes for
# SHA-256; shorter keys are rejected as a configuration error.
MIN_KEY_BYTES = 32


def generate_code(digits: int) -> str:
    """Return a uniformly random code of `digits` decimal digits."""
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def normalize_code(text: str, digits: int) -> str | None:
    """Return the code in `text`, or None when `text` cannot be one.

    Spaces and dashes that a parent types or copies between digit groups
    are dropped, and full-width digits become ASCII by NFKC.
    """
    compact = "".join(unicodedata.normalize("NFKC", text).split())
    compact = compact.replace("-", "")
    if len(compact) != digits or not (compact.isascii() and compact.isdigit()):
        return None
    return compact


def generate_token() -> str:
    """Return a random URL-safe token with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def _check_keys(keys: Sequence[bytes]) -> tuple[bytes, ...]:
    checked = tuple(keys)
    if not checked:
        raise ValueError("CodeSigner needs at least one key.")
    for key in checked:
        if not isinstance(key, bytes):
            raise TypeError(
                f"CodeSigner keys must be bytes, not {type(key).__name__}."
            )
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(
                f"CodeSigner keys must have at least {MIN_KEY_BYTES} bytes; "
                f"generate one with secrets.token_bytes({MIN_KEY_BYTES})."
            )
    return checked


@attrs.frozen(repr=False)
class CodeSigner:
    """HMAC-SHA256 over codes and tokens, with rotatable secret keys.

    The first key signs; every key verifies. To rotate, put the new key
    first and keep the old one until the codes it signed have expired.
    """

    keys: tuple[bytes, ...] = attrs.field(converter=_check_keys)

    def sign(self, secret: str, *, context: str) -> str:
        """Return the hex HMAC of `secret` bound to `context`."""
        return _mac(self.keys[0], secret, context)

    def verify(self, secret: str, digest: str | None, *, context: str) -> bool:
        """Return whether `digest` is the HMAC of `secret` under any key.

        With `digest` None (no active code), the HMACs are still computed
        and compared against a placeholder, so the call takes the same
        time either way.
        """
        expected = digest if digest is not None else "0" * 64
        matched = False
        for key in self.keys:
            candidate = _mac(key, secret, context)
            matched |= hmac.compare_digest(candidate, expected)
        return matched and digest is not None

    def __repr__(self) -> str:
        return f"CodeSigner(<{len(self.keys)} keys hidden>)"


def _mac(key: bytes, secret: str, context: str) -> str:
    message = f"{context}\x00{secret}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()
