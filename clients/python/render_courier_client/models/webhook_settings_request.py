from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.webhook_settings_request_events_item import WebhookSettingsRequestEventsItem
from typing import cast


T = TypeVar("T", bound="WebhookSettingsRequest")


@_attrs_define
class WebhookSettingsRequest:
    """``PUT /v1/webhook``: the workspace's default webhook (renders that name none) and the events it gets.

    Attributes:
        url (None | str): https URL; its query may hold a token (kept sealed, never answered); null removes it
        events (list[WebhookSettingsRequestEventsItem] | Unset):
    """

    url: None | str
    events: list[WebhookSettingsRequestEventsItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url: None | str
        url = self.url

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.value
                events.append(events_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if events is not UNSET:
            field_dict["events"] = events

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        _events = d.pop("events", UNSET)
        events: list[WebhookSettingsRequestEventsItem] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = WebhookSettingsRequestEventsItem(events_item_data)

                events.append(events_item)

        webhook_settings_request = cls(
            url=url,
            events=events,
        )

        return webhook_settings_request
