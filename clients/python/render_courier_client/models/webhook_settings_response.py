from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.webhook_event_outcome import WebhookEventOutcome
    from ..models.webhook_secret_info import WebhookSecretInfo


T = TypeVar("T", bound="WebhookSettingsResponse")


@_attrs_define
class WebhookSettingsResponse:
    """
    Attributes:
        url (None | str): without its query string: that may hold a token
        events (list[str]):
        secret (WebhookSecretInfo):
        has_query (bool | Unset):  Default: False.
        recent (list[WebhookEventOutcome] | Unset): the last renders' webhook outcomes
    """

    url: None | str
    events: list[str]
    secret: WebhookSecretInfo
    has_query: bool | Unset = False
    recent: list[WebhookEventOutcome] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_event_outcome import WebhookEventOutcome  # noqa: PLC0415
        from ..models.webhook_secret_info import WebhookSecretInfo  # noqa: PLC0415

        url: None | str
        url = self.url

        events = self.events

        secret = self.secret.to_dict()

        has_query = self.has_query

        recent: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.recent, Unset):
            recent = []
            for recent_item_data in self.recent:
                recent_item = recent_item_data.to_dict()
                recent.append(recent_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "events": events,
                "secret": secret,
            }
        )
        if has_query is not UNSET:
            field_dict["hasQuery"] = has_query
        if recent is not UNSET:
            field_dict["recent"] = recent

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_event_outcome import WebhookEventOutcome  # noqa: PLC0415
        from ..models.webhook_secret_info import WebhookSecretInfo  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        events = cast(list[str], d.pop("events"))

        secret = WebhookSecretInfo.from_dict(d.pop("secret"))

        has_query = d.pop("hasQuery", UNSET)

        _recent = d.pop("recent", UNSET)
        recent: list[WebhookEventOutcome] | Unset = UNSET
        if _recent is not UNSET:
            recent = []
            for recent_item_data in _recent:
                recent_item = WebhookEventOutcome.from_dict(recent_item_data)

                recent.append(recent_item)

        webhook_settings_response = cls(
            url=url,
            events=events,
            secret=secret,
            has_query=has_query,
            recent=recent,
        )

        return webhook_settings_response
