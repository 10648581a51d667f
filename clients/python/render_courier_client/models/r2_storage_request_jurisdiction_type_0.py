from enum import StrEnum


class R2StorageRequestJurisdictionType0(StrEnum):
    EU = "eu"
    FEDRAMP = "fedramp"

    def __str__(self) -> str:
        return str(self.value)
