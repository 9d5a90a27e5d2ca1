"""The shared transition frame: lock, check, change, state from the table, one audit event."""

import pytest

from gongkai.apps.audit.frame import Actor, transition
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import SYSTEM
from gongkai.domain.actions import Action, State, StateTable
from tests.apps.applications.factories import register

pytestmark = pytest.mark.django_db


class CaseS(State):
    REGISTERED = "registered", "已登记"
    PROCESSING = "processing", "办理中"


class Step(Action):
    TAKE = "frame_test.take", "接手办理"
    NOTE = "frame_test.note", "记一笔"


TABLE = StateTable.of([(CaseS.REGISTERED, Step.TAKE, CaseS.PROCESSING)])


class Refused(Exception):
    pass


def test_the_state_comes_from_the_table_and_one_event_records_the_diff(world):
    app = register(world)
    with transition(
        actor=world.officer_a, obj=app, action=Step.TAKE, table=TABLE, fields=("officer_id",)
    ) as step:
        step.obj.officer = world.officer_a
        step.extra["why"] = "测试"
    app.refresh_from_db()
    assert (app.state, app.officer_id) == ("processing", world.officer_a.pk)
    event = AuditEvent.objects.get(action="frame_test.take")
    assert event.agency_id == app.agency_id and event.actor_id == world.officer_a.pk
    assert '"state":"registered"' in event.before.replace(" ", "")
    assert '"why":"测试"' in event.after.replace(" ", "")


def test_refusals_change_nothing(world):
    app = register(world)
    with (
        pytest.raises(Refused, match="您没有权限"),
        transition(
            actor=world.officer_b,
            obj=app,
            action=Step.TAKE,
            table=TABLE,
            fields=(),
            may=lambda actor, obj: actor.agency_id == obj.agency_id,
            refuse=Refused,
        ),
    ):
        pytest.fail("the block must not run")
    with transition(actor=SYSTEM, obj=app, action=Step.TAKE, table=TABLE, fields=()):
        pass
    with (
        pytest.raises(Refused, match="当前状态为“办理中”，不能接手办理"),
        transition(actor=SYSTEM, obj=app, action=Step.TAKE, table=TABLE, fields=(), refuse=Refused),
    ):
        pytest.fail("the block must not run")
    count = AuditEvent.objects.filter(action__startswith="frame_test.").count()
    with (
        pytest.raises(RuntimeError),
        transition(
            actor=SYSTEM, obj=app, action=Step.NOTE, table=TABLE, fields=("description",)
        ) as step,
    ):
        step.obj.description = "改了"
        raise RuntimeError("失败")
    app.refresh_from_db()
    assert app.description != "改了" and app.state == "processing"
    assert AuditEvent.objects.filter(action__startswith="frame_test.").count() == count


def test_users_and_the_system_are_actors(world):
    assert isinstance(world.officer_a, Actor) and isinstance(SYSTEM, Actor)
