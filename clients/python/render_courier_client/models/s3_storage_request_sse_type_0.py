from enum import StrEnum


class S3StorageRequestSseType0(StrEnum):
    AES256 = "AES256"
    AWSKMS = "aws:kms"

    def __str__(self) -> str:
        return str(self.value)
