from enum import StrEnum


class RenderResponseStatus(StrEnum):
    COMPLETED = "completed"
    DELIVERING = "delivering"
    FAILED = "failed"
    RENDERING = "rendering"

    def __str__(self) -> str:
        return str(self.value)
