import pytest

from gongkai.registry import calendar_change_listeners


@pytest.fixture
def listeners():
    """Only the listeners a test adds run (other contexts' listeners are set aside)."""
    saved = list(calendar_change_listeners)
    calendar_change_listeners[:] = []
    yield calendar_change_listeners
    calendar_change_listeners[:] = saved


@pytest.fixture
def fixed_today(clock_at):
    """Pin 'today' for the coverage warning: fixed_today(date)."""
    return clock_at
