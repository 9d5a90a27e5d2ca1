"""The demo city (示例市): generated agencies, accounts, documents, cases, letters,
inspections, credit records, website checks and reports that reproduce the seed report's
2018 figures.

Demo code is not part of the runtime: no app imports it (an import-linter contract says so)
and Faker, which it uses, is an optional dependency (the ``demo`` extra). ``gongkai demo``
imports it, registers the steps of every module and runs them (gongkai.demo.world).
"""

from __future__ import annotations


def register_steps() -> None:
    """Register every module's demo steps and accounts (idempotent)."""
    # deferred: import cycle (demo.accounts imports demo)
    from gongkai.demo import (  # noqa: F401  (these register their steps on import)
        accounts,
        applications,
        catalog,
        credit,
        inspections,
        mailbox,
        organizations,
        portal,
        privacy,
        reporting,
        webcheck,
    )

    for module in (applications, credit, inspections, reporting, webcheck):
        module.register()
