"""Contract suite of the `PasswordHasher` port."""

from __future__ import annotations

import pytest

from portail_core.ports import PasswordHasher

PASSWORD = "Éléphant-Bleu-2024"  # noqa: S105 - a test value

PASSWORDS = {
    "ascii": "Hiver-Soleil42",
    "accented": PASSWORD,
    # Œ is not in Latin-1, so a hasher that encodes to Latin-1 fails.
    "ligature": "Cœur-de-Pirate-1991",
    "spaces": "Mon chien Pistache a 3 ans!",
    # Four bytes in UTF-8, outside the Basic Multilingual Plane.
    "emoji": "Érable🍁Sirop-2024",
    "cyrillic": "Пароль-Монреаль-7",
    "japanese": "東京タワー-Québec-2024",
    "max-length": "Éléphant-" * 7 + "A",
}
"""Passwords in NFC, as `PasswordPolicy.parse` hands them to the hasher."""

WRONG_PASSWORDS = {
    "lowercase": (PASSWORD, "éléphant-bleu-2024"),
    "unaccented": (PASSWORD, "Elephant-Bleu-2024"),
    "trailing-space": (PASSWORD, PASSWORD + " "),
    "prefix": (PASSWORD, PASSWORD[:-1]),
    "doubled": (PASSWORD, PASSWORD + PASSWORD),
    "empty": (PASSWORD, ""),
    "ligature-spelled-out": (PASSWORDS["ligature"], "Coeur-de-Pirate-1991"),
    "ligature-replaced": (PASSWORDS["ligature"], "C?ur-de-Pirate-1991"),
    "emoji-replaced": (PASSWORDS["emoji"], "Érable?Sirop-2024"),
    # The first 77 UTF-8 bytes agree, so a hasher that keeps only the
    # first 72 bytes, as bcrypt does, accepts the wrong one.
    "after-72-bytes": (PASSWORDS["max-length"], "Éléphant-" * 7 + "B"),
}
"""Pairs of a password and another one that must not verify against it."""


def _shorten(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _altered(encoded: str) -> str:
    """Return `encoded` with one letter or digit changed, three quarters
    of the way in, where the digest usually is. The last characters are
    avoided because base64 may ignore their low bits."""
    index = 3 * len(encoded) // 4
    while index < len(encoded) - 1 and not encoded[index].isalnum():
        index += 1
    character = encoded[index]
    if character.isdigit():
        replacement = str((int(character) + 1) % 10)
    elif character.isalpha() and character.swapcase() != character:
        replacement = character.swapcase()
    else:
        replacement = "A" if character != "A" else "B"
    return encoded[:index] + replacement + encoded[index + 1 :]


class PasswordHasherContract:
    """Contract tests of a `PasswordHasher` adapter.

    Subclass it in a test module, under a name that starts with ``Test``,
    and give it the hasher: override `make_password_hasher`, or the
    `password_hasher` fixture when it needs other fixtures. Use the
    cheapest cost parameters the hasher accepts, since the tests hash and
    verify several dozen times::

        from portail_core.testing.contracts import PasswordHasherContract

        class TestArgon2Hasher(PasswordHasherContract):
            malformed_hashes = (
                *PasswordHasherContract.malformed_hashes,
                "$argon2id$v=19$m=1,t=1,p=1$$",
            )

            def make_password_hasher(self):
                return Argon2Hasher(time_cost=1, memory_cost=8)

    The tests check that each hash has its own salt and does not contain
    the password. `verify` must return True for the password hashed, and
    False for any other, including one that differs only after its 72nd
    byte. For a malformed hash it must return False without raising.
    Passwords arrive in NFC, so the hasher need not normalize them.
    """

    malformed_hashes: tuple[str, ...] = (
        "",
        " ",
        PASSWORD,
        "pas un hachage",
        "$",
        "$$$$",
        "$scrypt$",
        "$scrypt$ln=17,r=8,p=1$$",
        "$scrypt$ln=17,r=8,p=1$c2Vs$aGFjaA",
        "$scrypt$ln=1,r=8,p=1$A$A",
        "$scrypt$ln=0,r=8,p=1$c2FsdA==$aGFzaA==",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
        "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        "pbkdf2_sha256$600000$sel$aGFjaGFnZQ==",
        "\x00",
        "é" * 64,
        "$" * 10_000,
    )
    """Values that `verify` must reject. Extend the tuple in a subclass
    with malformed values of the hasher's own format."""

    def make_password_hasher(self) -> PasswordHasher:
        """Return the hasher to test."""
        raise NotImplementedError(
            f"{type(self).__name__} has no hasher to test: override "
            "make_password_hasher() or the password_hasher fixture."
        )

    @pytest.fixture
    def password_hasher(self) -> PasswordHasher:
        """Return the hasher under test, from `make_password_hasher`."""
        return self.make_password_hasher()

    def test_hash_is_salted(self, password_hasher: PasswordHasher) -> None:
        """Two hashes of one password differ, and neither contains it."""
        first = password_hasher.hash(PASSWORD)
        second = password_hasher.hash(PASSWORD)

        assert isinstance(first, str)
        assert first != second, "two hashes of one password are equal"
        assert PASSWORD not in first, "the hash contains the password"

    @pytest.mark.parametrize("password", PASSWORDS.values(), ids=PASSWORDS)
    def test_right_password_verifies(
        self, password_hasher: PasswordHasher, password: str
    ) -> None:
        """verify returns True for the password that was hashed."""
        encoded = password_hasher.hash(password)

        assert password_hasher.verify(password, encoded) is True

    @pytest.mark.parametrize(
        ("password", "wrong"), WRONG_PASSWORDS.values(), ids=WRONG_PASSWORDS
    )
    def test_wrong_password_fails(
        self, password_hasher: PasswordHasher, password: str, wrong: str
    ) -> None:
        """verify returns False for any other password, however close."""
        encoded = password_hasher.hash(password)

        assert password_hasher.verify(wrong, encoded) is False

    def test_malformed_hash_is_false(
        self, password_hasher: PasswordHasher
    ) -> None:
        """verify returns False, without raising, for a value that is not
        a hash of the password: garbage, other formats, or a real hash
        truncated, extended or with one character changed."""
        encoded = password_hasher.hash(PASSWORD)
        values = [
            *self.malformed_hashes,
            encoded[:-1],
            encoded[: len(encoded) // 2],
            encoded + "A",
            encoded + "$",
            _altered(encoded),
        ]

        problems = []
        for value in values:
            try:
                result = password_hasher.verify(PASSWORD, value)
            except Exception as error:  # reported below, with the value
                problems.append(f"{_shorten(value)} raised {error!r}")
            else:
                if result is not False:
                    problems.append(f"{_shorten(value)} returned {result!r}")

        assert not problems, (
            "verify must return False for a malformed hash:\n  "
            + "\n  ".join(problems)
        )
