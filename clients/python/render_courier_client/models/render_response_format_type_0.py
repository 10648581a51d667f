from enum import StrEnum


class RenderResponseFormatType0(StrEnum):
    AVIF = "avif"
    GIF = "gif"
    JPEG = "jpeg"
    JPG = "jpg"
    PDF = "pdf"
    PNG = "png"
    WEBP = "webp"

    def __str__(self) -> str:
        return str(self.value)
