"""``gongkai applications …``: reminders, deadline recomputation, a case summary."""


def register() -> None:
    pass
