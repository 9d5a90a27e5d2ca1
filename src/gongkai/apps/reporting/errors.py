"""Errors of the reporting context; messages are Chinese sentences for the user."""


class ReportError(Exception):
    """A report action that cannot be done, with the reason."""


class ReportNotFound(ReportError, LookupError):
    pass


class ReportInvalid(ReportError):
    """Publication refused: identities fail or the narrative is unfinished."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class ReportPermissionDenied(ReportError, PermissionError):
    pass


class ReportExists(ReportError):
    """The agency already has this year's report: the message and a link to it."""

    def __init__(self, message: str, report_id: int) -> None:
        super().__init__(message)
        self.report_id = report_id
