from enum import StrEnum


class RenderResponseTypeType0(StrEnum):
    BASE64 = "base64"
    BINARY = "binary"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
