"""Actions with labels and state tables (the vocabulary every context declares)."""

import pytest

from gongkai.domain.actions import Action, State, StateTable, TransitionNotAllowed
from gongkai.domain.vocabulary import action_label, all_action_labels


class Light(State):
    OFF = "off", "关闭"
    ON = "on", "开启"
    BROKEN = "broken", "损坏"


class Switch(Action):
    TURN_ON = "test_light.turn_on", "打开"
    TURN_OFF = "test_light.turn_off", "关上"
    INSPECT = "test_light.inspect", "检查"


TABLE = StateTable.of(
    [
        (Light.OFF, Switch.TURN_ON, Light.ON),
        ((Light.ON, Light.BROKEN), Switch.TURN_OFF, Light.OFF),
    ]
)


def test_members_carry_value_and_label():
    assert Switch.TURN_ON == "test_light.turn_on" and Switch.TURN_ON.label == "打开"
    assert Switch("test_light.turn_off") is Switch.TURN_OFF
    assert Light.choices() == [("off", "关闭"), ("on", "开启"), ("broken", "损坏")]


def test_the_table_gives_the_next_state_or_a_chinese_refusal():
    assert TABLE.next(Light.OFF, Switch.TURN_ON) is Light.ON
    assert TABLE.next(Light.BROKEN, Switch.TURN_OFF) is Light.OFF
    with pytest.raises(TransitionNotAllowed, match="当前状态为“开启”，不能打开"):
        TABLE.next(Light.ON, Switch.TURN_ON)
    # an action in no row is a recorded act: allowed anywhere, the state stays
    assert TABLE.next(Light.BROKEN, Switch.INSPECT) is Light.BROKEN
    assert TABLE.allowed(Light.ON) == [Switch.TURN_OFF]


def test_a_duplicate_row_is_refused():
    with pytest.raises(ValueError, match="状态表重复"):
        StateTable.of(
            [(Light.OFF, Switch.TURN_ON, Light.ON), (Light.OFF, Switch.TURN_ON, Light.OFF)]
        )


def test_enum_labels_reach_the_vocabulary():
    assert action_label("test_light.turn_on") == "打开"
    assert all_action_labels()["test_light.inspect"] == "检查"
