"""Extension points that apps fill from their AppConfig.ready().

Apps register CLI subcommands, work-queue sections, background job kinds,
periodic work and navigation entries here, so adding an app never means editing another app's
code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gongkai.domain.actions import Action


@dataclass(frozen=True)
class CliCommand:
    name: str
    help: str
    add_arguments: Callable[[Any], None]
    handle: Callable[[Any], int]


@dataclass(frozen=True)
class JobKind:
    """A kind of background job: its handler ``fn(job, report) -> dict`` and how it is run.

    ``time_limit``: seconds after which the job is stopped and shown as failed (a job that
    grows with the catalogue gets a generous one); ``retries``: how many more attempts a
    transient failure (database or network unreachable, index busy) gets, with exponential
    backoff, before the failure is shown."""

    kind: str
    handler: Callable[..., Any]
    time_limit: int = 30 * 60
    retries: int = 3


@dataclass(frozen=True)
class PeriodicWork:
    """Work the platform schedules itself (``gongkai scheduler``): daily at ``at`` (local
    hour, minute) or every ``every``. ``run(now)`` is called once per period whatever the
    number of schedulers running."""

    name: str
    label: str
    run: Callable[[dt.datetime], Any]
    at: tuple[int, int] | None = None
    every: dt.timedelta | None = None


@dataclass(frozen=True)
class NavEntry:
    order: int
    label: str
    url_name: str
    visible: Callable[[Any], bool] = field(default=lambda user: True)


cli_commands: dict[str, CliCommand] = {}
workqueue_providers: list[Callable[[Any], list[Any]]] = []
job_kinds: dict[str, JobKind] = {}
periodic_work: dict[str, PeriodicWork] = {}
portal_nav: list[NavEntry] = []
backoffice_nav: list[NavEntry] = []
# sections of the public home page: public information only, the same for every visitor (the
# page cache keeps them shared, ADR 0110); a context's change to what they show bumps "home"
portal_home_sections: list[tuple[int, Callable[[Any], Any]]] = []
# called as fn(changed_dates: set[datetime.date], actor) inside the transaction that changed the
# working-day calendar (after the due dates of every DueSource are recomputed)
calendar_change_listeners: list[Callable[[set[Any], Any], None]] = []


@dataclass(frozen=True)
class DueSource:
    """A context's deadlines, kept on rows with the ``DueFields`` mixin
    (gongkai.apps.workcalendar.models) and recomputed by one helper
    (gongkai.apps.workcalendar.dues) whenever the working-day calendar changes.

    ``open_rows()`` is a queryset of the rows whose deadline may still move, with whatever
    ``refresh`` reads already joined; ``refresh(row, calendar)`` sets the row's due fields (and
    any of ``fields``) in memory, the same function the context's own services use; ``moved``
    receives [(row, old Due or None)] for the rows whose date changed, inside the transaction,
    to tell people (the helper has saved and audited them).
    """

    name: str
    open_rows: Callable[[], Any]
    refresh: Callable[[Any, Any], None]
    action: Action
    fields: tuple[str, ...] = ()
    moved: Callable[[list[tuple[Any, Any]], Any], None] | None = None


due_sources: dict[str, DueSource] = {}


def register_cli(command: CliCommand) -> None:
    cli_commands[command.name] = command


def register_workqueue(provider: Callable[[Any], list[Any]]) -> None:
    if provider not in workqueue_providers:
        workqueue_providers.append(provider)


def register_job(
    kind: str, handler: Callable[..., Any], *, time_limit: int = 30 * 60, retries: int = 3
) -> None:
    job_kinds[kind] = JobKind(kind, handler, time_limit=time_limit, retries=retries)


def register_periodic(work: PeriodicWork) -> None:
    if (work.at is None) == (work.every is None):
        raise ValueError(f"{work.name}: give exactly one of at= and every=")
    periodic_work[work.name] = work


def _add_nav(entries: list[NavEntry], entry: NavEntry) -> None:
    if all(existing.url_name != entry.url_name for existing in entries):
        entries.append(entry)
        entries.sort(key=lambda e: e.order)


def register_portal_nav(entry: NavEntry) -> None:
    _add_nav(portal_nav, entry)


def register_backoffice_nav(entry: NavEntry) -> None:
    _add_nav(backoffice_nav, entry)


def register_portal_home_section(order: int, provider: Callable[[Any], Any]) -> None:
    if all(existing[1] is not provider for existing in portal_home_sections):
        portal_home_sections.append((order, provider))
        portal_home_sections.sort(key=lambda item: item[0])


def register_calendar_listener(listener: Callable[[set[Any], Any], None]) -> None:
    if listener not in calendar_change_listeners:
        calendar_change_listeners.append(listener)


def register_due_source(source: DueSource) -> None:
    due_sources[source.name] = source
