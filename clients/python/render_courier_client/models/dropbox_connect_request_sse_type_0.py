from enum import StrEnum


class DropboxConnectRequestSseType0(StrEnum):
    AES256 = "AES256"
    AWSKMS = "aws:kms"

    def __str__(self) -> str:
        return str(self.value)
