"""Time portail-core's operations beside the primitives they wrap.

Each row runs a library operation and the raw primitive under it in the
same process, alternating their repeats, and prints the time of each and
their ratio. Timings use `timeit`, which turns the garbage collector off
while it times. The ratio is that of the two minimum times; the median of
the ratios of each pair of repeats is printed beside it, to show how much
the machine's load moved the result.

Run from the repository's root, in the project's virtual environment:

    python bench/run.py            # the standard run: 100,000 students
    python bench/run.py --full     # 1,000,000 students, about 90 s
    python bench/run.py --quick    # two repeats, small sizes: a smoke run

The output is a Markdown table, ready to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import hmac
import importlib
import math
import os
import platform
import random
import re
import resource
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email
from unidecode import unidecode

import portail_core
from portail_core import (
    ChildClaim,
    Email,
    InvalidEmailError,
    InvalidPermanentCodeError,
    PermanentCode,
    PersonName,
    RecordNumber,
    StudentRecord,
)
from portail_core.adapters.clock import ManualClock
from portail_core.adapters.memory import MemorySchoolRecords
from portail_core.adapters.sqlite import SQLiteDatabase
from portail_core.compose import in_memory
from portail_core.values import matching_key

ROOT = Path(__file__).resolve().parent.parent

ORGANIZATION_CODE = "741000"
ORGANIZATION_TYPED = "CSS du Chemin-du-Roy"
PASSWORD = "Éléphant-Bleu-2024"  # noqa: S105 - fictional benchmark data
TODAY = dt.date(2026, 9, 1)


@dataclass(frozen=True)
class Mode:
    """Sizes and repeat counts of one kind of run."""

    name: str
    repeats: int
    value_rounds: int
    """Passes over a value set per timed repeat."""
    value_repeats: int
    """Timed repeats of the value rows: many short ones, so that the
    minimum of each side falls in a moment when the machine was idle."""
    signups: int
    """Whole sign-ups per timed repeat, in memory."""
    sqlite_signups: int
    roster_small: int
    roster_large: int
    lookups: int
    memory_students: int
    import_repeats: int


MODES = {
    "quick": Mode(
        name="quick",
        repeats=2,
        value_rounds=1,
        value_repeats=2,
        signups=3,
        sqlite_signups=2,
        roster_small=1_000,
        roster_large=10_000,
        lookups=2_000,
        memory_students=10_000,
        import_repeats=2,
    ),
    "standard": Mode(
        name="standard",
        repeats=20,
        value_rounds=2,
        value_repeats=200,
        signups=10,
        sqlite_signups=4,
        roster_small=10_000,
        roster_large=100_000,
        lookups=50_000,
        memory_students=100_000,
        import_repeats=7,
    ),
    "full": Mode(
        name="full",
        repeats=40,
        value_rounds=2,
        value_repeats=400,
        signups=10,
        sqlite_signups=4,
        roster_small=10_000,
        roster_large=1_000_000,
        lookups=200_000,
        memory_students=1_000_000,
        import_repeats=11,
    ),
}


@dataclass
class Row:
    """One line of the result table."""

    measure: str
    library: str
    primitive: str
    ratio: str
    median: str
    target: str
    met: str


@dataclass
class Pair:
    """Best and paired times of a library operation and its primitive."""

    library: float
    primitive: float
    paired_median: float

    @property
    def ratio(self) -> float:
        return self.library / self.primitive


def compare(
    library: Callable[[], object],
    primitive: Callable[[], object],
    *,
    number: int,
    repeats: int,
    per_call: int = 1,
) -> Pair:
    """Time both callables `repeats` times, alternating which goes first.

    Returns the minimum time per operation of each, in seconds, where one
    call of a callable performs `per_call` operations.
    """
    # One untimed call each warms caches (bundled data, bytecode, the
    # validator's tables) so that neither side pays a first-use cost.
    library()
    primitive()
    timers = (timeit.Timer(library), timeit.Timer(primitive))
    library_times: list[float] = []
    primitive_times: list[float] = []
    for repeat in range(repeats):
        order = (0, 1) if repeat % 2 == 0 else (1, 0)
        results = [0.0, 0.0]
        for side in order:
            results[side] = timers[side].timeit(number) / (number * per_call)
        library_times.append(results[0])
        primitive_times.append(results[1])
    return Pair(
        library=min(library_times),
        primitive=min(primitive_times),
        paired_median=statistics.median(
            lib / prim
            for lib, prim in zip(library_times, primitive_times, strict=True)
        ),
    )


def compare_each(
    values: tuple[str, ...],
    library: Callable[[str], object],
    primitive: Callable[[str], object],
    *,
    number: int,
    repeats: int,
) -> Pair:
    """Time both functions on each value apart, `number` calls at a time.

    Each timing lasts microseconds, so that on a loaded machine many of
    them run uninterrupted: the minimum for each value is then its cost.
    Returns the mean over the values of those minimums, for each side.
    """
    timers = [
        (
            timeit.Timer(functools.partial(library, value)),
            timeit.Timer(functools.partial(primitive, value)),
        )
        for value in values
    ]
    best = [[math.inf, math.inf] for _ in values]
    ratios = []
    for repeat in range(repeats + 1):
        totals = [0.0, 0.0]
        order = (0, 1) if repeat % 2 == 0 else (1, 0)
        for index, pair in enumerate(timers):
            for side in order:
                elapsed = pair[side].timeit(number) / number
                totals[side] += elapsed
                if repeat:  # the first round only warms caches
                    best[index][side] = min(best[index][side], elapsed)
        if repeat:
            ratios.append(totals[0] / totals[1])
    return Pair(
        library=statistics.fmean(times[0] for times in best),
        primitive=statistics.fmean(times[1] for times in best),
        paired_median=statistics.median(ratios),
    )


def ratio_row(
    measure: str, pair: Pair, target: float, *, unit: str = "µs"
) -> Row:
    scale = 1e3 if unit == "ms" else 1e6
    return Row(
        measure=measure,
        library=f"{pair.library * scale:,.2f} {unit}",
        primitive=f"{pair.primitive * scale:,.2f} {unit}",
        ratio=f"{pair.ratio:.2f}",
        median=f"{pair.paired_median:.2f}",
        target=f"≤ {target:g}",
        met="yes" if pair.ratio <= target else "**no**",
    )


# Email addresses.

VALID_EMAILS = (
    "parent@courriel.example",
    "marie.tremblay@videotron.ca",
    "Marie-Eve.TREMBLAY@Hotmail.com",
    "JF.COTE@GMAIL.COM",
    "françois.côté@videotron.ca",
    "léa-rose.bélanger@courriel.example",
    "parent@école-primaire.qc.ca",
    "parent@xn--cole-primaire-9gb.qc.ca",
    "nathalie.damour+ecole@bell.net",
    "linh.nguyen@cssdcr.gouv.qc.ca",
)
INVALID_EMAILS = (
    "parent.courriel.example",  # no @
    "parent@@courriel.example",  # two @
    "parent@courriel",  # no dot in the domain
    "marie..tremblay@videotron.ca",  # two dots in a row
    "marie tremblay@videotron.ca",  # a space
    "parent\u200b@courriel.example",  # a zero-width space
    "parent@courriel_example.ca",  # an underscore in the domain
    "рarent@courriel.example",  # Cyrillic р beside Latin letters
)


def parse_email(address: str) -> None:
    try:
        Email.parse(address)
    except InvalidEmailError:
        pass


def validate(address: str) -> None:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        pass


def bench_email(mode: Mode) -> list[Row]:
    for address in VALID_EMAILS:
        Email.parse(address)  # a valid address that fails stops the run
    everything = VALID_EMAILS + INVALID_EMAILS
    rows = []
    for label, addresses, target in (
        ("`Email.parse`, whole set", everything, 1.10),
        ("`Email.parse`, valid addresses", VALID_EMAILS, 1.05),
    ):
        pair = compare_each(
            addresses,
            parse_email,
            validate,
            number=mode.value_rounds,
            repeats=mode.value_repeats,
        )
        rows.append(ratio_row(label, pair, target))
    return rows


# Permanent codes.

PERMANENT_CODES = (
    "TREM15095512",
    "trem15095512",
    "COTL14531601",
    "bouc 0261 1203",
    "NGUT 0904 1402",
    "GAGE84551101",  # day plus 62
    "LEVA30621508",
    "ROYJ0813TT12",  # letters among the digits: rejected
)
_CODE_FORMAT = re.compile(r"[A-Z]{4}[0-9]{8}")


def parse_permanent_code(text: str) -> None:
    try:
        PermanentCode.parse(text)
    except InvalidPermanentCodeError:
        pass


def match_permanent_code(text: str) -> None:
    _CODE_FORMAT.fullmatch(text.upper())


def bench_permanent_code(mode: Mode) -> list[Row]:
    pair = compare_each(
        PERMANENT_CODES,
        parse_permanent_code,
        match_permanent_code,
        number=mode.value_rounds * 20,
        repeats=mode.value_repeats,
    )
    return [ratio_row("`PermanentCode.parse`", pair, 3)]


# Names.

FAMILY_NAMES = (
    "Tremblay",
    "Gagnon",
    "Côté",
    "Bélanger",
    "Lévesque",
    "Côté-Tremblay",
    "Bérubé-Gagnon",
    "D'Amour",
    "D’Amour",
    "St-Pierre",
    "Nguyễn",
    "Ouellet",
    "Gagné",
    "Hébert",
    "Thériault",
    "Deschênes",
)
GIVEN_NAMES = (
    "Léa-Rose Marie",
    "Zoé Élisabeth",
    "Mathis Antoine",
    "Émile",
    "Maëva",
    "Raphaël",
    "William",
    "Océane",
    "Loïc",
    "Thomas Minh",
    "Marie-Ève",
    "Félix",
)
NAMES = FAMILY_NAMES + GIVEN_NAMES


def bench_names(mode: Mode) -> list[Row]:
    options = {
        "number": mode.value_rounds * 10,
        "repeats": mode.value_repeats,
    }
    key_pair = compare_each(NAMES, matching_key, unidecode, **options)
    parse_pair = compare_each(NAMES, PersonName.parse, unidecode, **options)
    parse_row = ratio_row("`PersonName.parse` (for reference)", parse_pair, 0)
    parse_row.target = parse_row.met = "—"
    return [ratio_row("`matching_key`", key_pair, 1.5), parse_row]


# Whole sign-ups.


class NoHasher:
    """A password hasher that does no work: see docs/benchmarks.md."""

    def hash(self, password: str) -> str:
        return "$none$"

    def verify(self, password: str, encoded: str) -> bool:
        return encoded == "$none$"


class CodeOnlyTemplates:
    """Mail templates that keep the code instead of building a message.

    The bundled `MailTemplates` builds an `email.message.EmailMessage`,
    which costs more than the rest of a sign-up together (see
    docs/benchmarks.md), so both sides of the comparison leave it out.
    """

    def render(self, kind: object, *, code: str | None, **_: object) -> str:
        return code or ""


class LastMessage:
    """A mailer that keeps only the last message."""

    message = ""

    def send(self, message: str) -> None:
        self.message = message


@dataclass(frozen=True)
class Parent:
    """One fictional parent's sign-up form entries, and their child."""

    email: str
    record: StudentRecord
    claim_fields: dict[str, str]


def fictional_parents(count: int, start: int = 0) -> list[Parent]:
    parents = []
    for number in range(start, start + count):
        address = f"Parent.{number}@Courriel.example"
        record = StudentRecord(
            student_id=f"student-{number}",
            organization_code=ORGANIZATION_CODE,
            record_number=RecordNumber(100_000 + number),
            permanent_code=PermanentCode("COTL14531601"),
            family_name=PersonName.parse("Côté-Tremblay"),
            given_names=PersonName.parse("Léa-Rose Marie"),
            usual_given_name=PersonName.parse("Léa-Rose"),
            birth_date=dt.date(2016, 3, 14),
            guardian_emails=(Email.parse(address),),
        )
        claim_fields = {
            "organization": ORGANIZATION_TYPED,
            "birth_date": "2016-03-14",
            "family_name": "Cote-Tremblay",
            "given_names": "Lea-Rose",
            "record_number": str(100_000 + number),
        }
        parents.append(Parent(address, record, claim_fields))
    return parents


def sign_up(service: Any, mailer: LastMessage, parent: Parent) -> None:
    """Run one parent's whole sign-up, as four form submissions."""
    service.start(parent.email)
    token = service.verify(parent.email, mailer.message).token
    account = service.set_password(token, PASSWORD)
    claim = ChildClaim.parse(**parent.claim_fields, today=TODAY)
    service.link_child(account.account_id, claim)


def memory_portal(parents: list[Parent], **adapters: Any) -> Any:
    mailer = LastMessage()
    portal = in_memory(
        roster=[parent.record for parent in parents],
        clock=ManualClock(),
        hasher=NoHasher(),
        mailer=mailer,
        templates=CodeOnlyTemplates(),
        keys=(secrets.token_bytes(32),),
        **adapters,
    )
    return portal, mailer


# The primitives a sign-up rests on. A counting run patches them where the
# library calls them, records each call with its arguments, and the
# primitive side of the comparison replays those calls.


def raw_mac(key: bytes, secret: str, context: str) -> str:
    message = f"{context}\x00{secret}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def raw_password_checks(text: str, *_: object, **__: object) -> None:
    """The checks of the password policy, written out directly."""
    text = unicodedata.normalize("NFC", text)
    categories = {unicodedata.category(character) for character in text}
    _ = len(text) >= 8 and "Nd" in categories and "Ll" in categories
    _ = unidecode(text.lower()) in COMMON_PASSWORDS


COMMON_PASSWORDS = frozenset({"motdepasse1", "soleil2024", "hiver2024"})


def raw_claim_fields(**fields: Any) -> None:
    """Read a claim's fields with the primitives the parsers rest on."""
    dt.date.fromisoformat(fields["birth_date"])
    int(fields["record_number"])
    for name in ("family_name", "given_names", "organization"):
        unidecode(fields[name])


# (module, attribute, raw function replayed in its place). The unidecode
# calls inside a claim's parsing are covered by raw_claim_fields.
PRIMITIVES = (
    ("portail_core.values._email", "validate_email", validate_email),
    ("portail_core.signup._codes", "_mac", raw_mac),
    ("hmac", "compare_digest", hmac.compare_digest),
    ("secrets", "randbelow", secrets.randbelow),
    ("secrets", "token_hex", secrets.token_hex),
    ("secrets", "token_urlsafe", secrets.token_urlsafe),
    ("portail_core.values.PasswordPolicy", "parse", raw_password_checks),
    ("portail_core.signup.ChildClaim", "parse", raw_claim_fields),
)

# The primitives above that are other libraries' code: email-validator,
# HMAC and secrets. The password and claim checks are the library's own
# code, replaced above by raw equivalents.
FOREIGN_PRIMITIVES = PRIMITIVES[:6]

Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def _resolve(path: str) -> Any:
    """Return the module, or the class inside a module, named `path`."""
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError:
        module_name, _, attribute = path.rpartition(".")
        return getattr(importlib.import_module(module_name), attribute)


@contextlib.contextmanager
def recording_primitives(
    primitives: tuple[tuple[str, str, Any], ...] = PRIMITIVES,
    elapsed: list[float] | None = None,
) -> Iterator[list[Call]]:
    """Record every primitive call the library makes, in order.

    Calls made from inside another recorded primitive (the claim's own
    unidecode calls, say) are not recorded twice. With `elapsed`, the
    time spent inside the primitives is added to its first item.
    """
    calls: list[Call] = []
    depth = [0]
    patched = []
    clock = time.perf_counter
    for owner_path, attribute, raw in primitives:
        owner = _resolve(owner_path)
        original = owner.__dict__[attribute]
        is_method = isinstance(owner, type)

        def wrapper(
            *args: Any,
            __original: Any = original,
            __raw: Any = raw,
            __method: bool = is_method,
            **kwargs: Any,
        ) -> Any:
            if depth[0] == 0:
                replay_args = args[1:] if __method else args
                calls.append((__raw, replay_args, kwargs))
            depth[0] += 1
            started = clock()
            try:
                return __original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0 and elapsed is not None:
                    elapsed[0] += clock() - started

        if isinstance(original, classmethod):
            function = original.__func__

            def class_wrapper(
                cls: Any,
                *args: Any,
                __function: Any = function,
                __raw: Any = raw,
                **kw: Any,
            ) -> Any:
                if depth[0] == 0:
                    calls.append((__raw, args, kw))
                depth[0] += 1
                try:
                    return __function(cls, *args, **kw)
                finally:
                    depth[0] -= 1

            setattr(owner, attribute, classmethod(class_wrapper))
        else:
            setattr(owner, attribute, wrapper)
        patched.append((owner, attribute, original))
    try:
        yield calls
    finally:
        for owner, attribute, original in reversed(patched):
            setattr(owner, attribute, original)


def recorded_calls(
    count: int,
    primitives: tuple[tuple[str, str, Any], ...] = PRIMITIVES,
) -> Iterator[list[Call]]:
    """Record the primitive calls of `count` sign-ups, one list each.

    The sign-ups run on a portal of their own, for parents other than
    those the library side signs up, so that each replayed sign-up has its
    own address, codes and tokens, as each sign-up of the library has.
    Replaying one sign-up's calls over and over would time the primitives
    on inputs already in the CPU's caches and the validator's.
    """
    parents = fictional_parents(count, start=1_000_000)
    portal, mailer = memory_portal(parents)
    groups = []
    with recording_primitives(primitives) as calls:
        for parent in parents:
            sign_up(portal.service, mailer, parent)
            groups.append(calls.copy())
            calls.clear()
    return iter(groups)


def replay(calls: list[Call]) -> None:
    for function, args, kwargs in calls:
        function(*args, **kwargs)


def bench_signup_memory(mode: Mode) -> list[Row]:
    total = mode.signups * (mode.repeats + 1)
    parents = fictional_parents(total)
    portal, mailer = memory_portal(parents)
    service = portal.service
    remaining = iter(parents)
    recorded = recorded_calls(total)

    def library() -> None:
        for _ in range(mode.signups):
            sign_up(service, mailer, next(remaining))

    def primitive() -> None:
        for _ in range(mode.signups):
            replay(next(recorded))

    pair = compare(
        library,
        primitive,
        number=1,
        repeats=mode.repeats,
        per_call=mode.signups,
    )
    return [
        ratio_row("Sign-up, in-memory stores", pair, 2),
        _in_place_row(mode),
    ]


def _in_place_row(mode: Mode) -> Row:
    """Time the foreign primitives inside whole sign-ups, against the same
    calls replayed alone.

    Inside a sign-up, the library's own code runs between the calls and
    takes their place in the CPU's caches and branch predictors, and each
    system call of `secrets` slows the code after it. Replayed back to
    back, the calls run without either effect.
    """
    total = mode.signups * (mode.repeats + 1)
    parents = fictional_parents(total, start=2_000_000)
    portal, mailer = memory_portal(parents)
    remaining = iter(parents)
    recorded = recorded_calls(total, FOREIGN_PRIMITIVES)
    in_place: list[float] = []
    replayed: list[float] = []
    for repeat in range(mode.repeats + 1):
        elapsed = [0.0]
        # As timeit does for the other rows.
        gc.disable()
        with recording_primitives(FOREIGN_PRIMITIVES, elapsed):
            for _ in range(mode.signups):
                sign_up(portal.service, mailer, next(remaining))
        started = time.perf_counter()
        for _ in range(mode.signups):
            replay(next(recorded))
        gc.enable()
        if repeat:  # the first round only warms caches
            replayed.append((time.perf_counter() - started) / mode.signups)
            in_place.append(elapsed[0] / mode.signups)
    pair = Pair(
        library=min(in_place),
        primitive=min(replayed),
        paired_median=statistics.median(
            inside / alone
            for inside, alone in zip(in_place, replayed, strict=True)
        ),
    )
    row = ratio_row(
        "Email validation, HMAC and `secrets` calls of a sign-up, in place "
        "vs replayed (for reference)",
        pair,
        0,
    )
    row.target = row.met = "—"
    return row


# SQLite. The counting run also records the statements the stores issue,
# through a connection that writes down each execute call.


class RecordingConnection:
    """Wraps a sqlite3 connection and records each statement."""

    def __init__(self, connection: Any, statements: list[Any]) -> None:
        self._connection = connection
        self._statements = statements

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
        self._statements.append((sql, tuple(parameters)))
        return self._connection.execute(sql, parameters)


def open_raw(path: Path) -> Any:
    """Open a connection as `SQLiteDatabase` does, with its pragmas."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=10)
    connection.execute("PRAGMA synchronous = FULL")
    return connection


def bench_signup_sqlite(mode: Mode) -> list[Row]:
    total = mode.sqlite_signups * (mode.repeats + 1) + 1
    parents = fictional_parents(total)
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as folder:
        database = SQLiteDatabase(Path(folder) / "library.db")
        raw_path = Path(folder) / "raw.db"
        SQLiteDatabase(raw_path).close()  # the same schema, in WAL mode
        portal, mailer = memory_portal(
            parents, flows=database.flows, accounts=database.accounts
        )
        service = portal.service

        statements: list[tuple[str, tuple[Any, ...]]] = []
        connection = database.connection()
        database._local.connection = RecordingConnection(
            connection, statements
        )
        sign_up(service, mailer, parents[0])
        database._local.connection = connection
        first = parents[0]
        flow = service.flow(first.email)
        account = portal.accounts.find_by_email(flow.email.key)
        replacements = (flow.flow_id, flow.email.key, account.account_id)

        raw = open_raw(raw_path)
        batches = [
            _renamed(statements, replacements, number)
            for number in range(total)
        ]
        remaining = iter(parents[1:])
        raw_remaining = iter(batches)
        recorded = recorded_calls(total)

        def library() -> None:
            for _ in range(mode.sqlite_signups):
                sign_up(service, mailer, next(remaining))

        def primitive() -> None:
            for _ in range(mode.sqlite_signups):
                replay(next(recorded))
                for sql, parameters in next(raw_remaining):
                    cursor = raw.execute(sql, parameters)
                    if sql.startswith("SELECT"):
                        cursor.fetchone()

        pair = compare(
            library,
            primitive,
            number=1,
            repeats=mode.repeats,
            per_call=mode.sqlite_signups,
        )
        raw.close()
        database.close()
    return [ratio_row("Sign-up, SQLite stores", pair, 2, unit="ms")]


def _renamed(
    statements: list[tuple[str, tuple[Any, ...]]],
    originals: tuple[str, ...],
    number: int,
) -> list[tuple[str, tuple[Any, ...]]]:
    """Return the statements with the recorded ids and email made unique."""
    renamed = []
    for sql, parameters in statements:
        values = []
        for value in parameters:
            new_value = value
            if isinstance(new_value, str):
                for original in originals:
                    new_value = new_value.replace(
                        original, f"raw{number}-{original}"
                    )
            values.append(new_value)
        renamed.append((sql, tuple(values)))
    return renamed


# The roster.

# Common Quebec family and given names, so that names repeat as in a
# real roster. Written as text: a list would take a line per name.
ROSTER_FAMILY_NAMES = (  # noqa: SIM905
    "Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin "
    "Gagné Ouellet Pelletier Bélanger Lévesque Bergeron Leblanc "
    "Paquette Girard Simard Boucher Caron Beaulieu Cloutier Dubé "
    "Poirier Fournier Lapointe Leclerc Lefebvre Poulin Thibault "
    "St-Pierre Nadeau Martin Landry Martel Bédard Grenier Lessard "
    "Bernier Richard Michaud Hébert Desjardins Couture Turcotte "
    "Lachance Parent Blais Gosselin Savard Proulx Beaudoin Demers "
    "Perreault Boudreau Lemieux Cyr Perron Dufour Dion Mercier Bolduc "
    "Bérubé Boisvert Langlois Ménard Therrien Plante Bilodeau Nguyen "
    "D'Amour Thériault Deschênes Vaillancourt Lalonde"
).split()
ROSTER_GIVEN_NAMES = (  # noqa: SIM905
    "Léa Emma Florence Alice Olivia Charlie Livia Rosalie Zoé Juliette "
    "Béatrice Charlotte Mila Laurence Maëva Romy Victoria Clara Jade "
    "Éléonore William Thomas Liam Noah Jacob Léo Édouard Nathan Félix "
    "Logan Raphaël Arthur Émile Louis Jules Samuel Zachary Gabriel "
    "Antoine Xavier Marie Anne Océane Chloé Mathis Loïc Maxime "
    "Élisabeth Rose Ève"
).split()


def _fresh(text: str) -> str:
    """Return a copy of `text` that is a distinct object, as a CSV reader
    gives for every field of every row."""
    return text.encode().decode()


def fictional_roster(count: int, seed: int = 1) -> Iterator[StudentRecord]:
    """Yield `count` fictional students, built without parsing.

    Names come from lists of common Quebec names, so they repeat as they
    do in a real roster; every record has its own objects and strings, as
    records loaded from a CSV file do.
    """
    chooser = random.Random(seed)  # noqa: S311 - fictional data
    family_keys = {name: matching_key(name) for name in ROSTER_FAMILY_NAMES}
    given_keys = {name: matching_key(name) for name in ROSTER_GIVEN_NAMES}
    for number in range(1, count + 1):
        family = chooser.choice(ROSTER_FAMILY_NAMES)
        first = chooser.choice(ROSTER_GIVEN_NAMES)
        second = chooser.choice(ROSTER_GIVEN_NAMES)
        given = f"{first} {second}"
        birth = dt.date(2008 + number % 14, 1 + number % 12, 1 + number % 28)
        letters = (family_keys[family][:3] + given_keys[first][:1]).upper()
        code = (
            f"{letters}{birth.day:02d}{birth.month + 50 * (number % 2):02d}"
            f"{birth.year % 100:02d}{number % 100:02d}"
        )
        address = f"{given_keys[first]}.{family_keys[family]}{number}"
        yield StudentRecord(
            student_id=f"{ORGANIZATION_CODE}-{number:07d}",
            organization_code=_fresh(ORGANIZATION_CODE),
            record_number=RecordNumber(number),
            permanent_code=PermanentCode(code),
            family_name=PersonName(_fresh(family), family_keys[family]),
            given_names=PersonName(given, matching_key(given)),
            usual_given_name=PersonName(_fresh(first), given_keys[first]),
            birth_date=dt.date(birth.year, birth.month, birth.day),
            guardian_emails=(
                Email(
                    f"{address}@courriel.example",
                    f"{address}@courriel.example",
                ),
            ),
        )


def bench_roster(mode: Mode) -> list[Row]:
    small = MemorySchoolRecords(fictional_roster(mode.roster_small))
    large = MemorySchoolRecords(fictional_roster(mode.roster_large))
    chooser = random.Random(2)  # noqa: S311 - fictional data
    lookups = {}
    hot_lookups = {}
    raw_lookups = {}
    for size, roster in (
        (mode.roster_small, small),
        (mode.roster_large, large),
    ):
        numbers = [
            RecordNumber(chooser.randint(1, size)) for _ in range(mode.lookups)
        ]
        # The same calls on 100 students only, whose records stay in the
        # CPU's caches: what is left is the cost of the lookup itself.
        hot_numbers = numbers[:100] * (mode.lookups // 100)

        def run(roster: Any = roster, numbers: list[Any] = numbers) -> None:
            find = roster.find_by_record_number
            for number in numbers:
                find(ORGANIZATION_CODE, number)

        def run_hot(
            roster: Any = roster, numbers: list[Any] = hot_numbers
        ) -> None:
            find = roster.find_by_record_number
            for number in numbers:
                find(ORGANIZATION_CODE, number)

        # The primitive: a dict of the same size, looked up with the same
        # keys, to show how much of the growth the hardware alone causes.
        table = dict.fromkeys(range(1, size + 1))
        keys = [number.value for number in numbers]

        def raw(table: Any = table, keys: list[int] = keys) -> None:
            get = table.get
            for key in keys:
                get(key)

        lookups[size] = run
        hot_lookups[size] = run_hot
        raw_lookups[size] = raw
    rows = []
    for label, runs, target in (
        ("Roster lookup", lookups, 1.3),
        ("Roster lookup of 100 students (for reference)", hot_lookups, None),
        ("`dict.get` (for reference)", raw_lookups, None),
    ):
        pair = compare(
            runs[mode.roster_large],
            runs[mode.roster_small],
            number=1,
            repeats=mode.repeats,
            per_call=mode.lookups,
        )
        row = ratio_row(
            f"{label}, {mode.roster_large:,} vs {mode.roster_small:,} entries",
            pair,
            target or 0,
        )
        if target is None:
            row.target = row.met = "—"
        rows.append(row)
    return rows


# Import time and memory, each in fresh subprocesses.

DEPENDENCIES = "import attrs, email_validator, unidecode"
IMPORT_TIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")


def _import_microseconds(statement: str, environment: dict[str, str]) -> int:
    """Return the summed self time of the modules `statement` imports,
    leaving out those the interpreter loads at startup."""
    output = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    ).stderr
    total = 0
    for line in output.splitlines():
        match = IMPORT_TIME.match(line)
        if match and match[4] not in STARTUP_MODULES:
            total += int(match[1])
    return total


STARTUP_MODULES: set[str] = set()


def bench_import(mode: Mode) -> list[Row]:
    # Bytecode caches are written and used, as in an installed package:
    # an environment with PYTHONDONTWRITEBYTECODE set would make every
    # run compile the sources of an editable install.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key != "PYTHONDONTWRITEBYTECODE"
    }
    startup = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "pass"],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    ).stderr
    STARTUP_MODULES.update(
        match[4]
        for match in map(IMPORT_TIME.match, startup.splitlines())
        if match
    )
    statements = {
        "dependencies": DEPENDENCIES,
        "import": "import portail_core",
        "everything": "from portail_core import *",
    }
    times: dict[str, list[int]] = {name: [] for name in statements}
    for statement in statements.values():
        _import_microseconds(statement, environment)  # writes bytecode
    for _ in range(mode.import_repeats):
        for name, statement in statements.items():
            times[name].append(_import_microseconds(statement, environment))
    base = min(times["dependencies"])
    rows = []
    for name, label, target in (
        ("import", "`import portail_core`", 1.15),
        ("everything", "`from portail_core import *`", None),
    ):
        best = min(times[name])
        paired = statistics.median(
            mine / theirs
            for mine, theirs in zip(
                times[name], times["dependencies"], strict=True
            )
        )
        ratio = best / base
        rows.append(
            Row(
                measure=f"Import time, {label}",
                library=f"{best / 1000:,.1f} ms",
                primitive=f"{base / 1000:,.1f} ms",
                ratio=f"{ratio:.2f}",
                median=f"{paired:.2f}",
                target="—" if target is None else f"≤ {target:g}",
                met="—"
                if target is None
                else ("yes" if ratio <= target else "**no**"),
            )
        )
    rows.append(_modules_not_loaded(environment))
    return rows


def _modules_not_loaded(environment: dict[str, str]) -> Row:
    forbidden = (
        "sqlite3",
        "hypothesis",
        "dns",
        "email_validator.deliverability",
    )
    code = (
        "import sys, portail_core\n"
        "from portail_core.values import _password, _organizations\n"
        f"print(*[m for m in {forbidden!r} if m in sys.modules])\n"
        "print(_password.bundled_common_passwords.cache_info().currsize,"
        " _organizations.bundled_directory.cache_info().currsize)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    ).stdout.splitlines()
    loaded = output[0].split()
    data_loaded = output[1] != "0 0"
    clean = not loaded and not data_loaded
    return Row(
        measure="Work at import",
        library=", ".join(loaded) or "no " + ", ".join(forbidden),
        primitive="no data loaded" if not data_loaded else "data loaded",
        ratio="—",
        median="—",
        target="none",
        met="yes" if clean else "**no**",
    )


def bench_memory(mode: Mode) -> list[Row]:
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--memory-child",
            str(mode.memory_students),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    before, peak = (int(value) * 1024 for value in output.split())
    per_student = (peak - before) / mode.memory_students
    # The target is for a million students; smaller runs only report.
    at_target_size = mode.memory_students == 1_000_000
    return [
        Row(
            measure=(
                f"Peak memory, {mode.memory_students:,} students in "
                "`MemorySchoolRecords`"
            ),
            library=f"{peak / 1e6:,.0f} MB",
            primitive=f"{before / 1e6:,.0f} MB before, "
            f"{per_student:,.0f} B per student",
            ratio="—",
            median="—",
            target="≤ 1,000 MB",
            met=("yes" if peak <= 1e9 else "**no**")
            if at_target_size
            else "—",
        )
    ]


def memory_child(count: int) -> None:
    """Build a roster of `count` students; print the resident memory
    before and the peak after, in KiB."""
    status = Path("/proc/self/status").read_text()
    before = int(re.search(r"VmRSS:\s+(\d+)", status)[1])
    roster = MemorySchoolRecords(fictional_roster(count))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if len(roster) != count:
        raise SystemExit("the roster lost students")
    print(before, peak)


# Output.


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model}, {os.cpu_count()} cores"


def print_table(rows: list[Row]) -> None:
    header = Row(
        "Measure",
        "Library",
        "Primitive",
        "Ratio",
        "Median ratio",
        "Target",
        "Met",
    )
    print("| " + " | ".join(vars(header).values()) + " |")
    print("|" + "|".join(["---"] + ["---:"] * 4 + ["---", "---"]) + "|")
    for row in rows:
        print("| " + " | ".join(vars(row).values()) + " |", flush=True)


BENCHMARKS = (
    "memory",
    "email",
    "permanent_code",
    "names",
    "signup",
    "roster",
    "import",
)


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--quick",
        action="store_const",
        const="quick",
        dest="mode",
        help="two repeats of each row, small sizes; the numbers mean little",
    )
    size.add_argument(
        "--full",
        action="store_const",
        const="full",
        dest="mode",
        help="1 million students and more repeats; about 90 seconds",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=BENCHMARKS,
        help="run only these benchmarks",
    )
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(arguments)
    if options.memory_child:
        memory_child(options.memory_child)
        return
    mode = MODES[options.mode or "standard"]
    chosen = options.only or BENCHMARKS

    print(
        f"portail-core {portail_core.__version__}, "
        f"{mode.name} run on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(
        f"Python {platform.python_version()} on {platform.system()}, "
        f"{machine()}"
    )
    print(
        f"Repeats: {mode.value_repeats} for values, {mode.repeats} for the "
        "rest; times are the minimum per operation. "
        "Load average at the start: "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg())
    )
    print()
    rows: list[Row] = []
    header_printed = False

    def emit(new_rows: list[Row]) -> None:
        nonlocal header_printed
        if not header_printed:
            print_table(new_rows)
            header_printed = True
        else:
            for row in new_rows:
                print("| " + " | ".join(vars(row).values()) + " |", flush=True)
        rows.extend(new_rows)

    # The memory row runs first: its subprocess is forked from this one,
    # and Linux counts the parent's resident memory at the fork in the
    # child's ru_maxrss, so it must start before the roster row grows it.
    if "memory" in chosen:
        emit(bench_memory(mode))
    if "email" in chosen:
        emit(bench_email(mode))
    if "permanent_code" in chosen:
        emit(bench_permanent_code(mode))
    if "names" in chosen:
        emit(bench_names(mode))
    if "signup" in chosen:
        emit(bench_signup_memory(mode))
        emit(bench_signup_sqlite(mode))
    if "roster" in chosen:
        emit(bench_roster(mode))
    if "import" in chosen:
        emit(bench_import(mode))


if __name__ == "__main__":
    main()
