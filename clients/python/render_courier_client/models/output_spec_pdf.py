from enum import StrEnum


class OutputSpecPdf(StrEnum):
    PER_PAGE = "per-page"
    SINGLE = "single"

    def __str__(self) -> str:
        return str(self.value)
