from enum import StrEnum


class RenderResponseFormatType0(StrEnum):
    AVIF = "avif"
    GIF = "gif"
    JPEG = "jpeg"
    JPG = "jpg"
    MP4 = "mp4"
    PDF = "pdf"
    PNG = "png"
    WEBM = "webm"
    WEBP = "webp"

    def __str__(self) -> str:
        return str(self.value)
