from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.last_delivery_status import LastDeliveryStatus
from typing import cast
import datetime


T = TypeVar("T", bound="LastDelivery")


@_attrs_define
class LastDelivery:
    """A storage's latest final delivery: when, how it ended, and why it failed if it did.

    Attributes:
        at (datetime.datetime):
        status (LastDeliveryStatus):
        error (None | str | Unset):
    """

    at: datetime.datetime
    status: LastDeliveryStatus
    error: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        status = self.status.value

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "at": at,
                "status": status,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        status = LastDeliveryStatus(d.pop("status"))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        last_delivery = cls(
            at=at,
            status=status,
            error=error,
        )

        return last_delivery
