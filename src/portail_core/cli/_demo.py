"""The demo: a parent's whole sign-up on the embedded default.

It runs the real service on in-memory adapters and the bundled fictional
roster of the Centre de services scolaire du Chemin-du-Roy, and prints
each step: what the parent typed, the email received, the state and the
events.
"""

from __future__ import annotations

import re
import textwrap
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TextIO

from portail_core._errors import Language, PortailError, RetryLaterError
from portail_core.adapters.clock import ManualClock, SystemClock
from portail_core.adapters.memory import MemoryMailer, MemorySchoolRecords
from portail_core.adapters.sqlite import SQLiteDatabase
from portail_core.compose import in_memory
from portail_core.ports import AccountStore, Clock, FlowStore
from portail_core.signup import ChildClaim, Event, FlowState
from portail_core.values import Email

PARENT_EMAIL = "Emilie.Gagnon@Courriel.example"
REJECTED_PASSWORD = "soleil"  # noqa: S105 - the demo's example of a bad one
ACCEPTED_PASSWORD = "Éléphant-Bleu-2024"  # noqa: S105 - fictional demo data
ORGANIZATION_TYPED = "css du chemin du roy"

FIRST_CHILD = {
    "organization": ORGANIZATION_TYPED,
    "birth_date": "2016-03-14",
    "family_name": "Cote-Tremblay",
    "given_names": "Lea Rose",
    "record_number": "482913",
}
SECOND_CHILD = {
    "organization": ORGANIZATION_TYPED,
    "birth_date": "2013-11-02",
    "family_name": "Bérubé-Gagnon",
    "given_names": "Mathis",
}
# The record number the second child had in the former organization.
SECOND_CHILD_OLD_RECORD_NUMBER = "7654321"
SECOND_CHILD_PERMANENT_CODE = "BERM 0211 1305"

TEXTS: dict[str, tuple[str, str]] = {
    "title": (
        "Portail parents : démonstration de la création d'un compte",
        "Parent portal: account creation demo",
    ),
    "intro": (
        "Données fictives : élèves du Centre de services scolaire du "
        "Chemin-du-Roy.",
        "Fictional data: students of the Centre de services scolaire du "
        "Chemin-du-Roy.",
    ),
    "step_email": ("1. Courriel", "1. Email"),
    "typed_email": ("Courriel entré", "Email entered"),
    "code_sent": (
        "Un courriel a été envoyé; le code est valide {minutes} minutes.",
        "An email was sent; the code is valid for {minutes} minutes.",
    ),
    "step_mail": ("2. Courriel reçu", "2. Email received"),
    "step_verify": ("3. Vérification du code", "3. Code verification"),
    "typed_code": ("Code entré", "Code entered"),
    "verified": ("Courriel vérifié.", "Email verified."),
    "step_password": ("4. Mot de passe", "4. Password"),
    "typed_password": ("Mot de passe entré", "Password entered"),
    "rejected": ("Refusé :", "Rejected:"),
    "accepted": (
        "Accepté : le compte est créé.",
        "Accepted: the account is created.",
    ),
    "step_first_child": (
        "5. Premier enfant, par numéro de fiche",
        "5. First child, by record number",
    ),
    "step_second_child": (
        "6. Deuxième enfant, arrivé d'une autre organisation scolaire",
        "6. Second child, who came from another school organization",
    ),
    "organization": ("Organisation scolaire", "School organization"),
    "resolved": ("Organisation reconnue", "Organization found"),
    "birth_date": ("Date de naissance", "Date of birth"),
    "family_name": ("Nom de famille", "Family name"),
    "given_names": ("Prénom", "Given name"),
    "record_number": ("Numéro de fiche", "Record number"),
    "old_record_number": (
        "Numéro de fiche (de l'ancienne organisation)",
        "Record number (from the former organization)",
    ),
    "permanent_code": ("Code permanent", "Permanent code"),
    "linked": ("Enfant associé au compte.", "Child linked to the account."),
    "retry": (
        "Nouvel essai avec le code permanent :",
        "New try with the permanent code:",
    ),
    "state": ("État", "State"),
    "events": ("Événements", "Events"),
    "final": (
        "État final : {state}, {count} enfant(s) associé(s)",
        "Final state: {state}, {count} child(ren) linked",
    ),
    "notice": (
        "Ce courriel ne contient pas de code : un compte existe déjà pour "
        "cette adresse. L'écran affiche pourtant la même réponse que pour "
        "une nouvelle adresse, ce qui ne révèle rien à un inconnu.",
        "This email has no code: an account already exists for this "
        "address. The screen still shows the same response as for a new "
        "address, which reveals nothing to a stranger.",
    ),
    "too_soon": (
        "Une démonstration précédente vient d'utiliser cette base de "
        "données : la limite des codes s'applique à l'adresse de la "
        "démonstration comme à toute autre. Relancez-la plus tard, ou avec "
        "--now une heure plus tard.",
        "An earlier demo just used this database: the limits on codes apply "
        "to the demo's address as to any other. Run it again later, or "
        "with --now an hour later.",
    ),
    "final_existing": (
        "État final : {state}; le compte existant a {count} enfant(s) "
        "associé(s)",
        "Final state: {state}; the existing account has {count} child(ren) "
        "linked",
    ),
    "failed": (
        "La démonstration s'est arrêtée sur une erreur :",
        "The demo stopped on an error:",
    ),
}


def run_demo(
    output: TextIO,
    language: Language = "fr",
    *,
    database: Path | None = None,
    now: datetime | None = None,
) -> int:
    """Walk a parent's whole sign-up, print it, and return the exit code.

    With `database`, flows and accounts live in that SQLite file, so a
    second run finds the account of the first. `now` fixes the demo's
    clock; by default it is the system's.

    Returns 0 when the sign-up ends in CHILDREN_LINKED, or when the
    account already existed and the notice email came instead of a code.
    Returns 1 when a step failed.

    Raises:
        DatabaseFileError: `database` is not a portail-core database.
    """
    clock: Clock = SystemClock() if now is None else ManualClock(now)
    if database is None:
        return _Demo(output, language, clock).run()
    with SQLiteDatabase(database) as sqlite:
        return _Demo(
            output,
            language,
            clock,
            flows=sqlite.flows,
            accounts=sqlite.accounts,
        ).run()


class _Demo:
    def __init__(
        self,
        output: TextIO,
        language: Language,
        clock: Clock,
        *,
        flows: FlowStore | None = None,
        accounts: AccountStore | None = None,
    ) -> None:
        self.output = output
        self.language: Language = language
        self.events: list[Event] = []
        records = MemorySchoolRecords.from_csv(
            resources.files("portail_core")
            .joinpath("data/demo-roster.csv")
            .read_text(encoding="utf-8")
        )
        self.mailer = MemoryMailer()
        self.wiring = in_memory(
            roster=records,
            clock=clock,
            flows=flows,
            accounts=accounts,
            mailer=self.mailer,
            language=language,
            events=self.events.append,
        )
        self.service = self.wiring.service

    # Output.

    def say(self, key: str, **values: object) -> str:
        french, english = TEXTS[key]
        return (french if self.language == "fr" else english).format(**values)

    def line(self, text: str = "", indent: int = 0) -> None:
        self.output.write(textwrap.indent(text, " " * indent) + "\n")

    def field(self, key: str, value: object) -> None:
        # French typography puts a space before a colon; English does not.
        separator = " : " if self.language == "fr" else ": "
        self.line(f"{self.say(key)}{separator}{value}", 3)

    def wrapped(self, text: str, indent: int) -> None:
        # A list item's continuation lines align with its text.
        hanging = "  " if text.startswith("- ") else ""
        filled = textwrap.fill(text, 76 - indent, subsequent_indent=hanging)
        self.line(filled, indent)

    def state_and_events(self) -> None:
        flow = self.service.flow(PARENT_EMAIL)
        self.field("state", flow.state.name if flow else "-")
        if self.events:
            self.field("events", ", ".join(e.name for e in self.events))
            self.events.clear()

    # Steps.

    def run(self) -> int:
        self.line(self.say("title"))
        self.line(self.say("intro"))
        try:
            self.enter_email()
        except RetryLaterError as error:
            # A run right after another on the same database: the limits
            # on codes apply to the demo's address as to any other.
            self.line(self.say("rejected"), 3)
            self.wrapped(error.message(self.language), 5)
            self.line()
            self.wrapped(self.say("too_soon"), 0)
            return 0
        try:
            code = self.read_email()
            if code is None:
                # The address has an account: the email is a notice, as
                # the parent of a second run finds in their inbox.
                return self.finish_with_notice()
            token = self.verify(code)
            account_id = self.set_password(token)
            self.link_first_child(account_id)
            self.link_second_child(account_id)
        except PortailError as error:
            self.line()
            self.line(self.say("failed"))
            self.wrapped(error.message(self.language), 3)
            return 1

        flow = self.service.flow(PARENT_EMAIL)
        state = flow.state if flow else None
        count = len(flow.children) if flow else 0
        self.line()
        self.line(
            self.say("final", state=state.name if state else "-", count=count)
        )
        return 0 if state is FlowState.CHILDREN_LINKED else 1

    def enter_email(self) -> None:
        self.line()
        self.line(self.say("step_email"))
        self.field("typed_email", PARENT_EMAIL)
        self.service.start(PARENT_EMAIL)
        lifetime = self.service.settings.code_lifetime
        self.line(self.say("code_sent", minutes=lifetime.seconds // 60), 3)
        self.state_and_events()

    def read_email(self) -> str | None:
        """Print the email received; return its code, or None if it has
        none."""
        self.line()
        self.line(self.say("step_mail"))
        message = self.mailer.outbox[-1]
        for header in ("From", "To", "Subject"):
            self.line(f"{header}: {message[header]}", 3)
        text_part = message.get_body(preferencelist=("plain",))
        body = "" if text_part is None else text_part.get_content().rstrip()
        self.line()
        self.line(body, 6)
        match = re.search(r"\b[0-9]{6}\b", body)
        return None if match is None else match.group()

    def finish_with_notice(self) -> int:
        account = self.service.accounts.find_by_email(
            Email.parse(PARENT_EMAIL).key
        )
        flow = self.service.flow(PARENT_EMAIL)
        self.line()
        self.wrapped(self.say("notice"), 0)
        self.line(
            self.say(
                "final_existing",
                state=flow.state.name if flow else "-",
                count=len(account.children) if account else 0,
            )
        )
        return 0

    def verify(self, code: str) -> str:
        self.line()
        self.line(self.say("step_verify"))
        self.field("typed_code", code)
        verification = self.service.verify(PARENT_EMAIL, code)
        self.line(self.say("verified"), 3)
        self.state_and_events()
        return verification.token

    def set_password(self, token: str) -> str:
        self.line()
        self.line(self.say("step_password"))
        self.field("typed_password", REJECTED_PASSWORD)
        try:
            self.service.set_password(token, REJECTED_PASSWORD)
        except PortailError as error:
            self.line(self.say("rejected"), 3)
            for problem in error.problems:
                self.wrapped(f"- {problem.message(self.language)}", 5)
        self.field("typed_password", "•" * len(ACCEPTED_PASSWORD))
        account = self.service.set_password(token, ACCEPTED_PASSWORD)
        self.line(self.say("accepted"), 3)
        self.state_and_events()
        return account.account_id

    def link_first_child(self, account_id: str) -> None:
        self.line()
        self.line(self.say("step_first_child"))
        self.link(account_id, FIRST_CHILD)
        self.line(self.say("linked"), 3)
        self.state_and_events()

    def link_second_child(self, account_id: str) -> None:
        self.line()
        self.line(self.say("step_second_child"))
        old_number = SECOND_CHILD_OLD_RECORD_NUMBER
        try:
            self.link(
                account_id, {**SECOND_CHILD, "record_number": old_number}
            )
        except PortailError as error:
            self.line(self.say("rejected"), 3)
            self.wrapped(error.message(self.language), 5)
        self.state_and_events()

        self.line(self.say("retry"), 3)
        code = SECOND_CHILD_PERMANENT_CODE
        self.link(account_id, {**SECOND_CHILD, "permanent_code": code})
        self.line(self.say("linked"), 3)
        self.state_and_events()

    def link(self, account_id: str, fields: dict[str, str]) -> None:
        for key, value in fields.items():
            label = (
                "old_record_number"
                if (value == SECOND_CHILD_OLD_RECORD_NUMBER)
                else key
            )
            self.field(label, value)
        claim = ChildClaim.parse(
            organization=fields["organization"],
            birth_date=fields["birth_date"],
            family_name=fields["family_name"],
            given_names=fields["given_names"],
            record_number=fields.get("record_number"),
            permanent_code=fields.get("permanent_code"),
            today=self.wiring.clock.now().date(),
        )
        organization = claim.organization
        self.field(
            "resolved",
            f"{organization.name(self.language)} ({organization.code})",
        )
        self.service.link_child(account_id, claim)
