"""Messages for every error code, in French (Quebec usage) and English.

Each entry maps a stable code to its (French, English) templates. A
template names its values in braces, such as ``{min_length}``. Values are
never the private input that failed: at most a limit, a count, a duration
or the description of a character. Each message states what failed and
what the parent can do about it.
"""

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # Email addresses.
    "email.empty": (
        "Entrez votre adresse courriel, celle que vous avez fournie à "
        "l'école.",
        "Enter your email address, the one you gave to the school.",
    ),
    "email.too_long": (
        "L'adresse courriel dépasse {max_length} caractères. Vérifiez-la.",
        "The email address is longer than {max_length} characters. Check it.",
    ),
    "email.invisible_character": (
        "L'adresse courriel contient un caractère invisible "
        "({character}). Retapez-la au lieu de la coller.",
        "The email address contains an invisible character ({character}). "
        "Type it instead of pasting it.",
    ),
    "email.space": (
        "L'adresse courriel contient une espace. Retirez-la.",
        "The email address contains a space. Remove it.",
    ),
    "email.missing_at": (
        "Il manque le @ dans l'adresse courriel. Vérifiez-la, par exemple "
        "nom@exemple.ca.",
        "The email address has no @. Check it, for example name@example.ca.",
    ),
    "email.multiple_at": (
        "L'adresse courriel contient plus d'un @. Vérifiez-la.",
        "The email address has more than one @. Check it.",
    ),
    "email.missing_local_part": (
        "Il manque la partie avant le @ dans l'adresse courriel.",
        "The email address has nothing before the @.",
    ),
    "email.missing_domain": (
        "Il manque la partie après le @ dans l'adresse courriel, par "
        "exemple exemple.ca.",
        "The email address has nothing after the @, such as example.ca.",
    ),
    "email.domain_without_dot": (
        "La partie après le @ doit contenir un point, par exemple "
        "exemple.ca. Vérifiez l'adresse courriel.",
        "The part after the @ must contain a period, such as example.ca. "
        "Check the email address.",
    ),
    "email.consecutive_dots": (
        "L'adresse courriel contient deux points de suite. Vérifiez-la.",
        "The email address has two periods in a row. Check it.",
    ),
    "email.invalid": (
        "Cette adresse courriel n'est pas valide. Vérifiez-la, ou "
        "utilisez celle que vous avez fournie à l'école.",
        "This email address is not valid. Check it, or use the one you "
        "gave to the school.",
    ),
    "email.lookalike_character": (
        "L'adresse courriel contient un caractère qui imite une lettre "
        "ordinaire ({character}). Retapez-la au clavier.",
        "The email address contains a character that imitates a plain "
        "letter ({character}). Type it on your keyboard.",
    ),
    "email.mixed_script": (
        "La partie avant le @ mélange des alphabets ({scripts}), ce qui "
        "peut imiter une autre adresse. Retapez-la au clavier.",
        "The part before the @ mixes alphabets ({scripts}), which can "
        "imitate another address. Type it on your keyboard.",
    ),
    # Passwords.
    "password.empty": (
        "Entrez un mot de passe.",
        "Enter a password.",
    ),
    "password.too_short": (
        "Le mot de passe doit compter au moins {min_length} caractères.",
        "The password must have at least {min_length} characters.",
    ),
    "password.too_long": (
        "Le mot de passe doit compter au plus {max_length} caractères.",
        "The password must have at most {max_length} characters.",
    ),
    "password.invalid_character": (
        "Le mot de passe contient un caractère qu'un clavier ne peut pas "
        "taper ({character}). Retirez-le.",
        "The password contains a character that a keyboard cannot type "
        "({character}). Remove it.",
    ),
    "password.missing_digit": (
        "Le mot de passe doit contenir au moins un chiffre.",
        "The password must contain at least one digit.",
    ),
    "password.missing_lowercase": (
        "Le mot de passe doit contenir au moins une lettre minuscule.",
        "The password must contain at least one lowercase letter.",
    ),
    "password.missing_uppercase": (
        "Le mot de passe doit contenir au moins une lettre majuscule.",
        "The password must contain at least one uppercase letter.",
    ),
    "password.contains_email": (
        "Le mot de passe ne doit pas contenir votre adresse courriel.",
        "The password must not contain your email address.",
    ),
    "password.common": (
        "Ce mot de passe est trop courant et facile à deviner. Choisissez-"
        "en un autre.",
        "This password is too common and easy to guess. Choose another one.",
    ),
    # Permanent codes.
    "permanent_code.empty": (
        "Entrez le code permanent de l'enfant (12 caractères).",
        "Enter the child's permanent code (12 characters).",
    ),
    "permanent_code.wrong_length": (
        "Le code permanent compte {length} caractères : 4 lettres puis 8 "
        "chiffres. Vérifiez-le sur le bulletin.",
        "A permanent code has {length} characters: 4 letters, then 8 "
        "digits. Check it on the report card.",
    ),
    "permanent_code.invisible_character": (
        "Le code permanent contient un caractère invisible ({character}). "
        "Retapez-le au lieu de le coller.",
        "The permanent code contains an invisible character ({character}). "
        "Type it instead of pasting it.",
    ),
    "permanent_code.wrong_format": (
        "Le code permanent commence par 4 lettres sans accents, suivies de "
        "8 chiffres. Vérifiez-le sur le bulletin.",
        "A permanent code starts with 4 letters without accents, followed "
        "by 8 digits. Check it on the report card.",
    ),
    "permanent_code.invalid_day": (
        "Les chiffres 1 et 2 du code permanent ne forment pas un jour. "
        "Vérifiez le code sur le bulletin.",
        "Digits 1 and 2 of the permanent code are not a day. Check the "
        "code on the report card.",
    ),
    "permanent_code.invalid_month": (
        "Les chiffres 3 et 4 du code permanent ne forment pas un mois. "
        "Vérifiez le code sur le bulletin.",
        "Digits 3 and 4 of the permanent code are not a month. Check the "
        "code on the report card.",
    ),
    # Record numbers.
    "record_number.empty": (
        "Entrez le numéro de fiche de l'enfant.",
        "Enter the child's record number.",
    ),
    "record_number.too_long": (
        "Le numéro de fiche compte au plus {max_digits} chiffres. "
        "Vérifiez-le sur le bulletin, ou utilisez le code permanent.",
        "A record number has at most {max_digits} digits. Check it on the "
        "report card, or use the permanent code.",
    ),
    "record_number.invisible_character": (
        "Le numéro de fiche contient un caractère invisible ({character}). "
        "Retapez-le au lieu de le coller.",
        "The record number contains an invisible character ({character}). "
        "Type it instead of pasting it.",
    ),
    "record_number.not_digits": (
        "Le numéro de fiche ne contient que des chiffres de 0 à 9.",
        "A record number contains only the digits 0 to 9.",
    ),
    "record_number.zero": (
        "Le numéro de fiche ne peut pas être zéro. Vérifiez-le sur le "
        "bulletin.",
        "A record number cannot be zero. Check it on the report card.",
    ),
    # Names.
    "name.empty": (
        "Entrez le nom tel qu'il figure au dossier scolaire.",
        "Enter the name as it appears in the school record.",
    ),
    "name.too_long": (
        "Le nom dépasse {max_length} caractères. Vérifiez-le.",
        "The name is longer than {max_length} characters. Check it.",
    ),
    "name.invisible_character": (
        "Le nom contient un caractère invisible ({character}). Retapez-le "
        "au lieu de le coller.",
        "The name contains an invisible character ({character}). Type it "
        "instead of pasting it.",
    ),
    "name.invalid_character": (
        "Le nom contient un caractère qu'un nom ne peut pas contenir "
        "({character}). Utilisez seulement des lettres, des espaces, des "
        "traits d'union et des apostrophes.",
        "The name contains a character that a name cannot contain "
        "({character}). Use only letters, spaces, hyphens and "
        "apostrophes.",
    ),
    "name.no_letters": (
        "Le nom doit contenir au moins une lettre.",
        "The name must contain at least one letter.",
    ),
    # Birth dates.
    "birth_date.empty": (
        "Entrez la date de naissance de l'enfant.",
        "Enter the child's date of birth.",
    ),
    "birth_date.unreadable": (
        "La date de naissance doit s'écrire AAAA-MM-JJ, par exemple "
        "2015-09-12.",
        "Write the date of birth as YYYY-MM-DD, for example 2015-09-12.",
    ),
    "birth_date.ambiguous": (
        "Une date écrite avec le jour et le mois se lit différemment selon "
        "les pays. Écrivez-la AAAA-MM-JJ, par exemple 2015-09-12.",
        "A date written with the day and the month reads differently from "
        "one country to another. Write it as YYYY-MM-DD, for example "
        "2015-09-12.",
    ),
    "birth_date.impossible": (
        "Cette date n'existe pas. Vérifiez le jour et le mois.",
        "This date does not exist. Check the day and the month.",
    ),
    "birth_date.in_future": (
        "La date de naissance ne peut pas être dans le futur. Vérifiez "
        "l'année.",
        "The date of birth cannot be in the future. Check the year.",
    ),
    "birth_date.too_young": (
        "Selon cette date, l'enfant a moins de {min_years} ans. Vérifiez "
        "l'année.",
        "By this date the child is younger than {min_years}. Check the year.",
    ),
    "birth_date.too_old": (
        "Selon cette date, l'élève a plus de {max_years} ans. Vérifiez "
        "l'année.",
        "By this date the student is older than {max_years}. Check the year.",
    ),
    # School organizations.
    "organization.unknown": (
        "Aucune organisation scolaire ne porte ce nom. Vérifiez-le ou "
        "choisissez-la dans la liste, par exemple « Centre de services "
        "scolaire du Chemin-du-Roy ».",
        "No school organization has this name. Check it or choose it from "
        'the list, for example "Centre de services scolaire du '
        'Chemin-du-Roy".',
    ),
    # Verification codes and flows.
    "code.rejected": (
        "Ce code ne correspond pas. Vérifiez le plus récent code reçu par "
        "courriel. Essais restants : {tries_left}.",
        "This code does not match. Check the most recent code sent to you "
        "by email. Tries left: {tries_left}.",
    ),
    "code.malformed": (
        "Le code de vérification compte {digits} chiffres. Copiez-le tel "
        "qu'il apparaît dans le courriel.",
        "The verification code has {digits} digits. Copy it as it appears "
        "in the email.",
    ),
    "code.already_verified": (
        "Votre adresse courriel est déjà vérifiée. Continuez en choisissant "
        "votre mot de passe.",
        "Your email address is already verified. Continue by choosing your "
        "password.",
    ),
    "code.expired": (
        "Ce code est expiré. Demandez un nouveau code de vérification.",
        "This code has expired. Ask for a new verification code.",
    ),
    "code.resend_too_soon": (
        "Un code vient d'être envoyé. Vérifiez vos courriels, y compris "
        "les courriels indésirables, ou redemandez un code dans "
        "{retry_after_seconds} secondes.",
        "A code was just sent. Check your email, including the spam "
        "folder, or ask again in {retry_after_seconds} seconds.",
    ),
    "code.too_many_requests": (
        "Trop de codes ont été demandés pour cette adresse. Réessayez dans "
        "{retry_after_minutes} minutes.",
        "Too many codes were requested for this address. Try again in "
        "{retry_after_minutes} minutes.",
    ),
    "flow.locked": (
        "Trop de codes erronés ont été entrés. Demandez un nouveau code "
        "dans {retry_after_minutes} minutes.",
        "Too many wrong codes were entered. Ask for a new code in "
        "{retry_after_minutes} minutes.",
    ),
    "flow.invalid_transition": (
        "Cette étape n'est pas possible maintenant (étape actuelle : "
        "{state}, demandée : {transition}). Recommencez l'inscription.",
        "This step is not possible now (current step: {state}, requested: "
        "{transition}). Start the sign-up again.",
    ),
    "flow.invalid_token": (
        "Cette session d'inscription est expirée ou invalide. "
        "Recommencez en demandant un nouveau code.",
        "This sign-up session has expired or is invalid. Start again by "
        "asking for a new code.",
    ),
    # Stores and accounts.
    "store.conflict": (
        "La demande a croisé une autre demande. Réessayez.",
        "The request crossed another request. Try again.",
    ),
    "store.unavailable": (
        "Le service est momentanément occupé. Réessayez dans un instant.",
        "The service is busy for a moment. Try again shortly.",
    ),
    "store.failed": (
        "Le service ne peut pas lire ou écrire ses données. Réessayez plus "
        "tard; si le problème persiste, avisez l'école.",
        "The service cannot read or write its data. Try again later; if the "
        "problem persists, tell the school.",
    ),
    "store.cannot_open": (
        "Le fichier de base de données {path} ne peut pas être ouvert. "
        "Vérifiez que son dossier existe et qu'il est accessible en "
        "écriture.",
        "The database file {path} cannot be opened. Check that its folder "
        "exists and is writable.",
    ),
    "store.not_a_database": (
        "Le fichier {path} n'est pas une base de données SQLite. Il n'a pas "
        "été modifié; indiquez un autre fichier.",
        "The file {path} is not a SQLite database. It was not changed; "
        "give another file.",
    ),
    "store.corrupt_database": (
        "La base de données {path} est endommagée. Elle n'a pas été "
        "modifiée; restaurez une sauvegarde.",
        "The database {path} is damaged. It was not changed; restore a "
        "backup.",
    ),
    "store.foreign_database": (
        "La base de données {path} n'a pas été créée par portail-core. "
        "Elle n'a pas été modifiée; indiquez un fichier neuf ou vide.",
        "The database {path} was not created by portail-core. It was not "
        "changed; give a new or empty file.",
    ),
    "store.newer_schema": (
        "La base de données {path} utilise le schéma {found}, plus récent "
        "que le schéma {supported} de cette version. Mettez portail-core à "
        "jour.",
        "The database {path} uses schema {found}, newer than schema "
        "{supported} of this version. Upgrade portail-core.",
    ),
    "store.corrupt_record": (
        "Un enregistrement de la base de données est illisible. "
        "Restaurez une sauvegarde ou supprimez l'enregistrement.",
        "A record in the database cannot be read. Restore a backup or "
        "delete the record.",
    ),
    "account.exists": (
        "Un compte existe déjà pour cette adresse courriel. Utilisez « Mot "
        "de passe oublié? » pour y accéder.",
        'An account already exists for this email address. Use "Forgot '
        'password?" to access it.',
    ),
    "account.not_found": (
        "Ce compte est introuvable. Connectez-vous de nouveau.",
        "This account was not found. Sign in again.",
    ),
    # Child linking.
    "claim.missing_identifier": (
        "Entrez le numéro de fiche ou le code permanent de l'enfant. Ils "
        "figurent sur le bulletin, l'horaire ou la carte étudiante.",
        "Enter the child's record number or permanent code. Both appear on "
        "the report card, the schedule or the student card.",
    ),
    "link.rejected": (
        "Nous n'avons pas pu associer cet enfant à votre compte. Vérifiez "
        "chaque renseignement tel qu'il figure au dossier scolaire (noms "
        "complets, date de naissance), et que l'école a bien votre adresse "
        "courriel.",
        "We could not link this child to your account. Check each detail "
        "as it appears in the school record (full names, date of birth), "
        "and that the school has your email address.",
    ),
    "link.rejected_try_permanent_code": (
        "Nous n'avons pas pu associer cet enfant avec ce numéro de fiche. "
        "Si votre enfant arrive d'une autre organisation scolaire, "
        "utilisez plutôt son code permanent (12 caractères, sur le "
        "bulletin). Vérifiez aussi les noms complets, la date de naissance, "
        "et que l'école a bien votre adresse courriel.",
        "We could not link this child with this record number. If your "
        "child comes from another school organization, use the permanent "
        "code instead (12 characters, on the report card). Also check the "
        "full names, the date of birth, and that the school has your email "
        "address.",
    ),
    "link.too_many_failures": (
        "Trop de tentatives d'association ont échoué. Réessayez dans "
        "{retry_after_minutes} minutes, ou communiquez avec le secrétariat "
        "de l'école.",
        "Too many attempts to link a child failed. Try again in "
        "{retry_after_minutes} minutes, or contact the school office.",
    ),
    "link.organization_not_subscribed": (
        "Cette organisation scolaire n'est pas encore abonnée au portail. "
        "Renseignez-vous auprès de l'école.",
        "This school organization does not subscribe to the portal yet. "
        "Ask the school.",
    ),
    "link.permanent_code_family_name": (
        "Les 3 premières lettres du code permanent ne correspondent pas au "
        "nom de famille entré. Vérifiez le nom de famille et le code.",
        "The first 3 letters of the permanent code do not match the family "
        "name entered. Check the family name and the code.",
    ),
    "link.permanent_code_given_name": (
        "La 4e lettre du code permanent ne correspond pas au prénom entré. "
        "Vérifiez le prénom et le code.",
        "The 4th letter of the permanent code does not match the given "
        "name entered. Check the given name and the code.",
    ),
    "link.permanent_code_day": (
        "Le jour de naissance ne correspond pas au code permanent. "
        "Vérifiez la date de naissance et le code.",
        "The day of birth does not match the permanent code. Check the "
        "date of birth and the code.",
    ),
    "link.permanent_code_month": (
        "Le mois de naissance ne correspond pas au code permanent. "
        "Vérifiez la date de naissance et le code.",
        "The month of birth does not match the permanent code. Check the "
        "date of birth and the code.",
    ),
    "link.permanent_code_year": (
        "L'année de naissance ne correspond pas au code permanent. "
        "Vérifiez la date de naissance et le code.",
        "The year of birth does not match the permanent code. Check the "
        "date of birth and the code.",
    ),
    "link.permanent_code_sex": (
        "Le code permanent ne correspond pas au sexe indiqué. Vérifiez le "
        "code.",
        "The permanent code does not match the sex given. Check the code.",
    ),
    # Mail delivery.
    "mail.delivery_failed": (
        "Le courriel n'a pas pu être envoyé. Réessayez dans quelques minutes.",
        "The email could not be sent. Try again in a few minutes.",
    ),
    "mail.connection_failed": (
        "Le serveur de courriel est injoignable pour le moment. Réessayez "
        "dans quelques minutes.",
        "The mail server cannot be reached right now. Try again in a few "
        "minutes.",
    ),
    "mail.timed_out": (
        "Le serveur de courriel n'a pas répondu à temps. Réessayez dans "
        "quelques minutes.",
        "The mail server did not respond in time. Try again in a few minutes.",
    ),
    "mail.tls_failed": (
        "La connexion sécurisée au serveur de courriel a échoué, donc le "
        "courriel n'a pas été envoyé. Réessayez plus tard.",
        "The secure connection to the mail server failed, so the email was "
        "not sent. Try again later.",
    ),
    "mail.authentication_failed": (
        "Le portail n'a pas pu se connecter à son serveur de courriel, donc "
        "le courriel n'a pas été envoyé. Réessayez plus tard.",
        "The portal could not sign in to its mail server, so the email was "
        "not sent. Try again later.",
    ),
    "mail.recipient_rejected": (
        "Le serveur de courriel a refusé cette adresse courriel. "
        "Vérifiez-la, ou utilisez l'adresse que vous avez fournie à "
        "l'école.",
        "The mail server rejected this email address. Check it, or use the "
        "address you gave to the school.",
    ),
    "mail.rejected": (
        "Le serveur de courriel a refusé le courriel. Réessayez dans "
        "quelques minutes.",
        "The mail server rejected the email. Try again in a few minutes.",
    ),
}
