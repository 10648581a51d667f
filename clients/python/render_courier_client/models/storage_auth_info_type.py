from enum import StrEnum


class StorageAuthInfoType(StrEnum):
    DROPBOX = "dropbox"
    KEYS = "keys"
    POLICY = "policy"
    ROLE = "role"

    def __str__(self) -> str:
        return str(self.value)
