from enum import StrEnum


class DropboxStorageRequestAclType1(StrEnum):
    BUCKET_OWNER_FULL_CONTROL = "bucket-owner-full-control"
    PRIVATE = "private"

    def __str__(self) -> str:
        return str(self.value)
