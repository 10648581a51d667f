from enum import StrEnum


class RenderResponseStatus(StrEnum):
    COMPLETED = "completed"
    DELIVERING = "delivering"

    def __str__(self) -> str:
        return str(self.value)
