from enum import StrEnum


class R2StorageRequestSseType1(StrEnum):
    AES256 = "AES256"

    def __str__(self) -> str:
        return str(self.value)
