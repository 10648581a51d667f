from enum import StrEnum


class StorageResponseProvider(StrEnum):
    DROPBOX = "dropbox"
    R2 = "r2"
    S3 = "s3"

    def __str__(self) -> str:
        return str(self.value)
