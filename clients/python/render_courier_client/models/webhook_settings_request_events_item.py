from enum import StrEnum


class WebhookSettingsRequestEventsItem(StrEnum):
    RENDER_DELIVERED = "render.delivered"
    RENDER_FAILED = "render.failed"

    def __str__(self) -> str:
        return str(self.value)
