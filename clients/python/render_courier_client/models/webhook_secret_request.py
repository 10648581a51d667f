from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="WebhookSecretRequest")


@_attrs_define
class WebhookSecretRequest:
    """``POST /v1/webhook/secret``: create the signing secret, or rotate it (the old one keeps signing meanwhile).

    Attributes:
        grace_hours (int | Unset):  Default: 24.
    """

    grace_hours: int | Unset = 24

    def to_dict(self) -> dict[str, Any]:
        grace_hours = self.grace_hours

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if grace_hours is not UNSET:
            field_dict["graceHours"] = grace_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grace_hours = d.pop("graceHours", UNSET)

        webhook_secret_request = cls(
            grace_hours=grace_hours,
        )

        return webhook_secret_request
