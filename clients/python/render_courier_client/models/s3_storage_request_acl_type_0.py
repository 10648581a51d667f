from enum import StrEnum


class S3StorageRequestAclType0(StrEnum):
    AUTHENTICATED_READ = "authenticated-read"
    BUCKET_OWNER_FULL_CONTROL = "bucket-owner-full-control"
    PRIVATE = "private"
    PUBLIC_READ = "public-read"
    PUBLIC_READ_WRITE = "public-read-write"

    def __str__(self) -> str:
        return str(self.value)
