"""The scrypt hasher passes the password hasher suite."""

from __future__ import annotations

from portail_core.adapters.scrypt import ScryptHasher
from portail_core.ports import PasswordHasher
from portail_core.testing.contracts import PasswordHasherContract


class TestScryptHasher(PasswordHasherContract):
    malformed_hashes = (
        *PasswordHasherContract.malformed_hashes,
        "$scrypt$ln=25,r=8,p=1$c2FsdA==$aGFzaA==",
        "$scrypt$ln=24,r=8,p=1$c2FsdA==$aGFzaA==",
        "$scrypt$ln=17,r=999,p=1$c2FsdA==$aGFzaA==",
        "$scrypt$ln=17,r=8,p=0$c2FsdA==$aGFzaA==",
    )

    def make_password_hasher(self) -> PasswordHasher:
        return ScryptHasher(log2_n=4)
