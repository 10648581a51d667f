from enum import StrEnum


class LastDeliveryStatus(StrEnum):
    ALREADY_EXISTS = "already_exists"
    ERROR = "error"
    PENDING = "pending"
    SKIPPED = "skipped"
    SUCCESS = "success"

    def __str__(self) -> str:
        return str(self.value)
