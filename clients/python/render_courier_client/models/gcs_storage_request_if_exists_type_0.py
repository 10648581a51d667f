from enum import StrEnum


class GcsStorageRequestIfExistsType0(StrEnum):
    FAIL = "fail"
    OVERWRITE = "overwrite"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
