from enum import StrEnum


class ConnectionSpecProvider(StrEnum):
    DROPBOX = "dropbox"
    R2 = "r2"
    S3 = "s3"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
