from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.webhook_event_outcome_status import WebhookEventOutcomeStatus
from typing import cast
import datetime


T = TypeVar("T", bound="WebhookEventOutcome")


@_attrs_define
class WebhookEventOutcome:
    """
    Attributes:
        render_id (str):
        event_id (str):
        status (WebhookEventOutcomeStatus):
        attempts (int):
        last_error (None | str | Unset):
        sent_at (datetime.datetime | None | Unset):
    """

    render_id: str
    event_id: str
    status: WebhookEventOutcomeStatus
    attempts: int
    last_error: None | str | Unset = UNSET
    sent_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        render_id = self.render_id

        event_id = self.event_id

        status = self.status.value

        attempts = self.attempts

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        elif isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "renderId": render_id,
                "eventId": event_id,
                "status": status,
                "attempts": attempts,
            }
        )
        if last_error is not UNSET:
            field_dict["lastError"] = last_error
        if sent_at is not UNSET:
            field_dict["sentAt"] = sent_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        render_id = d.pop("renderId")

        event_id = d.pop("eventId")

        status = WebhookEventOutcomeStatus(d.pop("status"))

        attempts = d.pop("attempts")

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("lastError", UNSET))

        def _parse_sent_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sent_at = _parse_sent_at(d.pop("sentAt", UNSET))

        webhook_event_outcome = cls(
            render_id=render_id,
            event_id=event_id,
            status=status,
            attempts=attempts,
            last_error=last_error,
            sent_at=sent_at,
        )

        return webhook_event_outcome
