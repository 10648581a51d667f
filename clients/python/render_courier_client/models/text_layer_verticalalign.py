from enum import StrEnum


class TextLayerVerticalalign(StrEnum):
    BOTTOM = "bottom"
    MIDDLE = "middle"
    TOP = "top"

    def __str__(self) -> str:
        return str(self.value)
