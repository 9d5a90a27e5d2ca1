"""The deadline's inputs become a projection of the case's steps (ADR 0190).

Before ``ClockEvent`` goes, every case's steps are checked against its clock rows: where the
steps do not give the events the clock holds (steps 0012 made from columns that had lost a
date, a 送达 date the fee step never got …), the steps take the clock's dates, a step the clock
has no trace of is created, and a step that never entered the deadline is marked so
(``details["clock"] = False``). The steps then give every case exactly its clock rows, so no
deadline moves; the migration stops, naming the cases, if one would. Backwards, the clock rows
are made again from the steps.

The projection is frozen here (the code's may change; this migration must not).
"""

from collections import Counter, defaultdict

from django.db import migrations, models

CHUNK = 2000
CONSULT = ("third_party", "other_agency")
CLOCK_KINDS = ("correction", "consultation", "extension", "fee", "deferral")


def _day(value):
    import datetime as dt

    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def events_of(step):
    """The clock events one step gives (kind, on, working_days, until, reason) — as
    ``gongkai.domain.deadlines.steps`` reads them at this migration."""
    details = step.details or {}
    if details.get("clock", True) is False:
        return []
    kind = step.kind
    if kind == "correction":
        out = [("correction_notice", step.started_on, None, step.until, "")]
        if step.ended_on is not None:
            out.append(("correction_received", step.ended_on, None, None, ""))
        return out
    if kind in ("consultation", "fee"):
        reason = "fee" if kind == "fee" else details.get("consult_kind", "")
        out = [("pause_start", step.started_on, None, None, reason)]
        served = _day(details.get("served_on")) if kind == "fee" else None
        if served is not None:
            out.append(("served", served, None, None, reason))
        if step.ended_on is not None:
            out.append(("pause_end", step.ended_on, None, None, reason))
        return out
    if kind == "extension":
        if step.outcome != "approved" or step.ended_on is None:
            return []
        return [("extension", step.ended_on, details.get("days"), None, "")]
    if kind == "deferral":
        return [("deferral", step.started_on, None, step.until, "")]
    return []


def _projection(steps):
    return Counter(event for step in steps for event in events_of(step))


def _clock_steps(rows):
    """The steps a case's clock rows imply, by kind, in order: dicts of the clock's dates."""
    out = defaultdict(list)
    open_pause = {}
    for kind, on, days, until, reason in rows:
        if kind == "correction_notice":
            out["correction"].append({"started_on": on, "until": until, "ended_on": None})
        elif kind == "correction_received" and out["correction"]:
            out["correction"][-1]["ended_on"] = on
        elif kind == "extension":
            out["extension"].append({"ended_on": on, "days": days})
        elif kind == "deferral":
            out["deferral"].append({"started_on": on, "until": until})
        elif kind == "pause_start":
            step_kind = "fee" if reason == "fee" else "consultation"
            step = {"started_on": on, "ended_on": None, "reason": reason, "served_on": None}
            out[step_kind].append(step)
            open_pause[reason] = step
        elif kind == "served" and reason in open_pause:
            open_pause[reason]["served_on"] = on
        elif kind == "pause_end" and reason in open_pause:
            open_pause.pop(reason)["ended_on"] = on
    return out


def _take(step, kind, clock):
    """Give an existing step the clock's dates; True when it changed."""
    before = (step.started_on, step.until, step.ended_on, step.outcome, dict(step.details or {}))
    details = dict(step.details or {})
    details.pop("clock", None)
    if kind == "correction":
        step.started_on, step.until, step.ended_on = (
            clock["started_on"],
            clock["until"],
            clock["ended_on"],
        )
        if step.ended_on is not None and not step.outcome:
            step.outcome = "received"
        if step.ended_on is None and step.outcome == "received":
            step.outcome = ""
    elif kind in ("consultation", "fee"):
        step.started_on, step.ended_on = clock["started_on"], clock["ended_on"]
        if kind == "consultation":
            details["consult_kind"] = clock["reason"]
        else:
            served = clock["served_on"]
            details["served_on"] = served.isoformat() if served else None
            if step.ended_on is not None and not step.outcome:
                step.outcome = "paid"
    elif kind == "extension":
        step.ended_on, step.outcome = clock["ended_on"], "approved"
        details["days"] = clock["days"]
    elif kind == "deferral":
        step.started_on, step.until = clock["started_on"], clock["until"]
    step.details = details
    return before != (step.started_on, step.until, step.ended_on, step.outcome, details)


def _new_step(CaseStep, app_id, kind, clock):
    """A step only the clock recorded (its party, letter and actor are not known)."""
    fields = {"application_id": app_id, "kind": kind, "details": {}}
    if kind == "correction":
        fields.update(
            started_on=clock["started_on"],
            until=clock["until"],
            ended_on=clock["ended_on"],
            outcome="received" if clock["ended_on"] else "",
        )
    elif kind == "consultation":
        fields.update(
            started_on=clock["started_on"],
            ended_on=clock["ended_on"],
            details={"consult_kind": clock["reason"]},
        )
    elif kind == "fee":
        served = clock["served_on"]
        fields.update(
            started_on=clock["started_on"],
            ended_on=clock["ended_on"],
            outcome="paid" if clock["ended_on"] else "",
            details={"served_on": served.isoformat() if served else None},
        )
    elif kind == "extension":
        fields.update(
            started_on=clock["ended_on"],
            ended_on=clock["ended_on"],
            outcome="approved",
            details={"days": clock["days"]},
        )
    else:
        fields.update(started_on=clock["started_on"], until=clock["until"])
    return CaseStep(**fields)


def _relevant(step, kind):
    """The existing steps of a kind the clock's steps pair with, in order."""
    return kind != "extension" or step.outcome == "approved"


def reconcile(CaseStep, app_id, steps, rows):
    """Make one case's steps give its clock rows; returns the steps to save and to create."""
    implied = _clock_steps(rows)
    changed, created = [], []
    for kind in CLOCK_KINDS:
        existing = [s for s in steps if s.kind == kind and _relevant(s, kind)]
        clock = implied.get(kind, [])
        for step, clocked in zip(existing, clock, strict=False):
            if _take(step, kind, clocked):
                changed.append(step)
        for step in existing[len(clock) :]:
            if events_of(step):
                step.details = {**(step.details or {}), "clock": False}
                changed.append(step)
        for clocked in clock[len(existing) :]:
            created.append(_new_step(CaseStep, app_id, kind, clocked))
    return changed, created


def _chunks(Application):
    ids = list(Application.objects.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def steps_from_clock(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    CaseStep = apps.get_model("applications", "CaseStep")
    ClockEvent = apps.get_model("applications", "ClockEvent")
    differ = []
    for ids in _chunks(Application):
        clock = defaultdict(list)
        for row in (
            ClockEvent.objects.filter(application_id__in=ids)
            .order_by("application_id", "on", "id")
            .values_list("application_id", "kind", "on", "working_days", "until", "reason")
        ):
            clock[row[0]].append(tuple(row[1:]))
        steps = defaultdict(list)
        for step in CaseStep.objects.filter(application_id__in=ids).order_by(
            "application_id", "started_on", "id"
        ):
            steps[step.application_id].append(step)
        for app_id in ids:
            rows = clock.get(app_id, [])
            mine = steps.get(app_id, [])
            if _projection(mine) == Counter(rows):
                continue
            changed, created = reconcile(CaseStep, app_id, mine, rows)
            for step in changed:
                step.save(update_fields=["started_on", "until", "ended_on", "outcome", "details"])
            CaseStep.objects.bulk_create(created)
            after = CaseStep.objects.filter(application_id=app_id).order_by("started_on", "id")
            if _projection(after) != Counter(rows):
                differ.append(app_id)
    if differ:
        numbers = Application.objects.filter(pk__in=differ[:20]).values_list("number", flat=True)
        raise RuntimeError(
            "以下案件的办理步骤无法与计时事件对应，答复期限会改变，迁移已停止："
            + "、".join(numbers)
        )


def clock_from_steps(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    CaseStep = apps.get_model("applications", "CaseStep")
    ClockEvent = apps.get_model("applications", "ClockEvent")
    for ids in _chunks(Application):
        rows = []
        steps = CaseStep.objects.filter(application_id__in=ids).order_by(
            "application_id", "started_on", "id"
        )
        by_case = defaultdict(list)
        for step in steps:
            by_case[step.application_id].append(step)
        for app_id, mine in by_case.items():
            events = [
                (on, n, i, kind, days, until, reason)
                for n, step in enumerate(mine)
                for i, (kind, on, days, until, reason) in enumerate(events_of(step))
            ]
            for on, _n, _i, kind, days, until, reason in sorted(events, key=lambda e: e[:3]):
                rows.append(
                    ClockEvent(
                        application_id=app_id,
                        kind=kind,
                        on=on,
                        working_days=days,
                        until=until,
                        reason=reason,
                    )
                )
        ClockEvent.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0013_drop_step_columns"),
    ]

    operations = [
        migrations.RunPython(steps_from_clock, clock_from_steps),
        migrations.DeleteModel(name="ClockEvent"),
    ]
