class InspectionError(ValueError):
    """A refused inspections action; the message is a Chinese sentence for the user."""


class ImportRowError(InspectionError):
    def __init__(self, line: int, column: str, message: str) -> None:
        self.line = line
        self.column = column
        self.message = message
        super().__init__(f"第 {line} 行“{column}”：{message}")
