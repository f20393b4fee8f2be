"""A scrypt password hasher built on `hashlib.scrypt`.

The defaults are OWASP's Password Storage Cheat Sheet recommendation for
scrypt: N = 2^17, r = 8, p = 1. The encoded form records the parameters
and salt, so hashes made with other parameters still verify::

    $scrypt$ln=17,r=8,p=1$<salt, base64>$<hash, base64>
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

import attrs

_ENCODED = re.compile(
    r"\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})"
    r"\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})"
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@attrs.frozen
class ScryptHasher:
    """Hashes passwords with scrypt and a random 16-byte salt.

    `log2_n` is the base-2 logarithm of the CPU and memory cost N. Memory
    use is about 128 * N * r bytes: 128 MiB with the defaults.
    """

    log2_n: int = 17
    r: int = 8
    p: int = 1
    salt_bytes: int = 16
    hash_bytes: int = 32

    def __attrs_post_init__(self) -> None:
        if not _usable(self.log2_n, self.r, self.p):
            raise ValueError(
                "ScryptHasher needs 1 <= log2_n <= 24, 1 <= r <= "
                f"{MAX_R} and 1 <= p <= {MAX_P}, with 128 * 2**log2_n * r "
                "* (p + 1) bytes under hashlib.scrypt's limit of 2 GiB."
            )

    def hash(self, password: str) -> str:
        """Return the encoded scrypt hash of `password` with a new salt."""
        salt = os.urandom(self.salt_bytes)
        digest = _scrypt(
            password,
            salt=salt,
            log2_n=self.log2_n,
            r=self.r,
            p=self.p,
            length=self.hash_bytes,
        )
        return (
            f"$scrypt$ln={self.log2_n},r={self.r},p={self.p}"
            f"${_b64(salt)}${_b64(digest)}"
        )

    def verify(self, password: str, encoded: str) -> bool:
        """Return whether `password` matches `encoded`, in constant time.

        A malformed `encoded` value, or one whose cost exceeds this
        hasher's limit of 2^24 or the memory limit of `hashlib.scrypt`,
        returns False.
        """
        match = _ENCODED.fullmatch(encoded)
        if match is None:
            return False
        log2_n, r, p = (int(group) for group in match.groups()[:3])
        if not _usable(log2_n, r, p):
            return False
        try:
            salt = base64.b64decode(match.group(4))
            expected = base64.b64decode(match.group(5))
            actual = _scrypt(
                password,
                salt=salt,
                log2_n=log2_n,
                r=r,
                p=p,
                length=len(expected),
            )
        except ValueError:
            # binascii.Error (a ValueError) for base64 with bad padding,
            # or ValueError from hashlib.scrypt for parameters whose
            # memory need exceeds its maxmem limit of 2^31 - 1 bytes.
            return False
        return hmac.compare_digest(actual, expected)

    def needs_rehash(self, encoded: str) -> bool:
        """Return whether `encoded` used other parameters than this hasher."""
        match = _ENCODED.fullmatch(encoded)
        if match is None:
            return True
        return tuple(int(group) for group in match.groups()[:3]) != (
            self.log2_n,
            self.r,
            self.p,
        )


# Limits on r and p keep a tampered stored hash from costing minutes of
# CPU in verify; OWASP's recommended settings use r = 8 and p = 1.
MAX_R = 32
MAX_P = 16
# hashlib.scrypt rejects a maxmem of 2**31 or more.
_MAX_MEMORY = 2**31 - 1


def _usable(log2_n: int, r: int, p: int) -> bool:
    """Return whether the parameters are in range and fit in memory."""
    if not (1 <= log2_n <= 24 and 1 <= r <= MAX_R and 1 <= p <= MAX_P):
        return False
    return _max_memory(1 << log2_n, r, p) <= _MAX_MEMORY


def _max_memory(n: int, r: int, p: int) -> int:
    # OpenSSL needs about 128 * N * r bytes, plus 128 * r * p; allow that
    # and a margin for its own bookkeeping.
    return 128 * n * r * (p + 1) + 1024 * 1024


def _scrypt(
    password: str, *, salt: bytes, log2_n: int, r: int, p: int, length: int
) -> bytes:
    n = 1 << log2_n
    maxmem = _max_memory(n, r, p)
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=maxmem,
        dklen=length,
    )
