from enum import StrEnum


class ConnectionSpecProvider(StrEnum):
    AZURE = "azure"
    DROPBOX = "dropbox"
    GCS = "gcs"
    R2 = "r2"
    S3 = "s3"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
