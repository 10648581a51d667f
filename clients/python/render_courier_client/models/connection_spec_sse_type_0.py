from enum import StrEnum


class ConnectionSpecSseType0(StrEnum):
    AES256 = "AES256"
    AWSKMS = "aws:kms"

    def __str__(self) -> str:
        return str(self.value)
