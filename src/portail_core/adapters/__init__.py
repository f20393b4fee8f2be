"""Adapters: implementations of the ports.

Import each adapter module where it is used; this package imports none of
them, so that loading one never loads another's dependencies.

* `portail_core.adapters.memory`: thread-safe in-memory stores, mailer,
  school records and organizations; the reference implementations.
* `portail_core.adapters.sqlite`: flows and accounts in one SQLite file,
  safe for several threads and processes.
* `portail_core.adapters.snapshots`: JSON snapshots of flows and
  accounts, for stores that keep documents.
* `portail_core.adapters.scrypt`: a scrypt password hasher.
* `portail_core.adapters.smtp`: a mailer that sends through an SMTP
  server with `smtplib`.
* `portail_core.adapters.clock`: the system clock.
"""
