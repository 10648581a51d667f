from enum import StrEnum


class ConnectionSpecAclType0(StrEnum):
    BUCKET_OWNER_FULL_CONTROL = "bucket-owner-full-control"
    PRIVATE = "private"
    PUBLIC_READ = "public-read"

    def __str__(self) -> str:
        return str(self.value)
