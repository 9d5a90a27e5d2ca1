"""Demo data for 依申请公开 (steps 50–59)."""


def register() -> None:
    pass
