from enum import StrEnum


class ConnectionSpecType(StrEnum):
    S3 = "s3"
    STORAGE = "storage"

    def __str__(self) -> str:
        return str(self.value)
