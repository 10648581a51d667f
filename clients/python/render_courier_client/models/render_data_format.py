from enum import StrEnum


class RenderDataFormat(StrEnum):
    AVIF = "avif"
    GIF = "gif"
    JPEG = "jpeg"
    JPG = "jpg"
    PDF = "pdf"
    PNG = "png"
    WEBP = "webp"

    def __str__(self) -> str:
        return str(self.value)
