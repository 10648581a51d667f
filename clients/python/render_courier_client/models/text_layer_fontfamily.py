from enum import StrEnum


class TextLayerFontfamily(StrEnum):
    INTER = "Inter"
    NOTO_SANS = "Noto Sans"
    NOTO_SANS_ARABIC = "Noto Sans Arabic"

    def __str__(self) -> str:
        return str(self.value)
