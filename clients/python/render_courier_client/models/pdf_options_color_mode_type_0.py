from enum import StrEnum


class PdfOptionsColorModeType0(StrEnum):
    CMYK = "cmyk"
    RGB = "rgb"

    def __str__(self) -> str:
        return str(self.value)
