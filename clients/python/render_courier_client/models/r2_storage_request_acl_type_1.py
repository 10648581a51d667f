from enum import StrEnum


class R2StorageRequestAclType1(StrEnum):
    BUCKET_OWNER_FULL_CONTROL = "bucket-owner-full-control"
    PRIVATE = "private"

    def __str__(self) -> str:
        return str(self.value)
