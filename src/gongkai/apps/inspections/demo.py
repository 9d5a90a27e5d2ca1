"""Demo data for 双随机一公开 (filled in below)."""


def register() -> None:
    return None
