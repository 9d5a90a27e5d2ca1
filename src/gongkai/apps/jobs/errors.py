"""Errors a job handler raises to tell the engine what kind of failure it met."""


class TransientError(Exception):
    """Worth another attempt later (something the job needs is busy or unreachable)."""
