from enum import StrEnum


class AzureStorageRequestIfExistsType0(StrEnum):
    FAIL = "fail"
    OVERWRITE = "overwrite"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
